"""Reading a sentence for a health claim: what acts, how, on what, how surely, in whose voice.

A claim is found in two ways:

* an **effect on a condition**: an effect verb ("shrinks", "reverses", "clears up") or an
  outcome ("was gone", "never came back") within a few words of a condition name from
  ``conditions.py`` (ICD-10-CM plus everyday names), in the same clause;
* a **pattern that carries its own object**: replacing medicine ("came off my
  sertraline"), beating it ("works faster than ibuprofen"), protection ("shields you from
  flu"), certainty ("for good", "in 7 days"), safety ("no side effects") and proof
  ("clinically proven").

Each candidate is then judged in its scope, and dropped when the writer is not the one
making it: a negation before it in its clause ("massage does not cure arthritis"), a hedge
("may", "a small 2019 trial found"), distancing ("be wary of anyone who says"), reported
speech ("some runners swear"), a question, an if-clause, a denial after it ("... is a
myth"), a "Myth:" label, medicine as the actor ("antibiotics treat bacterial infections"),
another sense of the word ("cured ham", "heal the rift") or a phrase quoted as a term.

All word lists live in ``pipeline/data/claims.yaml``; this module only decides where in the
sentence to look for them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from itertools import islice, pairwise
from typing import Any

from pipeline.checks import phrases
from pipeline.checks.conditions import ENDS, NAMES, Mention, Vocabulary, vocabulary

KINDS = ("treatment", "reversal", "substitution", "comparison", "protection", "certainty",
         "safety", "proof")

CONDITION = "condition"
# The kinds matched by their own patterns, in the order their patterns are tried.
_KIND_ORDER = ("substitution", "comparison", "protection", "certainty", "safety", "proof")
_MASK = "\u01c2"  # a letter no English text holds: a masked medicine reads as one word
_MEDICINE_KINDS = frozenset({"substitution", "comparison"})


@dataclass(frozen=True, slots=True)
class _Word:
    """What one distinct word says, worked out once per process."""

    normal: str
    flags: frozenset[str]  # families it triggers, MEDICINE, HEALTH
    kind: int  # conditions.kind_of bits
    hits: tuple[tuple[str, str], ...]  # (family, trigger key) pairs


@dataclass(frozen=True, slots=True)
class _Signals:
    found: frozenset[str]  # as _Word.flags, and CONDITION
    keys: dict[str, set[str]]  # by family, the trigger keys present


_PLAIN_WORD = _Word("", frozenset(), 0, ())
MEDICINE = "medicine"
HEALTH = "health"
# What else a family needs in the text besides its own trigger words.
_NEEDS: dict[str, frozenset[str]] = {
    "treatment": frozenset({CONDITION}), "reversal": frozenset(),
    "outcomes": frozenset({CONDITION}), "protection": frozenset({CONDITION}),
    "substitution": frozenset({MEDICINE}), "comparison": frozenset({MEDICINE}),
    "certainty_alone": frozenset(), "safety": frozenset(), "proof": frozenset(),
    "certainty": frozenset({HEALTH}),
}
# Families also read wherever a condition is named, with this family's other trigger: a
# certainty next to a condition ("sciatica ... for good") needs no health word besides.
_WHEN_NAMED = {"certainty": "certainty"}
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A full stop (not after an initial, as in "H. pylori", nor inside "e.g."; "a." and "I." do end
# a sentence), a blank line, or a tick that starts the next item of a "✓ ... ✓ ..." list (the
# tick is matched, but belongs to the next sentence). Every branch starts with a character, not
# a look-behind: the regex engine then skips to the next [.!?\n✓] at C speed instead of trying
# eight look-behinds at every position (the look-behinds come after the stop, with "." for it).
# Splitting the 23,000 blocks of 1,000 articles took 1.28 s of CPU before, 0.37 s after.
_TICKS = "\u2713\u2714\u2705"
_SENTENCE_END = re.compile(
    r"[.!?](?<!\b[b-hj-z].)(?<!\.[a-z].)(?<!\bdr.)(?<!\bmr.)(?<!\bmrs.)(?<!\bms.)(?<!\bst.)"
    r"(?<!\bvs.)[.!?]*[\"')\]]*(?=\s|$)|\n\s*\n|[" + _TICKS + "]")
_WORDS = re.compile(r"[\w']+")
# Where one clause gives way to another: the scope of a negation or a hedge ends here.
_CLAUSE = re.compile(
    r"[;:()\u2014\u2013?]|\s-\s|,\s*(?=(?:and|so|because|as|which|who|while|whilst|then)\b)"
    r"|\b(?:but|however(?!\s+(?:well|much|many|good|hard|long|often|small|big|\w+ly)\b)"
    # Not "however expensive or well reviewed," an aside inside the clause.
    r"(?!(?:\s+[\w'-]+){1,4}\s*,)|although"
    r"|though|whereas|whilst|except|unlike|until)\b"
    r"|(?<![\w'\u2019]\s)\byet\b|\band\s+yet\b"
    r"|\band\s+(?=(?:it|they|you|we|he|she|i|this|that)\b)"
    # A result clause: "calms panic so well that many users ..." is hedged only after "that".
    r"|\bso\s+(?:well|fast|quickly|effectively|completely|thoroughly|much)\s+that\b",
    re.IGNORECASE)
# A contrast: after it, the writer's own voice returns ("Be wary of X, but our balm ...").
_CONTRAST = re.compile(
    # "however" before an adjective and a comma concedes ("No mouthwash, however natural,
    # can ..."): it is no turn in the writer's voice.
    r"[;:]|\b(?:but|however(?!\s+(?:well|much|many|good|hard|long|often|small|big|\w+ly)\b)"
    r"(?!\s+\w+\s*,)|yet"
    r"|instead)\b", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"\s*(?:(?:faq|q|question|reader question)\s*:\s*)?"  # "FAQ: Does copper cure arthritis?"
    r"(?:can|could|does|do|did|is|are|was|were|will|would|should|has|have|why|how|what|"
    r"when|who|where|which|whether|isn't|aren't|doesn't|don't)\b", re.IGNORECASE)
_QUESTION_TAIL = re.compile(r"\?[\"')\]\s]*$")
# A question that starts after a statement: "... rebuilds cartilage in weeks, so why put up
# with osteoarthritis any longer?" asks nothing of the statement before it.
_LATE_QUESTION = re.compile(
    r"(?:[,;:\u2014\u2013]|\bso\b|\bthen\b)\s*(?:so\s+|then\s+)?"
    r"(?:why\b|what are you waiting for\b|who needs\b)")
_QUOTES = ('"', "'")
# A quotation, and perhaps where it came from in brackets: '"..." (a clinic's reel, 2M views)'.
_WHOLE_QUOTE = re.compile(r"""\s*[*_]*"[^"]+"[*_.!?\s]*(?:\([^()"]{1,80}\)[*_.\s]*)?""")
# What answers a quotation to deny it, as the next sentence's opening words.
_REBUTTAL = re.compile(
    r"[\s*_]*(?:no (?:active|study|studies|trial|trials|evidence|good|such|reliable|published)"
    r"|there (?:is|are) (?:no|little)|there's (?:no|little)|that's outside|that is outside|"
    r"that's not|that is not|this is not|this isn't|that isn't|i'm not aware|i am not "
    r"aware|i know of no|please don't|please do not|don't believe|do not believe|not true|"
    r"untrue|false|wrong|nonsense|rubbish|this is (?:false|wrong|untrue|not true|misleading)|"
    r"that's (?:false|wrong|not true|misleading)|that is (?:false|wrong|not true|misleading)|"
    r"sadly,? no|unfortunately,? no|it doesn't|it does not|they don't|they do not|it can't|"
    r"it cannot|none of (?:this|that|it|these|those|them)|"
    r"none of the (?:products?|claims?|adverts?|ads|sellers?|brands?|companies|posts?|lines|"
    r"gadgets|supplements?|devices?|remedies)\b|"
    r"neither of (?:these|those|them|the two)|neither (?:claim|statement|promise)|"
    r"(?:these|those|both) (?:claims?|statements?|promises?|lines|posts?|adverts?|ads|labels?)"
    r" (?:don't|do not|aren't|are not|have no|lack|ignore|go beyond|overstate)|"
    # A verdict on it, or it named as what it is: "**Our verdict: misleading.**",
    # "Testimonials like this one, quoted from an advert, ..."
    r"(?:our |the |my )?verdict|rating:?\s*(?:false|misleading|mostly false|unproven|"
    r"unsupported|not true|wrong)|rated (?:false|misleading)|"
    r"(?:testimonials?|claims?|posts?|adverts?|ads|promises?|lines?|"
    r"quotes?|reviews?|messages?|headlines?|stories|slogans?)\s+(?:like|such as)\s+"
    r"(?:this|these|that|those))\b")
QUOTE_RUN = 6  # quotations in a row (sentences or paragraphs) that one lead introduces
# A negation that sets something else aside, ended by a comma before the claim: "Because it
# goes on your skin rather than into your stomach, MagMist is completely safe".
# Promises in a row, each with its own "no", the claim the last: "No hunger, no calorie
# counting and no side effects." The earlier ones deny nothing of it.
_NO_LIST = re.compile(r"(?:[\s*_]*(?:no|zero)\s+[\w'-]+(?:\s+[\w'-]+)?\s*(?:,|and|&)\s*)+"
                      r"(?:and\s+)?", re.IGNORECASE)
_COMPARED_AWAY = re.compile(r"rather\s+than|instead\s+of")
_NATURAL_COURSE = re.compile(
    r"\b(?:clear|clears|cleared|get better|gets better|got better|go away|goes away|went away|"
    r"resolve|resolves|resolved|settle|settles|settled|improve|improves|improved|heal|heals|"
    r"healed|pass|passes|passed|disappear|disappears|disappeared|fade|fades|faded|subside|"
    r"subsides|subsided|vanish|vanishes|vanished)\s+(?:up\s+|down\s+)?(?:\w+\s+){0,4}?"
    r"(?:on (?:its|their) own|"
    r"by (?:itself|themselves)|of (?:its|their) own accord|without (?:any )?treatment)")
# Most cases of an illness getting better, with nothing said to act: "Most colds clear up
# within a week or ten days", "many verrucas disappear within two years". Not most clients,
# patients or people, nor "most of our ...": those are a practice's results.
_MOST_CASES = re.compile(
    r"\b(?:most|many|nearly all|almost all|the majority of)\s+"
    r"(?:(?!(?:of|our|my|your|their|clients?|patients?|customers?|people|users?|guests?|"
    r"members?|readers?|women|men|children|kids|babies)\b)[\w'-]+\s+){1,3}?"
    r"(?:clear|get better|go away|resolve|settle|improve|heal|pass|disappear|fade|subside|"
    r"vanish)\b")
_HELPED_ALONG = re.compile(r"\b(?:with|using|after|thanks to|once|of (?:starting|using|taking|"
                           r"applying|trying|beginning)|for good|forever|for ever|"
                           r"permanently|never)\b")
# A clause that opens with a time: "as the pain settles", "once your flare-up calms".
_WHILE_IT_RUNS = re.compile(
    r"\b(?:as|once|when|whenever|until|till|while)\s+(?:the\s+|your\s+|my\s+|his\s+|her\s+|"
    r"their\s+|its\s+)?$")
_SELF_RESOLVING = re.compile(r"on (?:its|their) own|by (?:itself|themselves)|of its own accord")
_DENIED_PROOF = re.compile(r"\b(?:not|never|cannot|can't|couldn't|didn't|doesn't|don't|no)\b")
_RELATIVE = re.compile(r"\b(?:that|which|who|whom)\b")
# A phrase after the claim and a comma that describes something else, its soft hedge with
# it: "faster than physiotherapy at fixing a frozen shoulder, with most patients moving
# freely", "better than antidepressants, without the numbness many people feel".
_TRAILING_PHRASE = re.compile(r",\s*(?:with|without|whatever|no matter|regardless)\b")
# The claim's reporter is said to hide it, which asserts it: "Big Pharma has buried the
# evidence that apricot kernels cure cancer".
_CONSPIRACY = re.compile(r"\b(?:buried|burying|buries|bury|hid|hidden|hides|hiding|hide|"
                         r"suppress(?:es|ed|ing)?|covered up|covering up|covers up|"
                         r"silenc(?:e|es|ed|ing)|kept quiet about|keeps quiet about)\b")
_WHETHER_OPENING = re.compile(r"""[\s"'*_]*whether\b""")
_DOUBLE_QUOTE = re.compile('"')
_LIST_BREAK = re.compile(r"[,;]")
_NOUN = re.compile(
    r"(?:cures?|remed(?:y|ies)|treatments?|relief|fix|solutions?|therapy|medicine)\b",
    re.IGNORECASE)
