"""Whole articles written blind (tests/fixtures/blind_articles, by helpers who
saw neither the rule nor its word lists, from a brief like benchmarks/claims/BRIEF.md): 260
careful, evidence-aware articles that discuss conditions, medicines and misleading adverts,
and 130 marketing articles whose writers listed each claim sentence in a ``<!-- CLAIMS ... -->``
comment (which `check` does not read). The first two sets (careful 1-16, marketing 1-8) were
used to tune the rule after they were scored (headings that name a topic, "family history",
an aside before the predicate; adverts quoted after a colon); the third (careful 17-24,
marketing 9-12) was scored once and only one plain bug it showed was fixed ("research on back
pain" read as research that "backs"). So this guards against regressions; it is not a
measure of unseen writing. Scored before any tuning on them, the careful articles raised 6
findings in 5 of 8 (first set), 13 in 6 of 8 (second) and 3 in 3 of 8 (third); the marketing
claims were caught 31 of 32, 27 of 28 and 26 of 28. The fourth set (careful 25-32,
marketing 13-16, two writers, 7 December) was scored once, after all the tuning, and nothing
was changed for it: 14 findings in 4 of 8 careful articles (9 of them in one reader's letter
that quotes an advert and then rebuts it phrase by phrase) and 39 of 40 marketing claims.
Two general mechanisms came of it: a quotation that runs over two sentences is judged as one
(the letter's first four findings), and a sentence that is only a quotation, answered by a
denial ('"Safer than ibuprofen." No active substance ...'), is rebutted (the other five); the
rest are left as scored. The fifth set (careful 33-40, marketing 17-20, two writers asked to
quote the claims they criticise as real writers do) was scored once: 17 findings in 6 of 8
careful articles, 33 of 37 marketing claims. Tuned on after that: a heading in quotes, quoted
paragraphs after a lead that names adverts or labels, a quotation after a site that "said",
a refund guarantee ("if you do not feel renewed, we refund"), which the model no longer
vetoes: 2 findings in 2 articles and 36 of 37 claims now. The sixth set (careful 41-48,
marketing 21-24, two writers asked for the formatting real sites use) was scored once after
that: 12 findings in 5 of 8 careful articles, 34 of 36 marketing claims; tuned on after
(quoted phrases and examples as leads, "the thinking went", the pelvic floor, hearing aids
as care, guarantees to see benefits or that symptoms disappear): 6 in 2, and 36 of 36. The
seventh set (careful 49-56, marketing 25-28) was scored once, after all of that and after the
model stopped reading sentences under five words: 12 findings in 4 of 8 careful articles (most
in tables: a column of quoted "example wording", an acronym table of advice), 35 of 35
marketing claims. Tuned on after: a quoted table cell is wording under discussion, "return to
normal activity", "pain-free cardio", and "avoid" a medicine is advice, not a substitution:
3 findings in 2 articles. The eighth set (careful 57-64, marketing 29-32) was scored once,
after all the tuning: 6 findings in 4 of 8 careful articles, 35 of 37 marketing claims; tuned
on after (a quoted paragraph the next paragraph denies, a video or presenter as a lead, "a
clear injury", "associated with", "haven't needed a single tablet"): none, and 36 of 37. The
ninth set (careful 65-72, marketing 33-36) was scored once, after all of it: 11 findings in 4
of 8 careful articles (6 in one advice column about a mother sold an "arthritis cure"), 35 of
37 marketing claims; tuned on after (a heading that names care as a noun, "Pain relief";
quoted headlines named after them; a quotation judged after a dash; "beyond anything the
research supports", "less convincing as"; targeting people living with pain; getting money
back): 3 findings in 1 article. The tenth and eleventh sets (careful 73-80 and 81-88,
marketing 37-40 and 41-44, two writers, the 8th session) were scored once, after all of it:
5 findings in 4 of 8 careful articles and 28 of 28 marketing claims (tenth); 11 findings in 5
of 8 and 28 of 31 (eleventh). Tuned on after, with the sentence batch dev19: a title or
heading that asks its claim ("Rebuilds Cartilage in Weeks? A Closer Look at ..."); a heading
of quoted phrases; quoted list items after "a few lines we've seen", and a run of quotations
that the next paragraph denies ("None of these came with a published study."); an advert
"sold with the line '...'"; "end up in a cycle"; scare quotes on the verb ("cold water 'fixes'
high blood pressure"): 2 in 2 and 4 in 4, 28 of 28 and 30 of 31. The twelfth set (careful
89-96, marketing 45-48) was scored once, after that: 8 findings in 5 of 8 careful articles,
31 of 34 marketing claims. Tuned on after, with dev20: a quoted phrase that the sentence
judges ('"100% safe for everyone" ignores ...'), another company's words ("One insole
company's read: '...'"), "a traditional remedy for", miracle cures as a subject ("every era
has had its miracle remedies"), "rather than X," ending its negation at the comma, refund
terms said to the reader, hearing as a health outcome: 3 in 3, 34 of 34. The thirteenth set
(careful 97-104, marketing 49-52) was scored once, after that: 11 findings in 5 of 8 careful
articles (5 in a fact-check that quotes viral posts), 27 of 27 marketing claims. Tuned on
after, with dev21: a quotation answered by a verdict ("**Our verdict: misleading.**") or named
after it ("Testimonials like this one ..."), "Post 2:" as a label, what an advert "nudges you
to believe", studies that "struggled to show": 3 in 3. The fourteenth set (careful 105-112,
marketing 53-56) was scored once, after that: 8 findings in 5 of 8 careful articles, 31 of 33
marketing claims. Tuned on after, with dev22: the model reads no short fragment without a
full stop (lists of symptoms and warning signs, its most common false alarm in these
articles), a quotation in bold that opens a paragraph and is then denied or hedged ('**"Prevents
colds and flu."** Some analyses ... suggested'), "the idea was that", experts who "agree on"
facts: 1 in 1. The fifteenth set (careful 113-120, marketing 57-60) was scored once, after
that: 6 findings in 3 of 8 careful articles, 36 of 38 marketing claims. Tuned on after, with
dev23: a list item ending in a bracket is a fragment too, "a retired GP", "a friend says", a
"pain-free jog": 1 in 1. The sixteenth set (careful 121-128, marketing 61-64) was scored once,
at the end of the eighth session, and nothing was tuned on it: 2 findings in 1 of 8 careful
articles, 35 of 40 marketing claims. The seventeenth set (careful 129-136, marketing 65-68)
was scored once, at the start of the ninth session, before anything was tuned in it: 2
findings in 2 of 8 careful articles, 26 of 27 marketing claims; tuned on after, with dev24
and dev25 (others' framing, "videos present X as a fix for"): 1 in 1. The eighteenth set
(careful 137-144, marketing 69-72) was scored once, after that tuning, and nothing was tuned
on it: 3 findings in 3 of 8 careful articles, 31 of 37 marketing claims. The nineteenth set
(careful 145-152, marketing 73-76, tenth session) was scored once, before anything was tuned
in that session: 13 findings in 7 of 8 careful articles (five on adverts quoted as block
quotes after a lead naming a post, a sticker or a letter), 33 of 35 marketing claims. Tuned
on after, with dev26 and dev27 (such leads, "Neither of those ...", "the patch that will
'...'", a supposed product that "would" need licensing, advice to "every child with asthma",
a clinician's preference, "lower back pain" read as a condition): 4 in 4, 34 of 35. The
twentieth set (careful 153-160, marketing 77-80) was scored once, after that tuning: 11
findings in 5 of 8 careful articles, 33 of 36 marketing claims. Tuned on after (an advert that
"runs the line:", "The doctor told me:", a quotation with its source in brackets then
"**Rating: False.**", "the line about ...", "your own insulin", "left in overnight", "FDA
clearance for treating", ads "that say they '...'", and "most women on the programme" as the
publisher's own results, not a hedge): 3 in 2, 34 of 36. The twenty-first set (careful
161-168, marketing 81-84) was scored once, after all of the tenth session's tuning, and
nothing was tuned on it but one general mechanism, a relative clause under a negated head
("not aware of any supplement, app or course that has been shown to reverse dementia"): 8
findings in 5 of 8 careful articles, 31 of 36 marketing claims, as scored; 7 in 5 after. The
twenty-second set (careful 169-176, marketing 85-88), scored once after that: 17 findings in
all 8 careful articles (adverts quoted inside the writers' own sentences, a quoted reader's
letter, a title that quotes a campaign), 33 of 38 marketing claims; the same counts as the
session's first commit gave. Tuned on after: a quotation inside the writer's own prose that
speaks for a product (no "I" or "my", no person named after it) is an advert quoted, and
"None of the products ..." answers a run of quoted adverts: 10 in 8, 33 of 38; then "sold
... as a cure", "the first-line treatment for" and a sentence opening "Treatment for": 8 in
7. The twenty-third set (careful 177-184, marketing 89-92, eleventh session) was scored once,
before anything was tuned in that session: 5 findings in 4 of 8 careful articles, 53 of 64
marketing claims. Tuned on after, with dev30: "treats X as one illness" and "stop other
medicines working" as other senses, a bold label that is a sentence of its own before the
paragraph's text names a topic as a heading does, "fix what pills can't", "haven't taken a
single painkiller since", "trapped nerves", "years of postural damage": 2 in 2, 57 of 64.
The twenty-fourth set (careful 185-192, marketing 93-96) was scored once after that tuning,
and gave exactly what the session's first commit gave: 6 findings in 4 of 8 careful
articles, 47 of 55 marketing claims. Tuned on after: "Some of what I was told:" and "the menu
reads:" as leads, "as the pain settles", "without a doctor having examined me", a booking
link as no source for "clinically proven", "cuts inflammation", "why put your teenager in a
brace when ...": 1 in 1, 50 of 55. The twenty-fifth to twenty-seventh sets (twelfth session;
careful 193-204, 205-216, 217-228, marketing 97-102, 103-108, 109-114, three writers each, asked
to quote the claims they question and to tell patients' stories) were scored at the session's
first commit: 12 findings in 7 of 12 careful articles, 83 of 93 marketing claims; 30 in 11
of 12, 80 of 103; 16 in 9 of 12, 78 of 100. Nothing was tuned on them. The twenty-fifth
showed that careful articles are stopped mostly by claims they quote, which led to judging an
article by its strongest evidence (a quoted claim, or one only the model reads, is a warning
in an article that makes no claim of its own); scored before and after that: careful
articles stopped 7 -> 3 of 12, 11 -> 7 (the twenty-sixth, written while the quotation part
was built and scored before and after it; the model part changed nothing there) and 9 -> 7
(the twenty-seventh, written after both parts were built), every marketing article still
stopped, each listed claim still an error. The twenty-eighth set (careful 229-236, marketing
115-118, two writers asked for testimonials that name the condition in one sentence and say
what became of it in the next) was scored with the session's first commit (16 findings in 5
of 8 careful articles stopped, 50 of 73 marketing claims), after the change above (15, 4 of
8, 50 of 73) and after an outcome said of a pronoun for the condition named before it ("I'd
had sciatica for six years. After four sessions, it was gone for good."): the same careful
findings, 52 of 73 claims; then tuned on ("they've been gone"): 53 of 73. The twenty-ninth
set (careful 237-244, marketing 119-122, two writers, written after all of it) was scored
with the session's first commit and its last: careful articles stopped 5 -> 4 of 8 (11 -> 10
findings), marketing claims 41 of 55 both times, every marketing article stopped both times.
After it, a table cell whose row weighs it in another cell (a negation, a hedge, a rebuttal)
is under discussion: seven findings in four older careful articles went. The thirtieth set
(careful 245-252, marketing 123-126, written while that was built, two careful articles of
each writer asked to hold a table) was scored with the session's first commit (8 findings,
5 of 8 careful articles stopped), before the table change (6, 4 of 8) and after it (5, 3 of
8); marketing 42 of 51 all three times, every article stopped. Last, a claim in a link's
words (which name the page it leads to: "[Coming off antidepressants safely](...)") became
weaker evidence too, like a quotation (careful-242 stops no more). The thirty-first set
(careful 253-260, marketing 127-130, written while that was built) gave careful articles
stopped 8 of 8 with the session's first commit, 7 before the link change and 7 after;
marketing claims 48, 49 and 49 of 65, every article stopped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.checks.runner import check_paths
from pipeline.config import Config
from pipeline.findings import Finding

ARTICLES = Path(__file__).parent / "fixtures" / "blind_articles"
CLAIMS = re.compile(r"<!-- CLAIMS\n(.*?)-->", re.DOTALL)


def claim_findings(paths: list[Path]) -> list[Finding]:
    return [item for item in check_paths(paths, Config()).findings
            if item.rule == "medical-claim"]


def lines_of(found: list[Finding]) -> dict[str, set[int]]:
    lines: dict[str, set[int]] = {}
    for item in found:
        lines.setdefault(Path(item.path).name, set()).add(item.line)
    return lines


@pytest.fixture(scope="module")
def checked() -> list[Finding]:
    return claim_findings(sorted(ARTICLES.glob("*.md")))


@pytest.fixture(scope="module")
def findings(checked: list[Finding]) -> dict[str, set[int]]:
    return lines_of(checked)


# Known false positives: "myofascial release and connective tissue massage" reads as
# releasing a condition. (The model once read "I have asthma too." and "chronic kidney
# disease;" as claims; it no longer reads sentences of fewer than five words.)
KNOWN = {"careful-22.md": {24},
         # The fourth set, left as scored: the model on two list items (84%, 91%); a
         # recommended therapy that "tackles the habits and worries that keep insomnia
         # going". (A news headline, "Wristband Acupressure Eased Nausea ... in Small Trial",
         # passes since the thirteenth session: a result found in a small trial is hedged.)
         "careful-25.md": {67}, "careful-26.md": {17, 28},
         # The fifth set: the model on "Colds, flu and COVID-19." before a paragraph on the
         # trials (89%). (A bold list label, "Pain relief.", passes since the eleventh
         # session: a bold label followed by its own text names a topic, as a heading does.)
         "careful-40.md": {43},
         # The sixth set: hearing aids that "bring back" hearing, as the subject of a
         # reversal; "Lab studies show some essential oils can kill bacteria in a dish".
         # (An advert quoted after "Or:" passes since quotations in a product's voice do.)
         "careful-45.md": {38}, "careful-47.md": {35},
         # The seventh set: the model on a reader's question, "I've had sciatica for three
         # weeks."; a table
         # of advice, "Restore strength, movement and balance".
         "careful-49.md": {72}, "careful-56.md": {36},
         # The ninth set: a reader's question as a title, "... Spent £600 on an Arthritis
         # Cure"; a letter reporting that "she's talking about cutting down on the tablets";
         # "If a cheap, natural product reliably cured arthritis, ..." (the comma inside the
         # if-clause ends its scope).
         "careful-71.md": {13, 35},
         # The tenth and eleventh sets: "I cancelled my GP appointment twice because I felt
         # I was 'just stressed'" (a personal story, undone by the next sentence); "drink
         # enough fluids, to reduce wind and bloating" (lifestyle advice); "one of the
         # simplest habits specialists recommend"; the model on "Fenwick attributes fatigue,
         # eczema ... to 'leaky gut syndrome'"; "indigestion remedies can reduce how much
         # levothyroxine your body absorbs" (a class of medicine named). (A doctor quoted on
         # people "treating each headache" passes since quotations in a product's or an
         # expert's voice, not someone's own experience, do.)
         "careful-75.md": {23}, "careful-77.md": {42}, "careful-82.md": {21},
         "careful-83.md": {24}, "careful-84.md": {25},
         # The twelfth set: the model on "A GP appointment and a few blood tests are a better
         # first step than a mail-order stool test" and on a history of mercury for syphilis;
         # a list of label phrases, '**"All natural, no side effects"** — Natural substances
         # can have side effects'.
         "careful-89.md": {33}, "careful-90.md": {37}, "careful-93.md": {13},
         # The thirteenth set: the model on a reader's letter about "bioidentical"
         # hormones; a title, "Detox, boost, clinically proven: decoding the language of
         # wellness marketing".
         "careful-101.md": {29}, "careful-102.md": {2},
         # The fourteenth set: ice and heat as "tools for easing pain".
         "careful-110.md": {63},
         # The fifteenth set: "Large trials have shown that lowering blood pressure, whether
         # through medicines or lifestyle, reduces those risks" (uncited proof, and the
         # gerund read as a treatment).
         "careful-115.md": {21},
         # The sixteenth set, as scored: an essay on testimonials that opens with one
         # ("I'd had back pain for eleven years. Three sessions and it was gone.") and says
         # that back pain and colds "often come and go".
         "careful-126.md": {9, 23},
         # The seventeenth set: the model on a list item defining "Panic disorder" (82%).
         # (Videos that "present apple cider vinegar as a fix for everything from bloating to
         # acid reflux" were flagged as scored, and pass since the ninth session's tuning.)
         "careful-136.md": {16},
         # The eighteenth set, as scored: a list item of sun advice, "Protecting your skin
         # from sunburn"; "**Benzoyl peroxide:** reduces bacteria" (a medicine as a bold
         # label). (Its bold label "**Pain relief.**" passes since the eleventh session.)
         "careful-137.md": {52}, "careful-140.md": {43},
         # The nineteenth set: "Within a week of starting research for this piece"; a
         # reliever inhaler that "works within minutes" (a list item: "It" is the inhaler);
         # calcipotriene, a medicine not in drugs.txt, as "a treatment for plaque psoriasis";
         # "Pain relief is the mainstay" of a GP's answer.
         "careful-145.md": {9}, "careful-150.md": {17}, "careful-151.md": {23},
         "careful-152.md": {36},
         # The twentieth set: "The DASH diet ... lowered blood pressure in clinical trials"
         # (a trial's result, in a list); a patient's own account of HRT ("the night sweats
         # eased"); the model on her first symptoms ("I assumed I had a virus").
         "careful-154.md": {62}, "careful-157.md": {59}, "careful-159.md": {9, 60},
         # The twenty-first set: "After two weeks" after a quoted claim; "removed lymph
         # nodes"; a denial of clogging read as protection; "Most colds clear up within a
         # week"; list items of care ("Treating the low iron", "keeping blood pressure under
         # control", "treating hearing loss"). (Its eighth, "not aware of any supplement ...
         # that has been shown to reverse dementia", was fixed after it was scored.)
         "careful-163.md": {38}, "careful-164.md": {33, 41},
         "careful-168.md": {79},
         # The twenty-second set: the model on two quoted readers' letters; a title that
         # quotes a campaign in single quotes ("'Sciatica? Gone by Sunday': Inside ...");
         # "suitable pain relief"; the model on a gadget's description; the model on side
         # effects; "Treatment for sudden sensorineural hearing loss works best when started
         # early" after "A&E."; "preventing urine infections" as a topic.
         "careful-169.md": {51}, "careful-170.md": {2}, "careful-171.md": {44},
         "careful-172.md": {23}, "careful-173.md": {36},
         "careful-175.md": {79}, "careful-176.md": {11, 14},
         # The twenty-third set: a table of a sore-throat score's criteria, "Seen within
         # three days of symptoms starting"; the model on a reader's question that quotes a
         # supplement's website.
         "careful-183.md": {11},
         # The twenty-fourth set: the model on a client's story of a viral post ("This
         # anti-inflammatory diet reversed my RA in 30 days").
         "careful-190.md": {9},
         # The twenty-fifth to twenty-seventh sets (careful 193-228, marketing 97-114, twelfth
         # session), as scored, nothing tuned on them: the quotation and model findings of
         # careful articles that make no claim of their own are warnings (see STOPPED); the
         # rest are own-voice misreadings: a patient's or relative's story of stopping a
         # medicine ("he stopped his lansoprazole"), a table of care ("Pain relief |
         # Anti-inflammatories such as ibuprofen"), "a lump of wax", "the phrase ... had
         # gone from the listing", times in a story ("Within a month of the diagnosis").
         "careful-193.md": {44}, "careful-194.md": {53}, "careful-195.md": {46},
         "careful-198.md": {5, 14}, "careful-200.md": {26}, "careful-201.md": {23, 44},
         "careful-203.md": {17, 41}, "careful-205.md": {52},
         "careful-206.md": {21, 47}, "careful-207.md": {36, 47, 57, 59},
         "careful-208.md": {41, 43}, "careful-209.md": {17}, "careful-210.md": {9, 11, 50},
         "careful-211.md": {39}, "careful-212.md": {55}, "careful-213.md": {62},
         "careful-216.md": {15}, "careful-218.md": {13, 35},
         "careful-219.md": {35}, "careful-220.md": {17}, "careful-221.md": {44},
         "careful-223.md": {35}, "careful-224.md": {20, 32}, "careful-225.md": {57},
         "careful-226.md": {29, 80}, "careful-227.md": {31, 51},
         # The twenty-eighth set, as scored (a relative's home-made remedy "for his gout";
         # tables of advice; a newspaper quoting a studio's owner beside its critics).
         "careful-230.md": {15}, "careful-231.md": {9, 45, 55},
         "careful-233.md": {49}, "careful-234.md": {70},
         "careful-235.md": {11, 12, 43, 56},
         # (Four findings in careful-233's table of what cranberry is said to do, and one
         # each in careful-203, 220 and 221, pass since a table cell is weighed by the other
         # cells of its row, after these sets were scored.)
         # The twenty-ninth set, as scored.
         "careful-238.md": {23}, "careful-239.md": {71}, "careful-240.md": {22, 24, 32, 50, 51},
         "careful-242.md": {17, 70}, "careful-244.md": {43},
         # The thirtieth set, as scored after the row of a table weighs its cells.
         "careful-245.md": {45}, "careful-246.md": {5}, "careful-250.md": {25},
         "careful-252.md": {60, 63},
         # The thirty-first set, as scored at the session's end: mostly stories of stopping
         # a medicine, with a doctor or without ("Leah, 52, stopped her venlafaxine
         # abruptly"), and a table whose verdicts are single words ("| ... | Unsupported |").
         "careful-253.md": {11}, "careful-254.md": {44}, "careful-255.md": {21, 47},
         "careful-257.md": {27, 47}, "careful-258.md": {2},
         "careful-259.md": {48, 68}, "careful-260.md": {89},
         # (Since the thirteenth session a stopped medicine or a time told as the start of
         # what went wrong is a story of harm: "Leah, 52, stopped her venlafaxine abruptly.
         # Within days she had dizziness", which took careful-208's, 216's and 260's story
         # lines out; "most colds clear up within a week" runs its course; a list item of care
         # names who gives it, "- treating hearing loss, for example with hearing aids".)
         # The thirty-second and thirty-third sets (careful 261-276), as scored after this
         # session's changes, which were made before they were read and first scored: 1 and 3
         # of 8 stopped then, 0 and 1 now. A model-only reading ("Depression and anxiety
         # aren't a failure of attitude"), a symptom log filled "in under a minute", and an
         # advert quoted in a block quote beside it.
         "careful-265.md": {48}, "careful-272.md": {25}, "careful-273.md": {39},
         # The thirty-fourth and thirty-fifth sets (careful 277-292), written while the
         # thirteenth session's second round was built (fact-checkers' one-word verdicts in a
         # table, a reader's quoted question as a title, "a long way from reversing
         # diabetes", a medicine tapered with its prescriber, an attempt, "is a warning
         # sign"), scored before it and after it with the same verdicts (3 and 3 of 8 stopped),
         # then tuned on: 2 and 2 of 8, then 0 and 1 (a title that names remedies it examines,
         # "Hay Fever Remedies Explained"; a case described, "a report described three men
         # who stopped insulin"; "the inhaler her asthma team prescribed to keep the
         # inflammation settled"). Left: quoted adverts, the model on a quoted letter and a
         # list of symptoms, and a reviewed book's title in bold ("Ditch the Pills and Unclog
         # Your Arteries in 30 Days"), which reads as a headline would.
         "careful-278.md": {60}, "careful-280.md": {39}, "careful-282.md": {17},
         "careful-284.md": {45, 53}, "careful-287.md": {15}, "careful-288.md": {9, 24},
         # (careful-157's quoted advert, "Bladder leaks GONE.", is read since bladder leaks
         # are a condition: a warning there.) The thirty-sixth set (careful 293-300), written
         # after all the session's changes and scored with its first commit and its last:
         # the same verdicts, 4 of 8 stopped, 40 of 59 marketing claims. Tuned on after (a
         # mother who "says" a remedy cured, "off-the-shelf glasses", headaches that "stopped
         # being migraine days", "one of the best-supported ways of reducing tooth decay"): 2
         # of 8. Left: a summary about "colic remedies", a story whose headache "has gone"
         # on a preventive tablet.
         "careful-293.md": {5}, "careful-295.md": {59}, "careful-298.md": {41},
         "careful-299.md": {25}}

# The careful articles that `check` stops (a medical-claim error, not only warnings). An
# article is judged by its strongest evidence: where the rules read no claim in its own
# words, its quoted and linked claims and the model's readings are warnings. Before that (twelfth
# session) 47 of the first 192 were stopped; now 31 are, 15 of the 36 of sets 25-27, 4 of
# the 8 of set 28, 3 of the 8 of set 29, 3 of the 8 of set 30 and 7 of the 8 of set 31
# (careful-242's last error, a link's words, "Coming off antidepressants safely", is a
# warning since a link's words are weighed as a quotation's). The thirteenth session's
# changes (stories of harm, illnesses running their course, care in a list item) stopped
# careful-165, 167, 208 and 216 no more; of sets 32-33 (261-276) only careful-272 is stopped.
# Its second round (verdict cells, quoted questions in titles, tapering with a prescriber)
# stopped careful-27, 181, 252, 256, 259 and 260 no more; of sets 34-35 (277-292) one is,
# of set 36 (293-300) two.
STOPPED = {22, 26, 45, 47, 56, 71, 75, 77, 82, 84, 102, 110, 115, 137, 140, 145, 150, 151, 152,
           154, 159, 163, 164, 168, 171, 175, 176, 195, 198, 203, 205, 206, 207, 210, 213, 218,
           223, 225, 226, 227, 231, 233, 234, 235, 238, 240, 244, 245, 246, 254, 255, 257, 258,
           272, 288, 293, 299}


@pytest.mark.parametrize("name", [f"careful-{n:02d}.md" for n in range(1, 301)])
def test_careful_articles_raise_no_claim(findings: dict[str, set[int]], name: str) -> None:
    assert (ARTICLES / name).is_file()
    assert findings.get(name, set()) == KNOWN.get(name, set())


def test_verdicts_per_article(checked: list[Finding]) -> None:
    """What CI does with each article: every marketing article stopped by an error, and of
    the careful ones only those in STOPPED."""
    stopped = {Path(item.path).name for item in checked if item.severity == "error"}
    marketing = {path.name for path in ARTICLES.glob("marketing-*.md")}
    assert len(marketing) == 150 and marketing <= stopped
    assert {int(name[8:-3]) for name in stopped - marketing} == STOPPED


def test_marketing_articles_claims_are_caught(findings: dict[str, set[int]]) -> None:
    listed = caught = 0
    missed = []
    for path in sorted(ARTICLES.glob("marketing-*.md")):
        text = path.read_text(encoding="utf-8")
        marker = CLAIMS.search(text)
        assert marker is not None, path
        lines = text[:marker.start()].splitlines()
        for claim in marker.group(1).strip().splitlines():
            where = {n for n, line in enumerate(lines, 1) if claim.strip()[:40] in line}
            assert where, (path.name, claim)
            listed += 1
            if where & findings.get(path.name, set()):
                caught += 1
            else:
                missed.append(claim)
    assert listed == 1725
    # Known misses: "we guarantee results: if your arthritis hasn't been reversed ...",
    # which the statistical model vetoes (0.097: the if-clause and the denial weigh); "If
    # your pain isn't gone within 30 days, we guarantee a full refund"; "We guarantee you'll
    # feel ten years younger after your very first session"; "... when the spine is aligned,
    # the nervous system works as nature intended and the body heals itself"; a testimonial
    # whose condition is only "red and cracked" cheeks ("This balm cleared it up in a week").
    # The eighth set's: a testimonial of "no operation and no tablets" after surgeons said
    # a fusion was needed.
    # The ninth set's: "I stopped taking it altogether" (a sleeping pill named earlier) and
    # a tea given to a two-year-old who "sleeps 12 hours straight".
    # The eleventh set's: "We guarantee visibly younger skin in 30 days or your money back"
    # (younger skin is no medical condition).
    # The fourteenth set's: "OrchardGold melts away stubborn belly fat while you sleep"
    # (belly fat is no condition) and "Many users say HushGuard works better than any
    # prescription treatment they have tried" (reported by "many users say").
    # The fifteenth set's: two more refund guarantees ("if you don't feel sharper, calmer and
    # healthier", "If your back pain isn't gone within 30 days, we guarantee a full refund").
    # The sixteenth set's, as scored: a colon cleanse's "old, hardened waste ... slowly
    # poisoning the body", "flushes out this toxic build-up", "lose up to 5 kg of stubborn fat
    # in seven days, guaranteed" (no condition named in any); distance Reiki "works just as
    # well as in-person treatment"; "a permanent shift in your health, or your fourth session
    # is free".
    # The seventeenth set's, as scored: "Root canal treated teeth are a hidden source of
    # cancer, so removing them is the only way to be sure you are protecting yourself".
    # The eighteenth set's, as scored: "micro-clustered" water that "hydrates your cells
    # faster"; red light that "reverses cellular ageing" and "erases wrinkles permanently, so
    # you can forget about expensive injectables"; "ten years younger"; a testimonial, "cleared
    # my skin in a week and it's never come back"; "guaranteed to prevent acne scarring".
    assert caught >= 1520, missed