# A repair right after its condition names the operation ("most hernia repairs succeed").
_OPERATION = re.compile(r"repairs?|reconstructions?|corrections?", re.IGNORECASE)
# A symptom-free test in rehab: "criteria such as hopping pain-free", "until you can run
# pain-free": a threshold to reach, not an outcome promised.
_CRITERION = re.compile(r"\b(?:such as|until|once|as soon as|criteria|criterion|tests?|target|"
                        r"goal|benchmark|checkpoint)\s+(?:(?:you|they|she|he|can|are|is|"
                        r"able to)\s+)*(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# A condition's own nature, said of it as its subject: "... hearing loss is permanent".
_NATURE = frozenset({"permanent", "lifelong", "irreversible", "incurable", "for life"})
_IS = re.compile(r"\s+(?:is|are|was|were|can\s+be|may\s+be|becomes?|became)\s+"
                 r"(?:(?:often|usually|sometimes|generally|typically|almost\s+always)\s+)?")
_QUANTIFIED = re.compile(r"\b(?:most|many|much|some|a lot of)\s+(?:[\w-]+\s+){0,3}$",
                         re.IGNORECASE)
# A quotation named by the noun right after it is someone else's claim, however long.
_NAMED_QUOTE = re.compile(
    r"\s*(?:post|posts|claim|claims|headline|headlines|meme|memes|rumou?r|myth|advert|ad|ads|"
    r"slogan|tagline|trend|video|reel|tiktok|story|stories|narrative|message|promise|"
    r"promises|theory|line|pitch|nonsense|crowd|brigade|promised|claimed|advertised|touted|"
    r"printed|splashed|plastered|offered)\b")
# A verdict on the quotation right after it: "'...' overstates the study", "'...' is exactly
# the kind of promise regulators act on", "'...' is unverifiable".
_JUDGED_QUOTE = re.compile(
    r"[\s,\u2014\u2013-]*(?:(?:is|are|was|were)\s+(?:\w+\s+){0,4}(?:kind|sort|type)\s+of\b"
    r"|(?:is|are|was|were)\s+(?:(?:simply|just|entirely|completely|totally|also|both)\s+)?"
    r"(?:unverifiable|unverified|unsupported|unproven|misleading|false|untrue|wrong|overstated|"
    r"exaggerated|nonsense|baseless|unfounded|dubious|questionable|a stretch|an overstatement|"
    r"an exaggeration|not (?:true|supported|backed|accurate))\b"
    r"|(?:overstates?|overstated|exaggerates?|exaggerated|misrepresents?|misrepresented|"
    r"oversells?|oversold|overreaches?|misleads?|goes too far|went too far|ignores|ignored|"
    r"implies|implied|assumes|assumed|glosses over|skates over|promises a|promised a)\b"
    # After a dash, the writer's verdict: '"Rebuilds cartilage in 90 days" - I'm not aware of
    # any good evidence', '"..." - This is a well-worn sales line.'
    r"|[\u2014\u2013-]\s*(?:this|that|it)(?:'s| is) (?:a|an) (?:[\w'-]+\s+){0,3}(?:sales line|line|"
    r"claim|slogan|pitch|myth|tactic|trope|red flag|promise)\b"
    r"|[\u2014\u2013-]\s*(?:i'm not aware|i am not aware|there is no|there's no|no good|"
    r"no reliable|no evidence)\b)")
# A quotation introduced as someone's words: by a determiner ("the 'guaranteed relief'
# printed on the box") or by the noun naming what it is ("her testimonial — '...'").
_QUOTE_FRAME = re.compile(
    r"\b(?:the|a|an|that|this|these|those|their|its|his|her|such)\s*$"
    r"|\b(?:testimonials?|reviews?|headlines?|posts?|claims?|slogans?|taglines?|captions?|"
    r"labels?|adverts?|ads|comments?|quotes?|messages?|promises?|pitch|blurb|listing|"
    r"boasts?)\s*[:,\u2014\u2013-]*\s*$"
    # "an oil sold with the line '...'", "marketed under the slogan '...'"
    r"|\b(?:with|under|using|carrying|bearing)\s+the\s+(?:lines?|words|wording|phrases?|"
    r"promises?|message|strapline|banner)\s*[:,]?\s*$"
    # "described their liniments as '...'", "a testimonial in which a customer says she
    # '...'", and a quotation after another ("'...' and '...'").
    r"|\b(?:described|sold|billed|branded|pitched|hailed|touted|presented|packaged|advertised|"
    r"marketed|labell?ed|promoted)\b(?:\s+[\w']+){0,4}\s+as\s*$"
    r"|\b(?:testimonials?|reviews?|posts?|adverts?|ads|comments?|messages?)\s+(?:in which|where|"
    r"whose)\b(?:\s+[\w']+){0,6}\s*$"
    r"|['\"]\s*(?:,|and|or)\s*$"
    # A product said to do what the quotation says: "the patch that will '...'".
    r"|\b(?:that|which)\s+(?:will|would|can|could|supposedly|allegedly|promises\s+to|"
    r"promised\s+to|claims\s+to|claimed\s+to)\s*[*_]*$"
    # 'a phrase like "clinically proven to relieve arthritis"'
    r"|\b(?:phrases?|wording|words|claims?|slogans?|lines?|promises?)\s+(?:like|such\s+as)\s*$")
# A quotation after a colon, in a sentence that names an advertiser's words or reports them:
# "adverts like this one, which we saw last month: '...'", "one supplement site claimed:
# '...'". Not "says", "reviews" or "testimonials": a publisher quotes its clients approvingly
# that way ("Athlete story: '... rebuilt my torn ACL'" is the publisher's claim).
_QUOTE_LEAD = re.compile(
    r"\b(?:adverts?|ads|advertisements?|adverti[sz]ing|claims?|claimed|claiming|promised|"
    r"promises|promising|stated|stating|states|boasted|boasts|labels?|listings?|pages?|"
    r"captions?|slogans?|taglines?|headlines?|brochures?|leaflets?|sites?|websites?|flyers?|"
    r"posters?|packets?|packaging|boxes|phrases?|wording|examples?|videos?|clips?|reels?|"
    r"presenters?|influencers?|sellers?|vendors?|lines|"
    # Where adverts reach a reader: "this post from a clinic's Instagram account:", "a tub
    # with a sticker on the lid:", "a glossy letter inviting me to a seminar:".
    r"posts?|stickers?|lids?|tubs?|bottles?|jars?|sachets?|letters?|emails?|inbox|offers?|"
    # Someone who sold it, in their words: "The doctor told me:", "runs the line:".
    r"told me|told us|assured me|assured us|line|"
    # What a salesperson said or a menu says: "Some of what I was told:", "it reads:".
    r"was told|were told|reads|menus?|messages|coordinators?|"
    r"seminars?|mailers?|instagram|tiktok|facebook|feeds?|infomercials?|commercials?|"
    # Another business's words, not the publisher's: "One insole company's read: '...'".
    r"(?<!our )(?<!my )(?:companies|company|brands?|manufacturers?|makers?|retailers?))\b")
_COLON_BEFORE = re.compile(r":[\s*_]*")
# A label the publisher puts before its own material ("Testimonial: '...'"), not a frame
# around someone else's words ("her testimonial: '...'").
_OWN_LABEL = re.compile(r"[\W_]*(?:client |customer |patient )?(?:testimonials?|reviews?)"
                        r"(?:\s+(?:on|from|of)\s+(?:the\s+|our\s+)?\w+)?\s*[:\u2014\u2013-]\s*",
                        re.IGNORECASE)
_REPORTED_QUOTE = re.compile(
    r"\b(?:say|said|says|claim|claimed|claims|promised|promises|stated|states|read|reads|wrote|writes|"
    r"announced|announces|insisted|insists)\b(?:\s+[\w']+){0,3}\s*$")
_QUOTE_SLACK = 1  # words besides the phrase inside quotes that keep it a quoted term
_TERM_WORDS = 4  # a longer quotation is someone's sentence, not a term under discussion
_PRONOUN = re.compile(
    r"\s+(?:it|them|this|that|these|those|both|all (?:three|four|of them|of it)|the lot|"
    r"(?:every|all|any) traces? of (?:it|them)|the "
    r"(?:attacks|symptoms|condition|problem|episodes|flare[ -]ups|itching|pain|infection|"
    r"illness|disease))\b", re.IGNORECASE)
# A noun phrase standing for a condition named before it, as an outcome's subject.
_SUBJECT_ANAPHOR = re.compile(
    r"\b(?:that|this|the|those|these|your|all\s+that)\s+(?:burning|itch|itching|ache|aches|"
    r"aching|pain|soreness|swelling|throbbing|tingling|numbness|stinging|symptoms?|flare-?ups?|"
    r"flares?|irritation|attacks?|cramps?|cramping|spasms?|episodes?|redness|inflammation|"
    r"condition|problem)\s+$", re.IGNORECASE)
_ANAPHOR = re.compile(r"both|all|the |every|any ", re.IGNORECASE)
# "Why get a cortisone jab when cryotherapy works twice as well?" asks nothing.
# "Why ... when ...?", "Who needs statins when ...?": asks nothing, dismisses the first thing.
_RHETORICAL = re.compile(r"\s*(?:why|who\s+needs)\b.*\bwhen\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Claim:
    kind: str
    start: int  # offsets in the text read
    end: int
    condition: str | None = None  # as written in the text
    condition_at: tuple[int, int] | None = None  # where


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    question: bool


@dataclass(frozen=True, slots=True)
class SentenceRead:
    """One sentence as ``Reader.read`` read it, for the statistical model
    (pipeline/checks/claim_model.py): what its own words flag, and whether the reader found
    a claim's parts there (and so judged it: reported, denied, hedged, or a claim)."""

    sentence: Sentence
    flags: frozenset[str]
    judged: bool


@dataclass(frozen=True, slots=True)
class Reading:
    claims: list[Claim]
    sentences: list[SentenceRead]  # empty when the text flagged nothing


_GAPS = re.compile(r"\[\\s\\-\][*+]|\(\?:|[()?|]")


class _Family:
    """The patterns of one family, each compiled on its own and filed under the trigger words
    it holds: a sentence is searched only with the patterns its trigger words call for, a
    few small expressions instead of one with a hundred alternatives."""

    def __init__(self, patterns: list[str], lists: dict[str, Any], triggers: list[str]) -> None:
        self.sources = [phrases.whole_words(phrases.expand(pattern, lists))
                        for pattern in patterns]
        # Compiled when first needed: checking one article (a pre-commit hook, an edit in
        # `serve`) needs a few of the 300 patterns, and compiling all of them took 0.15 s.
        self._compiled: list[re.Pattern[str] | None] = [None] * len(self.sources)
        self.by_key: dict[str, tuple[int, ...]] = {}
        # Each pattern's words run together ("re ?pigment" reads "repigment"); a trigger
        # word's first three letters found there file the pattern under it ("stopped" under
        # "stop(s|ped)?", "cured" under "cur(e|ed)"). Too wide a net only costs a search.
        joined = [_GAPS.sub("", source) for source in self.sources]
        for trigger in triggers:
            key = trigger.rstrip("*")
            self.by_key[key] = tuple(i for i, source in enumerate(joined) if key[:3] in source)

    def pattern(self, index: int) -> re.Pattern[str]:
        compiled = self._compiled[index]
        if compiled is None:
            compiled = self._compiled[index] = re.compile(self.sources[index])
        return compiled

    @property
    def patterns(self) -> list[re.Pattern[str]]:
        """Every pattern, compiled (before forking workers, so that they share them)."""
        return [self.pattern(index) for index in range(len(self.sources))]

    def find(self, text: str, begin: int, stop: int, keys: set[str]) -> list[re.Match[str]]:
        chosen = sorted({i for key in keys for i in self.by_key.get(key, ())})
        found = [m for i in chosen for m in self.pattern(i).finditer(text, begin, stop)]
        found.sort(key=lambda match: (match.start(), -match.end()))
        # Leftmost and longest, never overlapping, as one expression of them all would match:
        # "will be gone" is read once, not again as "gone".
        kept: list[re.Match[str]] = []
        for match in found:
            if not kept or match.start() >= kept[-1].end():
                kept.append(match)
        return kept


def _compile(patterns: list[str] | str, lists: dict[str, Any]) -> re.Pattern[str]:
    """For lowercased text: the reader reads a lowercase copy of each block."""
    items = [patterns] if isinstance(patterns, str) else patterns
    return phrases.alternation(items, lists, ignore_case=False)


def lowercase(text: str) -> str:
    """``text.lower()`` with every offset kept: a character whose lowercase is longer
    ("İ" becomes two) stays as it is."""
    lower = text.lower()
    if len(lower) == len(text):
        return lower
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


class _Compiled:
    """A pattern of the reader, compiled when first used and then kept on the reader itself
    (so later reads cost nothing): checking one article, as an edit or a pre-commit hook
    does, rarely needs them all, and compiling them all took 0.17 s of it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, reader: Reader | None, owner: type) -> Any:
        if reader is None:
            return self
        compiled = _compile(reader._sources[self.source], reader._lists)
        reader.__dict__[self.name] = compiled
        return compiled


class Reader:
    symptoms = _Compiled("symptoms")
    soft_verbs = _Compiled("soft_verbs")
    restorables = _Compiled("restorables")
    health = _Compiled("health_words")
    strong = _Compiled("strong")
    # A medicine phrase ("blood pressure tablets", "levothyroxine") is found once, then
    # stands in the kinds' patterns as one masked word: the patterns stay small and fast,
    # instead of carrying the whole medicine list fifty times over.
    medicine = _Compiled("medicine")
    negations = _Compiled("negations")
    distancing = _Compiled("distancing")
    conditionals = _Compiled("conditionals")
    hedges = _Compiled("hedges")
    soft_hedges = _Compiled("soft_hedges")
    prefix_hedges = _Compiled("prefix_hedges")
    denials_after = _Compiled("denials_after")
    doubts_after = _Compiled("doubts_after")
    medical_actors = _Compiled("medical_actors")
    causes = _Compiled("causes")
    other_senses = _Compiled("other_senses")
    harms = _Compiled("harms")
    behind_backs = _Compiled("behind_backs")
    myth_heading = _Compiled("myth_headings")

    def __init__(self, spec: dict[str, Any], words: Vocabulary,
                 drugs: frozenset[str] = frozenset()) -> None:
        lists = dict(spec["lists"])
        # One-word medicine names (pipeline/data/drugs.txt): looked up as a set, word by
        # word, so the 1,100 names cost nothing in the medicine regex.
        self.drugs = drugs
        effects = spec["effects"]
        lists["restorables"] = effects["restorables"]
        scope = spec["scope"]
        self.words = words
        self.reach = int(effects["reach"])
        self.object_reach = int(effects["object_reach"])
        self.outcome_reach = int(effects["outcome_reach"])
        triggers = {family: [str(word).lower() for word in words]
                    for family, words in spec["triggers"].items()}
        # The scope and effect patterns below (_Compiled) are compiled from these when first
        # used.
        self._lists, self._sources = lists, {**effects, **scope, "medicine": ["{medicine}"]}
        masked = {**lists, "medicine": _MASK + "+"}
        self.family = {
            "treatment": _Family(effects["treatment"], lists, triggers["treatment"]),
            "reversal": _Family(effects["reversal"], lists, triggers["reversal"]),
            "outcomes": _Family(effects["outcomes"], lists, triggers["outcomes"]),
            "soft_outcomes": _Family(effects["soft_outcomes"], lists, triggers["outcomes"]),
            **{kind: _Family(patterns, masked, triggers[kind])
               for kind, patterns in spec["kinds"].items()},
        }
        self.negation_reach = int(scope["negation_reach"])
        labels = "|".join(phrases.expand(p, lists) for p in scope["labels"])
        self.label = re.compile(r"[\W_]*(?:" + labels + r")(?:\s*(?:#|no\.?)?\s*\d+)?[\W_]*",
                                re.IGNORECASE)
        self.label_word = re.compile(r"\b(?:" + labels + r")\b")
        # Trigger words by family: "cure" as written, "heal*" any word starting "heal".
        self.exact: dict[str, set[str]] = {}
        self.stems: dict[str, set[str]] = {}
        for family, words in spec["triggers"].items():
            for word in map(str, words):
                table = self.stems if word.endswith("*") else self.exact
                table.setdefault(word.rstrip("*").lower(), set()).add(family)
        self.longest_stem = max(map(len, self.stems))
        self.medicine_word = re.compile(spec["medicine_words"], re.IGNORECASE)
        self.health_stems = tuple(str(stem) for stem in spec["health_triggers"])
        self._token_info: dict[str, _Word] = {}
        # The words known to be plain (no trigger, no part of a condition's name): a block's
        # words minus these, one set difference in C, leaves the few worth a lookup. Looking
        # each word up in Python took 0.3 s of CPU per 1,000 articles.
        self._plain: set[str] = set()
        self._marked: set[str] = set()  # the block's words that flag something
        self._drugs_here = False  # the block names a medicine from drugs.txt

    # -- which families a block can hold ----------------------------------------------------

    def flags(self, lower: str, among: set[str] | None = None) -> _Signals:
        """What the (lowercased) text may hold: trigger words by family, and CONDITION,
        MEDICINE and HEALTH. Cheap: one regex over the text, then a cached lookup per
        distinct word; most paragraphs come back empty and are not read further. ``among``:
        the words worth a lookup (a sentence's, of those its block flagged)."""
        tokens = set(_TOKEN.findall(lower))
        return self._signals(tokens - self._plain if among is None else tokens & among)

    def _signals(self, tokens: set[str]) -> _Signals:
        """``flags`` of these tokens (known plain words already taken out)."""
        cache = self._token_info
        normals: set[str] = set()
        ends: list[str] = []
        found: set[str] = set()
        keys: dict[str, set[str]] = {}
        bits = 0
        for token in tokens:
            info = cache.get(token)
            if info is None:
                info = cache[token] = self._info_of(token)
            if info is _PLAIN_WORD:
                self._plain.add(token)
                continue  # most words: no trigger, and no part of a condition's name
            normals.add(info.normal)
            found |= info.flags
            for family, key in info.hits:
                keys.setdefault(family, set()).add(key)
            if info.kind:
                bits |= info.kind
                if info.kind & ENDS:
                    ends.append(info.normal)
        if found and bits and self.words.may_name(normals, bits, ends):
            found.add(CONDITION)
        return _Signals(frozenset(found), keys)

    @staticmethod
    def families(signals: _Signals) -> frozenset[str]:
        """The families worth reading, from what ``flags`` found."""
        return _families(signals.found)

    def _info_of(self, token: str) -> _Word:
        hits = [(family, token) for family in self.exact.get(token, ())]
        for size in range(1, min(len(token), self.longest_stem) + 1):
            hits += [(family, token[:size]) for family in self.stems.get(token[:size], ())]
        flags = {family for family, _key in hits}
        if token in self.drugs or self.medicine_word.fullmatch(token):
            flags.add(MEDICINE)
        if token.startswith(self.health_stems):
            flags.add(HEALTH)
        normal = self.words.lookup(token)
        kind = self.words.kind_of(normal)
        if not flags and not kind:
            return _PLAIN_WORD
        return _Word(normal, frozenset(flags), kind, tuple(hits))

    # -- sentences and clauses ------------------------------------------------------------

    @staticmethod
    def sentences(text: str) -> tuple[Sentence, ...]:
        """Sentences, with a short lead-in question joined to the sentence that answers it
        ("Frozen shoulder? Our technique releases it."): it names the condition, asks
        nothing. Worked out once per text: each claim found asks again (a myth heading's
        scope, the model's veto), and a block of thousands of claims would pay their square."""
        return _sentences(text)

    @staticmethod
    def _clause(text: str, begin: int, stop: int, at: int) -> tuple[int, int]:
        """The clause around ``at``: from the end of the last clause break before it to the
        start of the first one after it (a break that spans ``at`` counts as neither)."""
        starts, ends = _marks(_CLAUSE, text, begin, stop)
        before = bisect_right(ends, at)
        after = bisect_left(starts, at)
        return (ends[before - 1] if before else begin,
                starts[after] if after < len(starts) else stop)

    # -- candidates -------------------------------------------------------------------------

    def _near(self, mentions: _Mentions, text: str, start: int, end: int,
              clause: tuple[int, int]) -> Mention | None:
        """The condition nearest a phrase within ``reach`` words, in its clause. Only the
        mentions within ``reach`` words of it are weighed, found by bisection: a long
        sentence of conditions costs each phrase a few, not all of them."""
        words = _marks(_WORDS, text, *clause)[0]
        before = bisect_left(words, start) - self.reach
        after = bisect_left(words, end) + self.reach + 1
        low = words[before] if 0 <= before < len(words) else clause[0]
        high = words[after] if after < len(words) else clause[1]
        best: tuple[int, Mention] | None = None
        for mention in mentions.between(low - mentions.longest, high):
            if mention.start < clause[0] or mention.end > clause[1]:
                continue
            if mention.start >= end:
                gap = len(_WORDS.findall(text, end, mention.start))
            elif mention.end <= start:
                gap = len(_WORDS.findall(text, mention.end, start)) + 2
            else:
                gap = 0  # inside the phrase: "turns breech babies head-down"
            if gap <= self.reach and (best is None or gap < best[0]):
                best = (gap, mention)
        return best[1] if best else None

    def _minor(self, text: str, found: re.Match[str], mention: Mention) -> bool:
        """A soft verb on a minor symptom: "heat eases stiffness" is about comfort; or on
        the people who have a condition, not the condition: "soothing for people living
        with cancer"."""
        if not self.soft_verbs.fullmatch(found.group()):
            return False
        return bool(self.symptoms.fullmatch(text, mention.start, mention.end)
                    or _FOR_PEOPLE.fullmatch(text, found.end(), mention.start))

    def _effects(self, text: str, begin: int, stop: int, mentions: list[Mention],
                 verbs: list[tuple[re.Match[str], str]]) -> Iterator[Claim]:
        """Effect verbs on conditions: each condition pairs with the effect phrase nearest
        before it in its clause (its verb), or failing that the nearest after it ("sciatica
        is cleared by ..."). Pairing with the nearest keeps "she couldn't treat my epilepsy"
        from pairing "epilepsy" with an earlier, unrelated "clear"."""
        # A verb inside a condition's name is part of the name: "lower back pain". Sorted by
        # where they start, each condition's nearest verbs are found by bisection: a long
        # paragraph of verbs and conditions costs n log n, not n squared.
        inside = _Mentions(mentions)
        effects = sorted(((found, kind) for found, kind in verbs
                          if not inside.holds(found.start())),
                         key=lambda item: item[0].start())
        starts = [found.start() for found, _kind in effects]
        for mention in mentions:
            clause = self._clause(text, begin, stop, mention.start)
            first = bisect_left(starts, clause[0])
            last = bisect_right(starts, mention.start)
            choice = None
            if last > first:
                # The condition as the verb's object: a few words on, no comma between
                # ("improve sleep, both of which affect how pain feels" is not about pain).
                # The nearest verb before it; of two starting there, the later kind.
                same = bisect_left(starts, starts[last - 1], first, last)
                found, kind = max(effects[same:last], key=lambda item: item[1])
                between = text[found.end():mention.start]
                if found.end() >= mention.start or (
                        len(_WORDS.findall(between)) <= self.object_reach
                        and not _LIST_BREAK.search(between)
                        and not self.conditionals.search(between)
                        and not self.causes.search(between)):
                    choice = (found, kind)
                elif _ROOT_CAUSE.fullmatch(between) and not self.conditionals.search(between):
                    # Acting on what causes the condition acts on the condition: "drains
                    # the stagnant fluid that is responsible for gout", "removes the root
                    # cause of eczema".
                    choice = (found, kind)
            after = self._first_after(text, mention, effects, starts, clause[1]) \
                if choice is None else None
            if after is not None:
                # The condition as the subject: "the erosion on my X-rays started to fill
                # back in". Not across a comma: "If you feel chest pain, stop and rest."
                found, kind = after
                between = text[mention.end:found.start()]
                if "," not in between and len(_WORDS.findall(between)) <= _SUBJECT_WORDS:
                    choice = (found, kind)
            if choice is None:
                continue
            found, kind = choice
            if self._minor(text, found, mention):
                continue
            # The span reads from the verb to its object, or from a condition right before
            # a noun ("pain relief", "the leaky gut cure") to the noun.
            touching = mention.end <= found.start() and not text[mention.end:found.start()].strip()
            start = mention.start if touching else found.start()
            end = max(found.end(), mention.end) if mention.start >= found.start() \
                else found.end()
            yield Claim(kind, start, end, _surface(text, mention), _at(mention))

    @staticmethod
    def _first_after(text: str, mention: Mention, effects: list[tuple[re.Match[str], str]],
                     starts: list[int], clause_end: int) -> tuple[re.Match[str], str] | None:
        """The first effect after the condition, in its clause, that can take it as its
        subject: a reversal ("the erosion started to fill back in") or a noun right after it
        ("the leaky gut cure", "migraine relief"). Only as far as ``_SUBJECT_WORDS`` words
        on: one further away could not be chosen anyway."""
        words = _WORDS.finditer(text, mention.end, clause_end)
        reach = next(islice(words, _SUBJECT_WORDS, None), None)
        limit = reach.end() if reach is not None else clause_end
        for index in range(bisect_left(starts, mention.end), len(starts)):
            found, kind = effects[index]
            if found.start() >= limit:
                break
            touching = not text[mention.end:found.start()].strip()
            if (kind == "reversal" and not (touching and _OPERATION.fullmatch(found.group()))) \
                    or (touching and _NOUN.match(found.group())):
                return found, kind
        return None

    def _restored(self, text: str, begin: int, stop: int,
                  reversals: list[re.Match[str]]) -> Iterator[Claim]:
        """A reversal of what a condition took: "regrows hair", "restores hearing"."""
        for found in reversals:
            clause = self._clause(text, begin, stop, found.start())
            # What it restores starts at most four words on: the search ends a few words
            # further (a clause of thousands of reversals would cost their square).
            reach = next(islice(_WORDS.finditer(text, found.end(), clause[1]),
                                _RESTORED_REACH, None), None)
            restored = self.restorables.search(text, found.start(),
                                               reach.end() if reach else clause[1])
            if restored and restored.start() > found.start() and len(
                    _WORDS.findall(text, found.end(), restored.start())) <= 4:
                yield Claim("reversal", found.start(), max(found.end(), restored.end()), None)
                continue
            # What was restored as the subject: "their damaged optic nerves regenerated".
            subject = list(self.restorables.finditer(
                text, max(clause[0], found.start() - _SUBJECT_SPAN), found.start()))
            # The claim starts at its subject, so a denial between the two is not before it
            # and is looked for here: "lung damage cannot be reversed".
            if subject and _restored_subject(text, subject[-1].end(), found.start()) and \
                    not self.negations.search(text, subject[-1].end(), found.start()):
                yield Claim("reversal", subject[-1].start(), found.end(), None)

    def _pronouns(self, text: str, earlier: _Mentions,
                  verbs: list[tuple[re.Match[str], str]]) -> Iterator[Claim]:
        """A cure said of "it" after the paragraph named a condition: "Arthritis? Ice numbs
        it. Our balm cures it for good." Only strong verbs: "it helps" is too vague."""
        for found, kind in verbs:
            pronoun = _PRONOUN.match(text, found.end())
            if not pronoun:
                continue
            last = earlier.last_ending_by(found.start())
            # Any effect verb on "all three" or "the attacks", or on a condition the lead-in
            # question named ("Blocked tubes? Our massage opens them"); only a strong one on
            # "it" otherwise.
            if last is not None and (_ANAPHOR.match(pronoun.group().strip())
                                     or self.strong.fullmatch(found.group())
                                     or _FOR_GOOD.match(text, pronoun.end())
                                     or _asked(text, last, found.start())):
                yield Claim(kind, found.start(), pronoun.end(), _surface(text, last), _at(last))

    def candidates(self, text: str, sentence: Sentence, block: _Signals,
                   named: list[Mention], own: _Signals | None = None) -> Iterator[Claim]:
        """Every reading of the sentence as a claim, before its scope is judged. ``block``:
        what the sentence's block holds; ``named``: the block's condition mentions; ``own``:
        the sentence's ``flags``, if known."""
        begin, stop = sentence.start, sentence.end
        signals = block
        if stop - begin < len(text):
            signals = own or self.flags(text[begin:stop], self._marked)
            if named and named[0].start < begin:
                # "... fixes all three" after the paragraph named them
                signals = _Signals(signals.found | {CONDITION}, signals.keys)
        flags = self.families(signals)
        if not flags:
            return
        keys = signals.keys

        def find(family: str, scan: str | None = None,
                 trigger_family: str | None = None) -> list[re.Match[str]]:
            return self.family[family].find(scan or text, begin, stop,
                                            keys.get(trigger_family or family, set()))

        senses: list[tuple[int, int]] | None = None

        def plain(start: int, end: int) -> bool:
            nonlocal senses
            if senses is None:
                senses = [m.span() for m in self.other_senses.finditer(text, begin, stop)]
            return not any(a < end and start < b for a, b in senses)

        def named_plainly(start: int, end: int) -> bool:
            """A condition's name not in another sense; a sense inside the name is part of
            it ("lower back" in "lower back pain" is no verb "lower")."""
            plain(start, end)  # finds the senses
            return not any(a < end and start < b and not _within(a, b, (start, end))
                           for a, b in senses or ())

        health_seen: list[bool] = []

        def health_word() -> bool:
            """A health word in its plain sense anywhere in the sentence (asked once)."""
            if not health_seen:
                health_seen.append(any(plain(*m.span())
                                       for m in self.health.finditer(text, begin, stop)))
            return health_seen[0]

        # "pain diary", "cured ham": the condition word is not about a condition there. Of
        # the conditions named before the sentence, only the last matters ("... fixes it").
        first = bisect_left(named, begin, key=_start)
        mentions = [m for m in named[first:bisect_left(named, stop, key=_start)]
                    if m.end <= stop and named_plainly(m.start, m.end)]
        earlier = [*named[max(0, first - 1):first], *mentions]
        verbs = [(found, kind) for kind in ("reversal", "treatment") if kind in flags
                 for found in find(kind)]
        if mentions and verbs:
            yield from self._effects(text, begin, stop, mentions, verbs)
        if "reversal" in flags:
            yield from self._restored(text, begin, stop,
                                      [found for found, kind in verbs if kind == "reversal"])
        indexed = _Mentions(mentions)
        if earlier and verbs:
            yield from self._pronouns(text, _Mentions(earlier), verbs)
        if mentions and "outcomes" in flags:
            yield from self._outcomes(
                text, begin, stop, indexed,
                [(found, False) for found in find("outcomes")]
                + [(found, True) for found in find("soft_outcomes", None, "outcomes")])
        elif earlier and "outcomes" in flags:
            yield from _pronoun_outcomes(text, begin, earlier[-1], find("outcomes"))
        if "certainty_alone" in flags:
            for found in find("certainty_alone"):
                yield Claim("certainty", found.start(), found.end(), None)
        masked: str | None = None
        for kind in _KIND_ORDER:
            if kind not in flags:
                continue
            if kind in _MEDICINE_KINDS and masked is None:
                masked = self._masked(text, begin, stop)
            scan = masked if kind in _MEDICINE_KINDS else text
            for found in find(kind, scan):
                if kind in ("protection", "certainty"):
                    clause = self._clause(text, begin, stop, found.start())
                    mention = self._near(indexed, text, found.start(), found.end(),
                                         (begin, stop) if kind == "certainty" else clause)
                    healthy = kind == "certainty" and health_word()
                    episode = _EPISODE.match(text, found.end(), stop) \
                        if kind == "protection" and mention is None and mentions else None
                    if episode:
                        # "Migraine? ... they haven't had a single attack since": an episode
                        # of the condition the sentence named.
                        mention = indexed.last_ending_by(found.start()) or mentions[-1]
                    if mention is None and kind == "protection" and earlier and \
                            _PRONOUN.match(text, found.end()) and \
                            earlier[-1].end <= found.start():
                        mention = earlier[-1]  # "Hay fever? Our honey prevents it."
                    if mention is None and not healthy and not (
                            kind == "protection" and _self_contained(found.group())):
                        continue
                    if kind == "certainty" and mention is not None and (
                            _QUANTIFIED.search(text, max(begin, mention.start - 30),
                                               mention.start)
                            or (found.group() in _NATURE
                                and _IS.fullmatch(text, mention.end, found.start()))):
                        # "most age-related hearing loss is permanent", "noise-induced
                        # hearing loss is permanent": what the condition is, no result promised
                        continue
                    yield Claim(kind, found.start(), episode.end() if episode else found.end(),
                                _surface(text, mention) if mention else None,
                                _at(mention) if mention else None)
                elif kind == "proof" and _LOOSE_PROOF.fullmatch(found.group()) and not (
                        mentions or any(plain(*m.span())
                                        for m in self.health.finditer(text, begin, stop))):
                    continue  # "proven to survive three Christmases": proof of no health claim
                else:
                    yield Claim(kind, found.start(), found.end(), None)

    def _masked(self, text: str, begin: int, stop: int) -> str:
        """The text with each medicine phrase in [begin, stop) replaced by one masked word of
        the same length, so offsets stay true."""
        spans = [found.span() for found in self.medicine.finditer(text, begin, stop)]
        if self._drugs_here:
            # A listed medicine name the phrases do not hold ("switch from glipizide").
            phrases_found = _Mentions([Mention(a, b, "") for a, b in spans])
            spans += [found.span() for found in _TOKEN.finditer(text, begin, stop)
                      if found.group() in self.drugs
                      and not phrases_found.holds(found.start())]
            spans.sort()
        pieces = [text[:begin]]
        at = begin
        for start, end in spans:
            pieces += [text[at:start], _MASK * (end - start)]
            at = end
        pieces.append(text[at:])
        return "".join(pieces)

    def _outcomes(self, text: str, begin: int, stop: int, mentions: _Mentions,
                  outcomes: list[tuple[re.Match[str], bool]]) -> Iterator[Claim]:
        """What happened to a condition: "my sciatica was gone", "eczema vanished"."""
        hedged: bool | None = None  # the sentence's hedge, looked for once
        contrasts = _marks(_CONTRAST, text, begin, stop)[1]  # the writer's voice again
        for found, soft in outcomes:
            if soft:
                if hedged is None:
                    hedged = bool(self.soft_hedges.search(text, begin, stop)
                                  or self.hedges.search(text, begin, stop))
                if hedged:
                    continue
            # Not just the clause: "the lump ... and it's shrinking" (a pronoun) counts.
            passed = bisect_right(contrasts, found.start())
            voice = contrasts[passed - 1] if passed else begin
            last = mentions.last_ending_by(found.start(), voice)
            before = [last] if last is not None else []
            if not before and not soft:
                yield from self._taken_up(text, voice, found, mentions)
                continue
            if soft and before and (_QUANTIFIED.search(
                    text, max(begin, before[-1].start - 30), before[-1].start)
                    or _LIST_BREAK.search(text, before[-1].end, found.start())
                    or _RESTRICTIVE.match(text, before[-1].end)):
                # "most neck ache improves within weeks": the illness's course; "if you
                # feel chest pain, stop": another clause; "pain that eases when you move":
                # which pain is meant, not what became of it.
                continue
            if before and len(_WORDS.findall(text, before[-1].end, found.start())) \
                    <= self.outcome_reach:
                # Right after its condition, the outcome reads with it: "Pain-free".
                touching = not _WORDS.search(text, before[-1].end, found.start())
                if found.group().lower() == "free" and not touching:
                    continue  # "flu jabs are free", but "pain-free"
                if touching and found.group().lower() == "free" and _CRITERION.search(
                        text, max(begin, before[-1].start - 60), before[-1].start):
                    continue  # "such as hopping pain-free for 30 seconds"
                yield Claim("treatment", before[-1].start if touching else found.start(),
                            found.end(), _surface(text, before[-1]), _at(before[-1]))

    @staticmethod
    def _taken_up(text: str, voice: int, found: re.Match[str],
                  mentions: _Mentions) -> Iterator[Claim]:
        """An outcome whose subject takes up a condition named earlier in the sentence:
        "Sciatica, nerve pain: rub it in, and that burning is relieved"."""
        subject = _SUBJECT_ANAPHOR.search(text, voice, found.start())
        named = mentions.last_ending_by(voice) if subject else None
        if named is not None:
            yield Claim("treatment", subject.start(), found.end(), _surface(text, named),
                        _at(named))

    # -- scope ------------------------------------------------------------------------------

    def _in_quotation(self, text: str, begin: int, stop: int, start: int, end: int) -> bool:
        """The claim lies inside a quotation that runs over more than one sentence, which is
        someone else's words by the same tests as a quotation within one sentence: 'An
        advert says: "Our turmeric rebuilds cartilage. Ditch the painkillers for good."'"""
        marks = _marks(_DOUBLE_QUOTE, text, 0, len(text))[0]
        before = bisect_left(marks, start)
        if before % 2 == 0:
            return False  # no quotation open where the claim starts
        opened, closing = marks[before - 1], bisect_left(marks, end)
        if opened >= begin and closing < len(marks) and marks[closing] < stop:
            return False  # opened and closed in the sentence: _quoted_term judged it
        sentences = self.sentences(text)
        first = sentences[bisect_right(sentences, opened, key=_sentence_start) - 1]
        last = len(sentences) if closing == len(marks) else bisect_right(
            sentences, marks[closing], key=_sentence_start)
        return _quoted_term(text, first.start, start, end, sentences[last - 1].end)

    def _quoted_speech(self, text: str, sentence: Sentence) -> str | None:
        """Why a sentence that is only a quotation is someone else's words (None: it is not,
        or it may be the publisher's testimonial): the next sentence answers it with a
        denial ('"Safer than ibuprofen." No active substance has zero side effects.'), or
        the sentence before it, or before the run of quotations it belongs to, names whose
        words they are ('The promises are big. "Flush out toxins in just 14 days."'). A
        testimonial followed by its author or more praise stays the publisher's claim."""
        if not _WHOLE_QUOTE.fullmatch(text, sentence.start, sentence.end):
            return None
        sentences = self.sentences(text)
        after = bisect_right(sentences, sentence.start, key=_sentence_start)
        if after < len(sentences) and _REBUTTAL.match(
                text, sentences[after].start, sentences[after].end):
            return "quoted to be rebutted"
        if _names_speakers(text, reversed(sentences[max(0, after - 1 - QUOTE_RUN):after - 1])):
            return "quoted after a lead naming someone's claims"
        # Or the run of quotations is named after it: '"This spice fights cancer." "..."
        # Health headlines are designed to be clicked.'
        if _names_speakers(text, sentences[after:after + QUOTE_RUN]):
            return "quoted before a sentence naming someone's claims"
        return None

    def in_scope(self, text: str, sentence: Sentence, claim: Claim, cited: bool) -> bool:
        """Whether the writer makes this claim, stated as fact, in their own voice."""
        return self.out_of_scope(text, sentence, claim, cited) is None

    def out_of_scope(self, text: str, sentence: Sentence, claim: Claim,
                     cited: bool) -> str | None:
        """Why the claim is not the writer's own, stated as fact (None: it is)."""
        begin, stop = sentence.start, sentence.end
        start, end = claim.start, claim.end
        if sentence.question and not _LATE_QUESTION.search(text, end, stop):
            return "question"
        if claim.kind == "proof" and _DENIED_PROOF.search(text, start, end):
            return "denied"  # "observational studies cannot prove that ..."
        if claim.kind == "proof" and _WHAT_BEFORE.search(text, max(begin, start - 30), start):
            return "an indirect question"  # "What dermatologists recommend for acne"
        for other in self.other_senses.finditer(text, max(begin, start - 40),
                                                min(stop, end + 40)):
            if other.start() < end and other.end() > start and \
                    not _within(*other.span(), claim.condition_at):
                return "another sense of the words"
        if _quoted_term(text, begin, start, end, stop) or _scare_quoted(text, start, end) or \
                self._in_quotation(text, begin, stop, start, end):
            return "quoted as a term"
        quoted = self._quoted_speech(text, sentence)
        if quoted:
            return quoted
        if not whole_quotation(text) and _advert_quoted(text, start, end):
            # A quotation inside the writer's own prose; a paragraph that is only a
            # quotation is judged by what leads into it and answers it (claim_rules).
            return "quoted in another's voice"
        colon = text.find(":", begin, start)
        if colon >= 0 and (self.label.fullmatch(text, begin, colon) or (
                len(_WORDS.findall(text, begin, colon)) <= 8
                and self.label_word.search(text, begin, colon))):
            return "labelled as a myth or claim"  # "Myth 2:", "My aunt's theory, ...:"
        clause_start, clause_end = self._clause(text, begin, stop, start)
        voice = begin
        for found in _CONTRAST.finditer(text, begin, start):
            voice = found.end()
        prefix = text[clause_start:start]
        words = list(_WORDS.finditer(prefix))
        near = prefix[words[-self.negation_reach].start():] \
            if len(words) > self.negation_reach else prefix
        if _RELATIVE_ASIDE.match(prefix):
            # "Our balm, which no other brand can match, cures eczema": the aside's "no" is
            # over when its comma closes it.
            near = near[near.rfind(",") + 1:]
        answer = _ANSWER_NO.match(text, begin)  # "No, natural ingredients never interfere"
        near_at = start - len(near)
        if any(not (_COMPARED_AWAY.fullmatch(found.group()) and "," in near[found.end():])
               and not (answer and near_at + found.start() < answer.end())
               for found in self.negations.finditer(near)) and not _affirming(near) and \
                not (claim.kind == "safety" and _NO_LIST.fullmatch(near)):
            return "denied"
        if any(not _endorsed_aside(text, found.start(), found.end(), start)
               and not _own_testimony(text, voice, found)
               and not _concessive(text, voice, found, start)
               and not _CONSPIRACY.search(text, max(voice, found.start() - 40), found.start())
               for found in self.distancing.finditer(text, voice, start)):
            return "reported or warned about"
        if self.conditionals.search(text, voice, start):
            last = max(m.end() for m in self.conditionals.finditer(text, voice, start))
            if "," not in text[last:start] and "then" not in text[last:start].lower():
                return "conditional"
        if claim.condition_at is not None and claim.condition_at[0] == start and \
                _WHILE_IT_RUNS.search(text, max(begin, start - 20), start):
            # "As the pain settles, stretches can go further": a time in the illness's
            # course, and nothing said to act on it.
            return "the natural course"
        course = _NATURAL_COURSE.search(text, clause_start, clause_end) or \
            _MOST_CASES.search(text, clause_start, clause_end)
        if course and course.re is _MOST_CASES and _HELPED_ALONG.search(text, course.end(),
                                                                       clause_end):
            course = None  # "most aches fade for good within days of starting the drops"
        # (A condition in the next clause is not what this one acts on: "most colds clear up
        # on their own within a week or two, although a cough can hang around longer".)
        acted_on = claim.condition_at is not None and start < claim.condition_at[0] < clause_end
        if course and not acted_on and (
                claim.kind == "certainty" or (start < course.end() and course.start() < end)):
            # "most bruises heal on their own within a fortnight", "most clear up within a
            # week without any treatment": an illness running its course, nothing acting.
            return "the natural course"
        trailing = _TRAILING_PHRASE.search(text, end, clause_end)
        if self.hedges.search(text, clause_start, trailing.start() if trailing else clause_end) \
                or self.prefix_hedges.search(text, clause_start, end):
            return "hedged"
        if any(not (trailing and trailing.start() < found.start())
               and not _timing_aside(text, end, found)
               and not _relative_aside(text, clause_start, start, end, found)
               for found in self.soft_hedges.finditer(text, clause_start, clause_end)) and \
                not self.strong.search(text, start, end):
            return "hedged"
        after_end = stop
        for found in _CONTRAST.finditer(text, end, stop):
            after_end = found.start()
            break
        if any(not (_SELF_RESOLVING.fullmatch(found.group()) and (
                claim.kind == "substitution"  # "ditch the stimulants and ... focus on its own"
                or (claim.condition_at and claim.condition_at[0] > start)))
               for found in self.denials_after.finditer(text, end, after_end)):
            return "denied after"  # not "it clears lymphoedema on its own": the product's own
        if self.doubts_after.search(text, end, stop):
            return "doubted after"
        if claim.kind in ("substitution", "certainty") and self._went_wrong(text, sentence, claim):
            return "a story of harm"
        if claim.kind == "substitution" and _GRADUAL.search(text, begin, stop) and \
                _PRESCRIBER.search(text, begin, stop) and \
                not _UNSUPERVISED.search(text, begin, stop):
            # "Dr Anand and I reduced the amitriptyline gradually and I stopped": a medicine
            # tapered with its prescriber is care, not doing without it.
            return "a supervised change"
        if claim.kind == "treatment" and _WHAT_HELPS.fullmatch(text, begin, start) and \
                not _CLEFT.search(text, end, stop):
            # "What actually helps plantar fasciitis"; not "What cleared my eczema was ...".
            return "an indirect question"
        if _ATTEMPT.search(text, max(begin, start - 20), start):
            return "an attempt"  # "the oldest ways people try to ease sore joints"
        if after_end < stop and text[after_end] not in ";:" and \
                _NATURAL_COURSE.search(text, after_end, stop):
            # "Belladonna had cured her son's ear infection, ... but most childhood ear
            # infections clear up on their own": the writer doubts the cure. (After a colon
            # the course is the claim: "Forget surgery: the ligament heals on its own".)
            return "doubted after"
        # Medicine as the actor, before the verb in its clause ("the new drug lowers blood
        # pressure"; after a comma only: "Long before antibiotics, thyme steam cured ...")
        # or as the agent after it ("can now be cured with antiviral tablets").
        actor_words = _WORDS.findall(_REPORTED_THAT.split(prefix.rsplit(",", 1)[-1])[-1])[-6:]
        if not actor_words:  # "Statins lower LDL and, in people at risk, reduce ...": the
            actor_words = _WORDS.findall(prefix)[:4]  # subject opens the sentence
        elif actor_words[0] in _PREDICATE_STARTS:
            # "Some medicines used for gut conditions, such as mesalazine, are important for
            # keeping inflammation under control": after an aside, the subject opens it.
            actor_words = _WORDS.findall(prefix)[:4] + actor_words
        elif actor_words[0] in _RELATIVES:
            # "See your GP, who can treat them": the relative stands for the noun before it.
            actor_words = _WORDS.findall(text, max(begin, clause_start - 60),
                                         clause_start)[-_ANTECEDENT_WORDS:] + actor_words
        if actor_words and actor_words[0] in _SUBJECT_PRONOUNS:
            # "It works within minutes", "it's a well-established treatment for psoriasis":
            # the pronoun stands for what the sentence, or the one before, opened with.
            opening = begin if clause_start > begin else self._previous_start(text, begin)
            actor_words = _WORDS.findall(text, opening, opening + 60)[:_ANTECEDENT_WORDS] \
                + actor_words
        actor_words = _conventional(self._products(actor_words))
        actor = " ".join(actor_words)
        # The claim may hold its own passive: "thrush is treated (with ...)".
        passive = _PASSIVE.search(prefix) or _PASSIVE.search(text, start, end)
        agent = _AGENT.search(text, end, clause_end) if passive else None
        if agent is None and _WENT_INTO.search(text, start, end):
            agent = _AFTER.search(text, end, clause_end)
        if agent is None and claim.kind == "treatment" and not _WORDS.search(prefix) and \
                _GERUND.match(text, start, end):
            # A list item of care that names what gives it, later in its sentence:
            # "- treating hearing loss, for example with hearing aids".
            agent = _AGENT.search(text, end, stop)
        if _HOSPITAL_USE.search(text, begin, start) and _USED_TO.search(prefix):
            return "medical care acts"  # "In hospitals, hyperbaric oxygen is used to treat"
        if claim.kind == "treatment" and _CARE_RECEIVED.match(text, start, end) and \
                _CARE_PASSIVE.search(prefix) and not _AGENT.search(text, end, clause_end):
            return "medical care received"  # "was treated for fleas before rehoming"
        if claim.kind == "substitution" and _BODYS_OWN.search(text, start, end):
            return "the body's own"  # "insulin adds to or replaces your own insulin"
        if claim.kind == "treatment" and _care_in_general(text, begin, start):
            return "medical care acts"
        if claim.kind == "treatment" and _PRESCRIBED_TO.search(text, max(begin, start - 80),
                                                               start):
            return "medical care acts"  # "the inhaler her asthma team prescribed to keep ..."
        if claim.kind == "treatment" and _LICENSED_FOR.search(text, max(begin, start - 50), start):
            return "medical care acts"  # "one device has FDA clearance for treating ..."
        if _NONE_THAT.search(text, max(begin, start - _NONE_REACH), start):
            return "denied"  # "we are not aware of any supplement ... that has been shown to"
        if _HYPOTHETICAL.search(prefix) and _WOULD.search(text, end, stop):
            return "conditional"  # "a product that genuinely treated psoriasis would need ..."
        if claim.kind == "certainty" and text.startswith("every", start) and \
                _ADVICE_AFTER.match(text, end, clause_end):
            return "advice"  # "every child with asthma should have a written plan"
        if claim.kind == "comparison" and _CLINICIAN_SUBJECT.search(actor):
            return "a clinician judges"  # "my doctor preferred it to ibuprofen tablets"
        if claim.kind in ("treatment", "reversal", "protection") and not _OWNER.search(actor) \
                and not _CONTRASTED.search(actor) and (
                    self.medical_actors.search(actor)
                    # Not the long drug list: a claim for an off-label drug ("low-dose
                    # naltrexone is the cure for long Covid") is still a claim.
                    or any(self._medicine_actor(word, following)
                           for word, following in pairwise([*actor_words, ""]))
                    or (agent and self._medical_agent(text, agent.end(), clause_end))):
            return "medical care acts"
        return "cited" if claim.kind == "proof" and cited else None

    def _went_wrong(self, text: str, sentence: Sentence, claim: Claim) -> bool:
        """A stopped medicine or a time told as the start of what went wrong, in its sentence
        or the next: "Leah stopped her venlafaxine abruptly. Within days she had dizziness",
        "Margaret stopped her methotrexate without telling her rheumatology team". A
        testimonial goes on to the relief ("... and the pain never came back")."""
        stop = sentence.end
        if claim.kind == "substitution":
            if self.behind_backs.search(text, claim.end, stop):
                return True
            sentences = self.sentences(text)
            index = bisect_right(sentences, sentence.start, key=_sentence_start)
            if index < len(sentences):
                stop = sentences[index].end
        return any(not self.negations.search(text, max(claim.start, found.start() - 12),
                                             found.start())
                   for found in self.harms.finditer(text, claim.start, stop))

    def _previous_start(self, text: str, begin: int) -> int:
        """Where the sentence before the one at ``begin`` starts (``begin`` if none)."""
        sentences = self.sentences(text)
        index = bisect_left(sentences, begin, key=_sentence_start)
        return sentences[index - 1].start if index else begin

    def _medicine_actor(self, word: str, following: str) -> bool:
        """An actor word that names medicine: not care in general ("a scan"), not "a
        drug-free answer to hypertension", and an adjective only before care ("medical
        treatment", not "the medical room" or "an anti-inflammatory diet")."""
        if not self.medicine_word.fullmatch(word) or word in _CARE_WORDS or following == "free":
            return False
        return word not in _CARE_ADJECTIVES or following in _CARE_NOUNS or bool(
            following and self.medicine_word.fullmatch(following))

    def _medical_agent(self, text: str, begin: int, clause_end: int) -> bool:
        """The agent of a passive claim is medical care: "is treated with antifungal
        pessaries", "are calmed by steroid creams"; not "with our herbal tablets"."""
        if self.medical_actors.search(text, begin, clause_end):
            return True
        words = _WORDS.findall(text, begin, clause_end)[:_AGENT_WORDS]
        if "our" in words:
            return False
        return any((self.medicine_word.fullmatch(word) and word not in _CARE_WORDS)
                   or word in self.drugs for word in self._products(words))

    def _products(self, words: list[str]) -> list[str]:
        """The actor's words, with a product's form standing for the product: "aged garlic
        tablets", "raspberry leaf fusion" are the wellness product acting, not medicine.
        A dosage form after a word that is no medicine ("garlic tablets"), and a word that
        names medicine only inside a phrase ("spinal fusion", "hearing aids") outside one,
        become "product"."""
        out = list(words)
        for index, word in enumerate(words):
            if word not in _DOSAGE_FORMS and word not in _PHRASE_ONLY:
                continue
            before = words[index - 1] if index else ""
            if word in _DOSAGE_FORMS and (not before or before in _DETERMINERS
                                          or before in self.drugs
                                          or self.medicine_word.fullmatch(before)
                                          or self._names_condition(before)):
                continue  # "the tablets", "metformin tablets", "threadworm tablets"
            near = " ".join(words[max(0, index - 2):index + 1])
            if not any(len(found.group()) > len(word) for found in self.medicine.finditer(near)):
                out[index] = "product"
        return out

    def _names_condition(self, word: str) -> bool:
        """A condition's name, or a compound ending in one ("threadworm", "hayfever"): the
        tablets it qualifies are medicine for it."""
        words = self.words
        return any(words.kind_of(words.lookup(word[cut:])) & (NAMES | ENDS)
                   for cut in range(0, max(1, len(word) - 3)))

    def read(self, text: str, cited: bool = False,
             enabled: set[str] | None = None) -> Reading:
        """The claims in a text: per sentence, the first of each kind the writer makes (among
        the ``enabled`` kinds), in order; and the sentences read. ``cited``: the text links a
        source, which a sentence with a proof claim then rests on."""
        found: list[Claim] = []
        read: list[SentenceRead] = []
        lower = lowercase(text)
        tokens = set(_TOKEN.findall(lower)) - self._plain
        signals = self._signals(tokens)
        flags = self.families(signals)
        if not flags:
            return Reading(found, read)
        self._marked = tokens - self._plain  # each sentence's words are looked up among these
        # Most blocks name no listed medicine: then _masked need not look word by word.
        self._drugs_here = not self.drugs.isdisjoint(self._marked)
        named = self.words.find(lower) if CONDITION in flags else []
        whole = len(lower)
        for sentence in self.sentences(lower):
            own = signals if sentence.end - sentence.start >= whole else self.flags(
                lower[sentence.start:sentence.end], self._marked)
            candidates = list(self.candidates(lower, sentence, signals, named, own))
            read.append(SentenceRead(sentence, own.found, bool(candidates)))
            if not candidates:
                continue
            if cited and any(self.out_of_scope(lower, sentence, c, cited) == "cited"
                             for c in [c for c in candidates if c.kind == "proof"][:_JUDGED]):
                continue  # "clinically proven to ease pain", with the study linked
            kinds: dict[str, Claim] = {}
            judged: dict[str, int] = {}
            for claim in candidates:
                if (enabled is not None and claim.kind not in enabled) or claim.kind in kinds:
                    continue
                # Judging a reading looks across its sentence; a sentence of thousands of
                # readings of one kind (hostile input: 16 KB of "what doctors recommend")
                # would cost their square. No real sentence holds more than a few.
                judged[claim.kind] = judged.get(claim.kind, 0) + 1
                if judged[claim.kind] <= _JUDGED and self.in_scope(lower, sentence, claim, cited):
                    kinds[claim.kind] = claim
            found += [_named(claim, text) for claim in self._merged(lower, sentence, kinds)]
        return Reading(found, read)

    def _merged(self, text: str, sentence: Sentence, kinds: dict[str, Claim]) -> list[Claim]:
        """One finding per claim a reader would see: a claim inside another's words
        ("cure-all" in "cure-all for aches and pains") folds into the larger claim. A
        certainty beside a cure ("clears eczema every time") is a claim of its own, with
        its own fix."""
        claims = [kinds[kind] for kind in KINDS if kind in kinds]
        kept: list[Claim] = []
        for claim in claims:
            if any(other is not claim and other.start <= claim.start and claim.end <= other.end
                   and (other.start, -other.end) != (claim.start, -claim.end)
                   for other in claims):
                continue
            kept.append(claim)
        return sorted(kept, key=lambda claim: (claim.start, claim.end))


_SELF_CONTAINED = re.compile(
    r"sail|breeze|nowhere|too |from ever|protected (?:for|forever)|colds?$"
    r"|(?:never|won't|can't|cannot|don't|will not|no more|never again)$", re.IGNORECASE)
_AFFIRMING = re.compile(
    r"\b(?:not|never|n't)\b[^.]*\b(?:again|any ?more|anymore|since|looked back)\b"
    r"|\bno (?:more|longer)\b", re.IGNORECASE)
# A reply that opens with a bare no, then says something of its own: "No, natural
# ingredients never interfere with prescription medicines".
_ANSWER_NO = re.compile(r"""[\s"'*_]*no\s*[,.!;:\u2013\u2014]""")
_ATTEMPT = re.compile(r"\b(?:try|tries|tried|trying|attempt|attempts|attempted|attempting)"
                      r"\s+to\s+$")
# A headline's indirect question, opening its sentence (not "the broth is what healed it").
_WHAT_HELPS = re.compile(r"""(?:[^?]*\?)?[\s"'*_#]*what\s+(?:(?:actually|really|truly|else)\s+)?""")
_CLEFT = re.compile(r"\b(?:was|is|were|are|turned out to be)\b")
# A medicine reduced in steps, with the one who prescribed it (claim: a supervised change).
_GRADUAL = re.compile(r"\b(?:gradually|slowly|in (?:small )?(?:stages|steps)|step by step|"
                      r"bit by bit|taper(?:ed|ing)?|"
                      r"over (?:several|a few|many) (?:weeks|months))\b")
_PRESCRIBER = re.compile(r"\b(?:dr\.?\s+[a-z]+|doctor|gp|psychiatrist|prescriber|consultant|"
                         r"specialist|pharmacist|nurse|check-ins?|reviews?)\b")
_UNSUPERVISED = re.compile(r"\b(?:our|for good|forever|for ever|never again|naturally|"
                           r"no longer need)\b")
_WHAT_BEFORE = re.compile(r"\bwhat\s+(?:the\s+|most\s+|many\s+)?$")
# "Proven to <anything>" is a health claim only in a sentence about health.
_LOOSE_PROOF = re.compile(r"(?:proven|proved) (?:to [\w']+|that)"
                          r"|(?:an? |the )?proven (?:way|route|method|answer|solution|fix)")
_OWNER = re.compile(r"\bour\b", re.IGNORECASE)
_RESTRICTIVE = re.compile(r"\s+that\b", re.IGNORECASE)
# An episode of a condition, after "never had" or "haven't had".
_EPISODE = re.compile(
    r"\s+(?:(?:a\s+single|one\s+single|a|an|one|another|any|any\s+more|a\s+further)\s+)?"
    r"(?:(?:bad|major|full|proper|serious|new)\s+)?"
    r"(?:attack|flare|flare[ -]up|episode|seizure|fit|relapse|outbreak|bout)s?\b")


# Words after a reversal within which what it restores is looked for: four words between
# them, and the restored thing's own words ("the full range of movement").
_RESTORED_REACH = 12
# A restored thing named further back than the verb, tied to it by a passive auxiliary.
_SUBJECT_SPAN = 100
_PASSIVE_SUBJECT_REACH = 10
_AUXILIARY = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got)\s+(?:\w+\s+)?$")
# How far the answer's verb may stand from the question that named its condition.
_ANSWER_REACH = 10
_SWEAR_BY = re.compile(r"(?:swear(?:s|ing)?|swore|sworn) by")
_WHICH_ASIDE = re.compile(r",\s*which\b")
# After a claim and a comma, "usually" times the result, it does not hedge the claim:
# "... clears it, usually within a week".
_TIMING_ASIDE = re.compile(r"(?:[^,;]*,\s*(?:and\s+)?)+")
_TIMING = re.compile(r"\s+(?:within|in|after|by|from)\b")
# Between an effect verb and a condition: the verb's object is the condition's cause.
_ROOT_CAUSE = re.compile(
    r"\s+(?:(?:the|your|their|his|her|my|this|that|these|those|all|any|every)\s+)?"
    r"(?:[\w'-]+\s+){0,3}?(?:"
    r"(?:that|which)\s+(?:(?:is|are|was|were|actually|really|secretly|"
    r"quietly|all)\s+){0,2}(?:(?:directly|partly|largely|ultimately)\s+)?"
    r"(?:cause[sd]?|causing|responsible\s+for|to\s+blame\s+for|behind|driv(?:e|es|ing)|"
    r"trigger(?:s|ed)?|feed(?:s|ing)?|fuel(?:s|led|ing)?|lead(?:s)?\s+to|underl(?:ie|ies)|"
    r"sit(?:s)?\s+behind|keep(?:s)?)"
    r"|(?:root\s+|real\s+|underlying\s+|hidden\s+|true\s+)?(?:causes?|source|origins?|roots?)"
    r"\s+of|behind|underlying)"
    r"\s+(?:(?:the|your|their|his|her|my|this|that|these|those|all|any|every|chronic)\s+){0,2}",
    re.IGNORECASE)
# "Physicians concur that cupping remedies ...": after a reporting "that", the subject of
# the claim is what follows, not the people who vouch for it.
_REPORTED_THAT = re.compile(r"\b(?:agree|agrees|concur|concurs|confirm|confirms|confirmed|"
                            r"know|knows|say|says|said|found|find|finds|shown|show|shows|"
                            r"proven|proved|established)\s+that\b")
# Dosage forms: medicine when they stand alone or after a medicine ("metformin tablets"),
# a product after anything else ("garlic tablets").
_DOSAGE_FORMS = frozenset({"tablet", "tablets", "pill", "pills", "capsules", "injections",
                           "shots", "shot", "jabs", "drops"})
_DETERMINERS = frozenset({"the", "a", "an", "my", "your", "his", "her", "their", "our",
                          "these", "those", "this", "that", "some", "any", "its"})
# Medicine words that are medicine only inside a longer phrase ("spinal fusion", "hearing
# aids", "knee replacements"): alone they are a tea "fusion" or a "replacement" meal.
_PHRASE_ONLY = frozenset({"fusion", "replacement", "replacements", "aids", "aid", "braces",
                          "glasses", "lenses", "killers", "relievers", "blockers",
                          "thinners", "physical", "radiation", "reconstruction", "crowns",
                          "canals", "check", "spot", "knife", "talk", "talking", "repair",
                          "repairs"})
# A medical setting and "is used to": how hospitals use a therapy, not a wellness claim.
_HOSPITAL_USE = re.compile(
    r"\b(?:in|at|by)\s+(?:(?:the|a|some|many|most|nhs)\s+)?(?:hospitals?|icus?|intensive care|"
    r"a&e|emergency (?:rooms?|departments?)|clinical practice|conventional medicine|"
    r"mainstream medicine|doctors|surgeons|clinicians|the nhs)\b")
_USED_TO = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+\s+)?(?:used|given|"
                      r"prescribed|administered)\s+(?:\w+\s+){0,3}?to\s+$")
_CONTRASTED = re.compile(r"\b(?:than|unlike|instead of|without|where|like|before|after|skip|"
                         r"ditch|forget|no need for|rather than)\b", re.IGNORECASE)
def _conventional(words: list[str]) -> list[str]:
    """The words without the care of another tradition ("a plant-medicine protocol", "herbal
    tablets"), which is no medical care acting."""
    return [word for before, word in pairwise(["", *words]) if before not in _ALTERNATIVE]


# Medicine of another tradition, not medical care: "a plant-medicine protocol that heals".
_ALTERNATIVE = frozenset({"plant", "herbal", "natural", "energy", "functional", "chinese",
                          "ayurvedic", "folk", "bush", "holistic", "integrative", "homeopathic",
                          "frequency", "vibrational", "spirit", "spiritual", "ancestral"})
# Medicine words that are adjectives: medicine only before a word of care.
_CARE_ADJECTIVES = frozenset({"medical", "physical", "inflammatory", "talking", "talk"})
_CARE_NOUNS = frozenset({"care", "treatment", "treatments", "therapy", "therapies", "help",
                         "attention", "advice", "procedure", "procedures", "intervention",
                         "interventions", "team", "teams", "staff", "science", "profession",
                         "professionals", "professional", "support", "supervision"})
# Medicine words that name a visit or a device, not medicine acting: "chiropractic check-ups
# protect", "the LumiMask clears acne".
_CARE_WORDS = frozenset({"test", "tests", "machine", "machines", "mask", "masks", "patch",
                         "patches", "patching", "induction", "inductions",
                         "check", "checkups", "scan", "scans", "screening", "screenings",
                         "rehab", "rehabilitation", "therapist", "aids", "aid", "care", "shot",
                         "shots"})
# Reporting verbs whose subject is the publisher's own ("runners on our forum swear by",
# "members of our challenge tell us"): a testimonial the publisher makes, not a report.
_TESTIMONY = re.compile(r"(?:swear(?:s|ing)?|swore|sworn)(?: by)?|tells? us|told us|"
                        r"(?:say|says|said|report|reports|reported)(?: that)?")
# What the publisher's customers, patients or readers tell it, passed on as its own
# testimonial ("parents tell us the colic vanished"), as against what people tell you.
_TOLD_US = re.compile(r"(?:tells?|told) us|tells? me")
_OTHERS = re.compile(r"\b(?:other|others|elsewhere|online|internet|forums?|some|friends|"
                     r"neighbours?|neighbors?|strangers|people on)\b")
_OUR_SUBJECT = re.compile(r"\bour\b[^,;:]*$")
# A soft verb's object is the people with the condition: comfort, not treatment.
_FOR_PEOPLE = re.compile(
    r"\s+(?:for|to)\s+(?:(?:people|those|anyone|someone|patients|women|men|children|kids|"
    r"families|adults|many)\s+)(?:who\s+(?:are\s+)?)?(?:living\s+with|with|who\s+have|"
    r"having|affected\s+by|going\s+through)\s+(?:\w+\s+){0,1}", re.IGNORECASE)
# Care a person or animal received, in the passive with no agent named: a report of care
# ("treated for fleas and worms"), not a claim about what cures.
_CARE_RECEIVED = re.compile(r"treated\s+for\b")
_CARE_PASSIVE = re.compile(r"\b(?:is|are|was|were|been|being|be|get|gets|got)\b[^.;:]{0,60}$")
_RELATIVES = frozenset({"who", "which", "that", "whom"})
_SUBJECT_PRONOUNS = frozenset({"it", "it's", "they", "they're"})
_RELATIVE_ASIDE = re.compile(r"\s*(?:which|who)\b[^,]*,")
# A thing supposed, not named, that would do it: "a product that really cured X would ...".
_HYPOTHETICAL = re.compile(r"\b(?:a|an|any)\s+(?:[\w'-]+\s+){0,2}(?:that|which)\s+"
                           r"(?:(?:genuinely|really|actually|truly|reliably|safely)\s+)?$")
_WOULD = re.compile(r"\b(?:would|could)\b")
# Someone's own experience: "I", "my", and a family's ("our son's seizures stopped", "we'd
# tried everything"), not a seller's "we" or "our formula".
_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we'd|we've|we were|we had|us|"
    r"our (?:son|daughter|baby|babies|child|children|kids?|boy|girl|twins|family|dog|cat|"
    r"puppy|horse|husband|wife|partner)s?(?:'s)?)\b")
# A person named after a quotation: '" — Sarah, Leeds', '", says Tom, 64', '" writes Derek'.
_ATTRIBUTED = re.compile(r"[\s,.!?*_)]*(?:[\u2014\u2013-]|\b(?:says|said|writes|wrote|shares|"
                         r"adds|explains|reports|tells|told|recalls|laughs|swears)\b)")
_ATTRIBUTION_REACH = 40
# Nothing of a kind does it: a negated head, then a relative clause that holds the claim
# ("there is no pill, powder or patch that reverses ..."), however long the list between.
_NONE_THAT = re.compile(
    r"\b(?:no|not\s+(?:aware\s+of|know\s+of|seen|found|heard\s+of|come\s+across)\s+(?:any|a|an)"
    r"|(?:never|yet\s+to)\s+(?:seen|see|found|find|met|meet|heard\s+of)\s+(?:any|a|an)"
    r"|not\s+a\s+single|none\s+of\s+the)\s+[^.;:?!()]{0,100}?\b(?:that|which|who)\s+"
    r"(?:[\w'-]+\s+){0,5}$")
_NONE_REACH = 160  # characters before the claim searched for that head
_CARE_IN_GENERAL = re.compile(r"(?:treatments?|care)\s+(?:for|of)\b")
_STANDARD_CARE = re.compile(r"\b(?:first|second|third)[\s-]+line\s+$|\b(?:standard|usual|"
                            r"recommended|mainstay|established|licensed|conventional)\s+$")
_BODYS_OWN = re.compile(r"\b(?:your|their|his|her|its|the body's|our) own\b")
# What a clinician prescribed something for: "the inhaler her asthma team prescribed to keep".
_PRESCRIBED_TO = re.compile(r"\bprescribed\s+(?:\w+\s+){0,3}?to\s+(?:[\w']+\s+){0,6}$")
# What a regulator allowed a medicine or device to do: "FDA clearance for treating".
_LICENSED_FOR = re.compile(r"\b(?:clearance|approval|approved|cleared|licen[cs]ed|licen[cs]e|"
                           r"authori[sz]ation|authori[sz]ed|indicated)\s+(?:\w+\s+){0,2}"
                           r"(?:for|to)\s*$")
# What everyone with a condition should do or have, after "every child with asthma".
_ADVICE_AFTER = re.compile(r"(?:\s+[\w'-]+){0,4}?\s+(?:should|must|needs?\s+to|ought\s+to|"
                           r"deserves?|is\s+entitled\s+to)\b")
# A reader's own clinician as the one who compares: "my doctor preferred it to tablets".
_CLINICIAN_SUBJECT = re.compile(
    r"\b(?:my|your|his|her|their)\s+(?:doctor|gp|physician|consultant|nurse|surgeon|"
    r"specialist|pharmacist|rheumatologist|dermatologist|cardiologist|physio|physiotherapist)$")


@lru_cache(maxsize=16)
def _sentences(text: str) -> tuple[Sentence, ...]:
    bounds: list[tuple[int, int]] = []
    begin = 0
    for stop in _SENTENCE_END.finditer(text):
        end = stop.start() if text[stop.start()] in _TICKS else stop.end()
        if text[begin:end].strip():
            bounds.append((begin, end))
        begin = end
    if text[begin:].strip():
        bounds.append((begin, len(text)))
    if "?" not in text:  # the common case: no question to weigh, no lead-in to join
        return tuple(Sentence(start, end, False) for start, end in bounds)
    found: list[Sentence] = []
    pending: int | None = None
    for index, (start, end) in enumerate(bounds):
        piece = text[start:end]
        question = bool(_QUESTION_TAIL.search(piece)) and not _RHETORICAL.match(piece)
        if pending is not None:
            start, pending = pending, None
        elif question and len(_WORDS.findall(piece)) <= _LEAD_IN_WORDS \
                and not _LEAD_IN.match(piece) and end < len(text):
            pending = start
            continue
        elif question and index + 1 < len(bounds) and _answered(text, *bounds[index + 1]):
            question = False
        found.append(Sentence(start, end, question))
    if pending is not None:
        found.append(Sentence(pending, len(text), True))
    return tuple(found)


def _answered(text: str, start: int, end: int) -> bool:
    """The question is answered at once, so asks nothing: by a product named in a verbless
    fragment ("What finally fixed my hidradenitis? This turmeric mask."), or by an unqualified
    yes that goes on to say more ("Can cold plunging reverse hair loss? Absolutely, the
    follicles regrow within weeks."). "Can it cure arthritis? The evidence says no." and
    "Can diet help? Yes, for some people." still ask."""
    words = len(_WORDS.findall(text, start, end))
    if _AFFIRMED.match(text, start, end):
        return words >= _AFFIRMED_WORDS and _QUALIFIED.search(text, start, end) is None
    return words <= _ANSWER_WORDS and _ANSWER.match(text, start, end) is not None and \
        _NOT_AN_ANSWER.search(text, start, end) is None


# A weak verb on "it" made permanent: "this powder flushes them out for good".
_FOR_GOOD = re.compile(r"\s+(?:\w+\s+){0,2}?(?:for good|forever|for ever|once and for all|"
                       r"for life|clean|completely|entirely)\b")
_LEAD_IN_WORDS = 6  # a verbless question this short leads into the sentence after it
_ANSWER_WORDS = 8
_ANSWER = re.compile(r"[\s\"'*_]*(?:this|these|that|the|our|my|one|just|simply)\b")
_NOT_AN_ANSWER = re.compile(
    r"\b(?:no|not|never|nope|none|nothing|\w+n't|is|are|was|were|be|been|do|does|did|has|have|"
    r"had|can|could|will|would|should|may|might|must|question|answer|evidence|research|stud"
    r"(?:y|ies)|science|truth|jury|verdict|myth|claim|data|trial|trials)\b|\?")
_AFFIRMED = re.compile(r"[\s\"'*_]*(?:yes|yep|yeah|absolutely|definitely|certainly|"
                       r"of course|100%|you bet)\b")
_AFFIRMED_WORDS = 4  # a bare "Yes." may lead into a study's numbers, and asserts nothing
_QUALIFIED = re.compile(
    r"\b(?:but|however|though|although|not|no|never|\w+n't|may|might|could|some|many|most|"
    r"often|usually|sometimes|generally|if|unless|depends|evidence|research|stud(?:y|ies)|"
    r"trials?|review)\b")
_SUBJECT_WORDS = 8  # how far after its condition a verb may take it as its subject
_JUDGED = 24  # readings of one kind judged per sentence (see Reader.read)


@lru_cache(maxsize=16)
def _marks(pattern: re.Pattern[str], text: str, begin: int, stop: int
           ) -> tuple[list[int], list[int]]:
    """Where each match of ``pattern`` in text[begin:stop] starts and ends (clause breaks,
    words, contrasts), found once per sentence or clause and then bisected (a string's hash
    is kept with it, so the key costs nothing after the first time)."""
    spans = [found.span() for found in pattern.finditer(text, begin, stop)]
    return [start for start, _end in spans], [end for _start, end in spans]


class _Mentions:
    """Spans in order of their starts (a sentence's condition mentions, its medicine
    phrases), looked up by bisection."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.items = mentions
        self.starts = [mention.start for mention in mentions]
        self.longest = max((mention.end - mention.start for mention in mentions), default=0)

    def holds(self, at: int) -> bool:
        """Whether ``at`` lies inside a mention."""
        return any(mention.end > at for mention in self.between(at - self.longest, at))

    def between(self, low: int, high: int) -> list[Mention]:
        """The mentions that start within [low, high]."""
        return self.items[bisect_left(self.starts, low):bisect_right(self.starts, high)]

    def last_ending_by(self, at: int, after: int = -1) -> Mention | None:
        """The last mention (in order) that ends by ``at`` and starts at or after ``after``.
        Mentions do not overlap but for a head noun's, so the search back is short."""
        for index in range(bisect_right(self.starts, at) - 1, -1, -1):
            mention = self.items[index]
            if mention.start < after:
                return None
            if mention.end <= at:
                return mention
        return None


_PREDICATE_STARTS = frozenset({"is", "are", "was", "were", "can", "could", "will", "would",
                               "may", "might", "remain", "remains", "help", "helps"})
_ANTECEDENT_WORDS = 3
_AGENT_WORDS = 4  # the agent's noun phrase, read for medicine: "with antifungal pessaries"
_AGENT = re.compile(r"\b(?:with|by|using|thanks to)\b", re.IGNORECASE)
# What care brought about: "her lymphoma went into remission after chemotherapy".
_WENT_INTO = re.compile(r"\b(?:went|go|goes|gone|going)\s+(?:\w+\s+)?into\b")
_AFTER = re.compile(r"\b(?:after|following|with|thanks to)\b")
_GERUND = re.compile(r"\w+ing\b")  # a list item that opens with what it does
_PASSIVE = re.compile(r"\b(?:be|been|is|are|was|were|being|get|gets|got)\s+(?:\w+\s+){0,2}$"
                      r"|\b(?:be|been|is|are|was|were|being)\b", re.IGNORECASE)


# An outcome's subject that stands for the condition a sentence before it named: "I'd had
# sciatica for six years. After four sessions, it was gone for good."
_SUBJECT_PRONOUN = re.compile(
    r"\b(?:it|they|both(?:\s+of\s+them)?|all\s+(?:three|four|of\s+them))(?:'(?:s|ve|d|re))?"
    r"\s+(?:(?:has|have|"
    r"had|was|were|is|are|just|simply|completely|totally|finally|quickly|soon|all|really)\s+)"
    r"{0,3}$", re.IGNORECASE)


def _pronoun_outcomes(text: str, begin: int, named: Mention,
                      outcomes: list[re.Match[str]]) -> Iterator[Claim]:
    """What became of a condition the paragraph named before this sentence, said of a
    pronoun: "... it was gone for good", "... they disappeared"."""
    for found in outcomes:
        if named.end <= begin and _SUBJECT_PRONOUN.search(
                text, max(begin, found.start() - 40), found.start()):
            yield Claim("treatment", found.start(), found.end(), _surface(text, named),
                        _at(named))


@cache
def _families(found: frozenset[str]) -> frozenset[str]:
    """``Reader.families``, worked out once per combination of signals: it is asked for every
    block and sentence (61,000 times per 1,000 articles) and only a few combinations
    occur (139 on the benchmark corpus): the set comprehension over ``_NEEDS`` each time cost
    0.16 s of CPU per 1,000 articles, the cached lookup 0.02 s."""
    families = {family for family, needs in _NEEDS.items()
                if (family in found and needs <= found) or
                (family in _WHEN_NAMED and CONDITION in found and
                 _WHEN_NAMED[family] in found)}
    if "protection_alone" in found:
        families.add("protection")
    return frozenset(families) | (found & {CONDITION})


def _surface(text: str, mention: Mention) -> str:
    return " ".join(text[mention.start:mention.end].split())


def _sentence_start(sentence: Sentence) -> int:
    return sentence.start


def _start(mention: Mention) -> int:
    return mention.start


def _at(mention: Mention) -> tuple[int, int]:
    return mention.start, mention.end


def _named(claim: Claim, text: str) -> Claim:
    """The claim with its condition as the writer wrote it (it was read in lower case)."""
    if claim.condition_at is None:
        return claim
    start, end = claim.condition_at
    return replace(claim, condition=" ".join(text[start:end].split()))


def _self_contained(phrase: str) -> bool:
    """A protection phrase that names its own outcome ("immune to every bug", "never catch")
    needs no condition from the vocabulary."""
    return bool(_SELF_CONTAINED.search(phrase))


def _endorsed_aside(text: str, start: int, end: int, claim: int) -> bool:
    """ "Runners swear by X, which heals shin splints": swearing by a product reports no
    claim; the ", which" clause after it is the writer's own."""
    return bool(_SWEAR_BY.fullmatch(text, start, end + 3)
                and _WHICH_ASIDE.search(text, end, claim))


def _own_testimony(text: str, voice: int, found: re.Match[str]) -> bool:
    """A report whose subject is the publisher's own people: "runners on our forum swear by
    X", "members of our challenge tell us it cleared": the publisher's testimonial."""
    if _TOLD_US.fullmatch(found.group()):
        # "Parents tell us ...": what its customers tell the publisher, it passes on; not
        # "readers of other blogs tell us".
        return not _OTHERS.search(text, voice, found.start())
    return bool(_TESTIMONY.fullmatch(found.group())
                and _OUR_SUBJECT.search(text, voice, found.start()))


def _concessive(text: str, voice: int, found: re.Match[str], claim: int) -> bool:
    """ "Whether you've battled insomnia for months or years, our protocol will ...": a
    "whether" clause that opens the sentence and closes with a comma before the claim sets
    the scene, it doubts nothing ("the nurse will decide whether ..." still does); nor does
    a report inside it ("Whether ... or your consultant has told you ..., our powder heals
    ...")."""
    return bool(_WHETHER_OPENING.match(text, voice)) and "," in text[found.end():claim]


def _timing_aside(text: str, end: int, hedge: re.Match[str]) -> bool:
    """A soft hedge after the claim and a comma, on its timing: ", usually within a week"."""
    aside = _TIMING_ASIDE.match(text, end, hedge.start())
    return bool(aside and aside.end() == hedge.start() and _TIMING.match(text, hedge.end()))


def _names_speakers(text: str, run: Iterable[Sentence]) -> bool:
    """The first sentence of ``run`` that is not itself a quotation names whose words the
    quotations are (adverts, labels, headlines ...)."""
    for other in run:
        if not _WHOLE_QUOTE.fullmatch(text, other.start, other.end):
            return _QUOTE_LEAD.search(text, other.start, other.end) is not None
    return False


def introduces_quotation(lead: str) -> bool:
    """A paragraph that names whose words follow and ends with a colon ("Three claims I
    found on the boxes:"): the quoted paragraphs after it are someone else's. "Here is what
    our customers told us:" names no advertiser's words, and "a post from one of our
    members:" is the publisher's own testimonial."""
    lower = lead.lower()
    return lead.rstrip(" *_").endswith(":") and _QUOTE_LEAD.search(lower) is not None \
        and _OUR_PEOPLE.search(lower) is None


# The publisher's own people, whose quoted words it presents as its own testimonials.
_OUR_PEOPLE = re.compile(r"\b(?:our\s+(?:own\s+)?(?:clients?|customers?|patients?|members?|"
                         r"community|guests?|users?|readers?|students?|graduates?)|"
                         r"my\s+(?:clients?|customers?|patients?))\b")


def rebuts(text: str) -> bool:
    """The paragraph opens by denying what was just quoted: "There's no good evidence ..."."""
    return _REBUTTAL.match(text.lower()) is not None


def affirms(text: str, at: int) -> bool:
    """The text from ``at`` opens with a yes ("Yes, you can", "Absolutely.")."""
    return _AFFIRMED.match(text.lower(), at) is not None


def whole_quotation(text: str) -> bool:
    return _WHOLE_QUOTE.fullmatch(text) is not None


def _relative_aside(text: str, clause_start: int, start: int, end: int,
                    hedge: re.Match[str]) -> bool:
    """A soft hedge in a relative clause beside the claim, not over it: after it ("a
    drug-free answer to hypertension that lets many patients come off their pills"), or in
    an aside between commas before it ("Lichen sclerosus, which so many women are told to
    manage with steroids, responds to our protocol")."""
    if hedge.start() >= end:
        return _RELATIVE.search(text, end, hedge.start()) is not None
    return _RELATIVE.match(text, clause_start) is not None and "," in text[hedge.end():start]


def _restored_subject(text: str, end: int, verb: int) -> bool:
    """What was restored, as the verb's subject: right before it ("their nerves
    regenerated"), or further back in the passive ("follicles that lay dormant for years
    are reawakened"), the auxiliary tying them across the relative clause."""
    if _LIST_BREAK.search(text, end, verb):
        return False
    gap = len(_WORDS.findall(text, end, verb))
    return gap <= 2 or (gap <= _PASSIVE_SUBJECT_REACH
                        and _AUXILIARY.search(text, end, verb) is not None)


def _asked(text: str, mention: Mention, verb: int) -> bool:
    """The condition ends a short verbless question just before the verb: "Hot flushes?
    Our topper treats them." The question only names what the answer takes up."""
    mark = text.find("?", mention.end, verb)
    if mark < 0 or len(_WORDS.findall(text, mention.end, mark)) > 1:
        return False
    if len(_WORDS.findall(text, mark, verb)) > _ANSWER_REACH or \
            _SENTENCE_END.search(text, mark + 1, verb):
        return False
    opening = max(text.rfind(stop, 0, mention.start) for stop in ".!?\n") + 1
    return not _LEAD_IN.match(text, opening)


def _affirming(prefix: str) -> bool:
    return bool(_AFFIRMING.search(prefix))


def _quoted_term(text: str, begin: int, start: int, end: int, stop: int) -> bool:
    """The phrase in quotes as a term under discussion: words like "clinically proven"."""
    words = len(_WORDS.findall(text, start, end))
    for quote in _QUOTES:
        left = text.rfind(quote, begin, start)
        right = text.find(quote, end, stop)
        if left < 0 or right < 0:
            continue
        if quote == "'" and left and text[left - 1].isalnum():
            continue  # an apostrophe (it's), not an opening quote
        if _quote_marks(text, begin, left, quote) % 2:
            continue  # that quote closes an earlier quotation
        if len(_WORDS.findall(text, left, right)) <= min(words + _QUOTE_SLACK, _TERM_WORDS):
            return True
        if _NAMED_QUOTE.match(text, right + 1, stop) or _JUDGED_QUOTE.match(text, right + 1, stop):
            return True  # the "'lemon water kills cancer' post": someone else's words
        if _QUOTE_FRAME.search(text, begin, left) and not _OWN_LABEL.fullmatch(text, begin, left):
            return True  # "the 'guaranteed relief' on the box", "her testimonial: '...'"
        if _led_by_an_advert(text, begin, left):
            return True  # "an advert we saw last month promised: '...'"
        if _REPORTED_QUOTE.search(text, begin, left) and _QUOTE_LEAD.search(text, begin, left):
            return True  # 'a wellness site said valerian "works just like Valium ..."'

    return False


def _within(start: int, end: int, name: tuple[int, int] | None) -> bool:
    """A span of another sense lies inside a condition's name, and so is part of it ("lower
    back" in "lower back pain" is no verb "lower")."""
    return name is not None and name[0] <= start and end <= name[1]


def _care_in_general(text: str, begin: int, start: int) -> bool:
    """Medical care in general, or as guidelines rank it: a sentence that opens "Treatment
    for sudden hearing loss works best ...", "the first-line treatment for anaphylaxis"."""
    opens = not text[begin:start].strip(" *_\"'")
    return bool((opens and _CARE_IN_GENERAL.match(text, start))
                or _STANDARD_CARE.search(text, max(begin, start - 30), start))


def _advert_quoted(text: str, start: int, end: int) -> bool:
    """The claim lies inside a quotation that speaks for a product, not from someone's own
    experience, and that no person is named after: 'The box: "Clinically proven to reduce
    snoring."', 'The ad called them "the drug-free cure for snoring."' quote adverts. A
    testimony ('"My eczema cleared in a week," says Jess', '"... our son's seizures
    stopped"') stays the publisher's claim."""
    marks = _marks(_DOUBLE_QUOTE, text, 0, len(text))[0]
    before = bisect_left(marks, start)
    after = bisect_left(marks, end)
    if before % 2 == 0 or after >= len(marks) or after != before:
        return False  # not inside one closed quotation
    opened, closed = marks[before - 1], marks[after]
    return not _FIRST_PERSON.search(text, opened + 1, closed) and \
        not _ATTRIBUTED.match(text, closed + 1, closed + 1 + _ATTRIBUTION_REACH)


def _scare_quoted(text: str, start: int, end: int) -> bool:
    """The claim's first word or two in quotes of their own, held at a distance: "cold water
    'fixes' high blood pressure", "teas that "cure" eczema"."""
    quote = text[start - 1] if start else ""
    if quote not in _QUOTES or (quote == "'" and start > 1 and text[start - 2].isalnum()):
        return False
    close = text.find(quote, start, end)
    return close > start and len(_WORDS.findall(text, start, close)) <= _SCARE_WORDS


_SCARE_WORDS = 2


def _led_by_an_advert(text: str, begin: int, left: int) -> bool:
    """The quotation opens after a colon, and the words before the colon name an
    advertiser's words (``_QUOTE_LEAD``). Two plain searches, so a long line costs one pass."""
    colon = text.rfind(":", begin, left)
    return colon >= 0 and _COLON_BEFORE.fullmatch(text, colon, left) is not None and \
        _QUOTE_LEAD.search(text, begin, colon) is not None


@cache
def _quote_marks(text: str, begin: int, end: int, quote: str) -> int:
    """The quotation marks in text[begin:end]: for "'", not the apostrophes inside words
    ("influencer's", "it's"), which would make an opening quote look like a closing one."""
    if quote != "'":
        return text.count(quote, begin, end)
    return sum(1 for at in range(begin, end) if text[at] == "'" and not (
        at > begin and text[at - 1].isalnum() and at + 1 < end and text[at + 1].isalnum()))


@cache
def drug_names() -> frozenset[str]:
    """pipeline/data/drugs.txt: one-word medicine names (see scripts/build_drugs.py)."""
    text = resources.files("pipeline").joinpath("data", "drugs.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def reader() -> Reader:
    return Reader(phrases.data("claims.yaml"), vocabulary(), drug_names())


def compiled_reader() -> Reader:
    """The reader with every pattern compiled: done once before forking check workers."""
    found = reader()
    for family in found.family.values():
        family.patterns  # noqa: B018 - compiles them
    for name, value in vars(Reader).items():
        if isinstance(value, _Compiled):
            getattr(found, name)
    return found
