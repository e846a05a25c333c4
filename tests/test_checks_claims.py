"""medical-claim: a corpus of good sentences that must pass and bad ones that must fail, and
exact positions on a fixture article (computed from the file's own text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.checks.claim_reader import KINDS
from pipeline.checks.claim_rules import (
    LINKED_ONLY,
    MODEL_ONLY,
    QUOTED_ONLY,
    quotation_spans,
)
from pipeline.checks.runner import check_paths
from pipeline.cli import cli
from pipeline.config import CheckConfig, Config, RuleConfig
from pipeline.findings import Finding
from tests.helpers import FIXTURES, write_article

CHECKS = FIXTURES / "checks"
BODY_START = 7  # write_article: 4 front-matter lines (with summary), closing '---', blank line


def corpus(name: str) -> list[str]:
    lines = (CHECKS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


GOOD = corpus("claims-good.txt")
BAD = [tuple(line.split(" => ")) for line in corpus("claims-bad.txt")]


def claims_in(tmp_path: Path, paragraphs: list[str], config: Config | None = None,
              ) -> dict[int, list[Finding]]:
    """medical-claim findings keyed by the index of the paragraph they are on."""
    path = write_article(tmp_path, "corpus.md", body="\n\n".join(paragraphs),
                         extra="summary: A corpus.")
    found: dict[int, list[Finding]] = {}
    for item in check_paths([path], config or Config()).findings:
        if item.rule == "medical-claim":
            index, rest = divmod(item.line - BODY_START, 2)
            assert rest == 0, item
            found.setdefault(index, []).append(item)
    return found


def test_corpus_sizes() -> None:
    assert len(GOOD) >= 60
    assert len(BAD) >= 30


def test_good_sentences_pass(tmp_path: Path) -> None:
    found = claims_in(tmp_path, GOOD)
    wrong = {GOOD[index]: [f.message for f in items] for index, items in found.items()}
    assert wrong == {}


def test_bad_sentences_fail_at_the_phrase(tmp_path: Path) -> None:
    found = claims_in(tmp_path, [sentence for sentence, _phrase in BAD])
    missed = [BAD[i][0] for i in range(len(BAD)) if i not in found]
    assert missed == []
    for index, (sentence, phrase) in enumerate(BAD):
        first = found[index][0]
        start = sentence.index(phrase)
        assert (first.col, first.end_line, first.end_col) == (
            start + 1, first.line, start + len(phrase) + 1), (sentence, first)


@pytest.mark.parametrize("sentence", [
    "there is no cure",
    "Massage is not a cure-all.",
    "massage does not cure arthritis",
    "No treatment can guarantee results.",
    "Claims of miracle cures are false.",
    "It won't eliminate the need for medication.",
])
def test_the_issues_negations_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}


def test_fixture_positions_count_the_front_matter() -> None:
    path = CHECKS / "medical-claim.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "medical-claim"]

    def at(line: int, phrase: str, end: str | None = None) -> tuple[int, int, int, int]:
        col = lines[line - 1].index(phrase) + 1
        end = end or phrase
        return line, col, line, lines[line - 1].index(end) + len(end) + 1

    assert [(f.line, f.col, f.end_line, f.end_col) for f in findings] == [
        at(2, "cures arthritis"),  # the title: the effect and the condition it acts on
        at(4, "miracle cure"),  # the summary: a certainty and a cure, each with its fix
        at(4, "cure for stiff joints"),
        at(9, "guaranteed results"),
        at(10, "clinically", "proven"),  # emphasis markers inside the phrase
        at(12, "reverse type 2 diabetes"),  # a list item
        at(15, "100% safe"),  # a blockquote
        at(17, "heals sciatica"),  # a heading
        at(21, "no side effects"),  # a table cell
    ]
    assert {f.severity for f in findings} == {"error"}
    assert findings[0].path == str(path)
    # Code spans, HTML comments, link addresses and fenced code are never checked.
    assert not any(f.line >= 23 for f in findings)


def test_clinically_proven_needs_a_link_in_sentence_or_paragraph(tmp_path: Path) -> None:
    cited = ("A 2020 trial showed it is clinically proven to ease pain "
             "([the trial](https://doi.org/10.1000/xyz)).")
    same_paragraph = ("It is clinically proven to ease pain. "
                      "See [the review](https://pubmed.ncbi.nlm.nih.gov/1/).")
    local_link = "It is clinically proven to ease pain ([draft](http://localhost/x))."
    uncited = "It is clinically proven to ease pain."
    booking = ("Our methods are clinically proven to ease pain. Book through our "
               "[online booking page](https://example.org/book) or call us.")
    found = claims_in(tmp_path, [cited, same_paragraph, local_link, uncited, booking])
    assert sorted(found) == [2, 3, 4]


def test_site_phrases_extend_the_list(tmp_path: Path) -> None:
    config = Config(check=CheckConfig(claim_phrases=["boosts immunity", "Detox"]))
    found = claims_in(tmp_path, ["This tea boosts  immunity.", "A gentle detox for spring.",
                                 "It does not boost immunity."], config)
    assert sorted(found) == [0, 1]
    assert "claim_phrases" in found[0][0].message
    assert claims_in(tmp_path, ["This tea boosts immunity."]) == {}


def test_claims_in_line_wrapped_paragraph_point_at_the_right_line(tmp_path: Path) -> None:
    body = "Gentle stretching may help.\nOur new\n   routine\n   cures sciatica."
    path = write_article(tmp_path, "wrapped.md", body=body)
    line = path.read_text().splitlines().index("   cures sciatica.") + 1
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "medical-claim"]
    assert [(f.line, f.col, f.end_col) for f in findings] == [(line, 4, 18)]  # cures sciatica


def test_claims_set_out_under_a_myths_heading_pass(tmp_path: Path) -> None:
    """A list of myths, or of claims quoted to knock them down, is not the writer's claim; a
    later unquoted sentence in the section, and quotes under other headings, still are."""
    body = "\n".join([
        "## Five myths about shin splints",
        "",
        "- Compression socks cure shin splints.",
        '- **"Ice heals arthritis."** It numbs pain for a while. Our balm cures it for good.',
        "",
        "## What our clients say",
        "",
        '"This tea cured my anxiety," says Jo.',
    ])
    path = write_article(tmp_path, "myths.md", body=body, extra="summary: Myths.")
    lines = path.read_text().splitlines()
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "medical-claim"]
    assert [(f.line, f.col) for f in findings] == [
        (lines.index(body.splitlines()[3]) + 1, body.splitlines()[3].index("cures") + 1),
        (lines.index(body.splitlines()[3]) + 1, body.splitlines()[3].index("for good") + 1),
        (lines.index(body.splitlines()[7]) + 1, body.splitlines()[7].index("cured") + 1),
    ]


@pytest.mark.parametrize("heading,reported", [
    ("Where the claims go too far", False),
    ("Common misconceptions", False),
    ("Our claims", True),
    ("What we offer", True),
])
def test_only_headings_that_examine_claims_excuse_them(tmp_path: Path, heading: str,
                                                       reported: bool) -> None:
    body = f"## {heading}\n\n- Massage cures arthritis.\n"
    path = write_article(tmp_path, "heading.md", body=body, extra="summary: Claims.")
    findings = [f for f in check_paths([path], Config()).findings if f.rule == "medical-claim"]
    assert bool(findings) is reported


@pytest.mark.parametrize("sentence,reported", [
    # "yet" as an adverb keeps the negation before it; as a conjunction it starts a clause.
    ("Doctors don't yet know how to cure it.", False),
    ("It is not cheap, yet it cures back pain.", True),
    # A label before a colon frames what follows; other words before a colon do not.
    ("Myth 2: compression socks cure shin splints.", False),
    ("Forget painkillers: this balm cures arthritis.", True),
    # A sentence ends after the word "a", but not after an initial ("H. pylori").
    ("Sleep and walks help, although it eases a. The guide to neck pain has more.", False),
    ("Garlic capsules wipe out H. pylori for good.", True),
])
def test_clause_and_label_boundaries(tmp_path: Path, sentence: str, reported: bool) -> None:
    assert bool(claims_in(tmp_path, [sentence])) is reported


# The kinds of claim issue 15 names, each in a sentence of its own (not from the blind sets).
ISSUE_CLAIMS = [
    ("This herbal blend reverses joint damage.", "reversal"),
    ("Our mushroom tincture shrinks tumours.", "treatment"),
    ("Castor oil packs dissolve cysts.", "treatment"),
    ("Oregano oil kills the virus behind shingles.", "treatment"),
    ("The juice cleanse flushes out cancer cells.", "treatment"),
    ("Collagen repairs torn tendons.", "reversal"),
    ("Ear candling restores hearing.", "reversal"),
    ("Garlic prevents heart attacks.", "protection"),
    ("Cinnamon lowers blood sugar.", "treatment"),
    ("Acupuncture is an effective treatment for osteoarthritis.", "treatment"),
    ("After a month of yoga she came off her blood pressure tablets.", "substitution"),
    ("You can throw away your inhaler.", "substitution"),
    ("Try this natural alternative to your prescription.", "substitution"),
    ("With this diet there is no need for a doctor.", "substitution"),
    ("Forget surgery: this stretch fixes a herniated disc.", "substitution"),
    ("Reflexology works better than antidepressants.", "comparison"),
    ("Cupping is more effective than physiotherapy.", "comparison"),
    ("This balm works faster than ibuprofen.", "comparison"),
    ("Elderberry boosts immunity so you never catch flu.", "protection"),
    ("Our drops protect babies against colic.", "protection"),
    ("It clears eczema every time.", "certainty"),
    ("Your back pain will be gone for good.", "treatment"),
    ("Headaches vanish overnight.", "treatment"),
    ("The arthritis cure doctors won't tell you about.", "treatment"),
    ("Our tincture is 100% safe.", "safety"),
    ("Clinically proven to ease migraines.", "proof"),
]
ISSUE_NOT_CLAIMS = [
    "Leave the clay mask for its full curing time of ten minutes.",
    "Concrete left to cure for a week is much stronger.",
    "The word cure comes from the Latin cura, meaning care.",
    "Cured fish keeps for weeks in a cool larder.",
    "If someone says a treatment is 100% safe, ask them for the evidence.",
    "Be wary of any therapist who says they can heal a slipped disc.",
    "Claims that reflexology treats diabetes are not supported by research.",
    "Can acupuncture cure migraines?",
    "If your pain lasts more than a few weeks, see your GP.",
    "Massage may ease back pain for some people.",
    "Antibiotics treat bacterial infections.",
    "A small 2021 trial found that yoga eased neck pain a little.",
]


@pytest.mark.parametrize("sentence,kind", ISSUE_CLAIMS)
def test_the_issues_claims_are_read_with_their_kind(tmp_path: Path, sentence: str,
                                                    kind: str) -> None:
    found = claims_in(tmp_path, [sentence])
    assert kind in {f.kind for f in found.get(0, [])}, (sentence, found)


@pytest.mark.parametrize("sentence", ISSUE_NOT_CLAIMS)
def test_the_issues_non_claims_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}


def test_every_finding_names_its_kind_and_a_rewording(tmp_path: Path) -> None:
    found = claims_in(tmp_path, [sentence for sentence, _kind in ISSUE_CLAIMS])
    for items in found.values():
        for item in items:
            assert item.kind in KINDS
            assert f"({item.kind}); instead, " in item.message


def test_rules_explain_lists_every_kind_with_an_example_it_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["rules", "--explain", "medical-claim"])
    assert result.exit_code == 0, result.output
    listed = {}
    for line in result.output.splitlines():
        parts = line.split()
        if parts and parts[0] in KINDS and '"' in line:
            listed[parts[0]] = line.split('"')[1]
    assert set(listed) == set(KINDS)
    found = claims_in(tmp_path, list(listed.values()))
    for index, (kind, example) in enumerate(listed.items()):
        assert kind in {f.kind for f in found.get(index, [])}, (kind, example)


def test_severity_per_kind(tmp_path: Path) -> None:
    sentences = ["Cupping works better than antidepressants.", "Turmeric cures arthritis."]
    config = Config(check=CheckConfig(rules={"medical-claim": RuleConfig(
        kinds={"comparison": "warning", "treatment": "off"})}))
    found = claims_in(tmp_path, sentences, config)
    assert [(f.kind, f.severity) for f in found[0]] == [("comparison", "warning")]
    assert 1 not in found
    # The rule's own severity still applies to the kinds not named.
    config = Config(check=CheckConfig(rules={"medical-claim": RuleConfig(
        severity="warning", kinds={"comparison": "error"})}))
    found = claims_in(tmp_path, sentences, config)
    assert [(f.kind, f.severity) for f in found[0]] == [("comparison", "error")]
    assert [(f.kind, f.severity) for f in found[1]] == [("treatment", "warning")]


# Our own wording: an article whose every claim is someone else's, quoted (a block quote,
# single quotes, curly double quotes), and whose own sentences make none.
QUOTED_ONLY_ARTICLE = [
    "The leaflet my neighbour pushed through the door was blunt.",
    "> Our copper insoles cure arthritis.",
    "'This cream clears eczema for good,' her brother tells everyone.",
    "\u201cSince the detox, my psoriasis has gone for good,\u201d my uncle says.",
    "Not one of them has been tested in a trial.",
]


def test_an_article_whose_only_claims_are_quoted_gets_warnings(tmp_path: Path) -> None:
    found = claims_in(tmp_path, QUOTED_ONLY_ARTICLE)
    assert sorted(found) == [1, 2, 3]
    items = [item for index in found for item in found[index]]
    assert {item.severity for item in items} == {"warning"}
    assert all(item.message.endswith(QUOTED_ONLY) for item in items)
    # `pipeline check` passes it (exit status 0), the warnings shown.
    path = tmp_path / "corpus.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n" + Config().disclaimers["standard"].text + "\n",
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.count(" warning medical-claim ") == len(items)


def test_a_quoted_claim_is_an_error_beside_a_claim_of_the_articles_own(tmp_path: Path) -> None:
    """A testimonial backs up what the article says itself: both are the publisher's."""
    found = claims_in(tmp_path, [*QUOTED_ONLY_ARTICLE, "Our turmeric capsules reverse arthritis."])
    assert sorted(found) == [1, 2, 3, 5]
    assert {item.severity for index in found for item in found[index]} == {"error"}
    assert not any(QUOTED_ONLY in item.message for index in found for item in found[index])


def test_a_suppressed_sentence_of_its_own_leaves_the_quoted_claims_warnings(
        tmp_path: Path) -> None:
    """The writer has said why their own sentence is no claim; it no longer makes the quoted
    ones the article's."""
    own = "Our turmeric capsules reverse arthritis."
    comment = "<!-- pipeline-disable-next-line medical-claim: the title of a book we review -->"
    found = claims_in(tmp_path, [*QUOTED_ONLY_ARTICLE, f"{comment}\n{own}"])
    assert sorted(found) == [1, 2, 3]
    assert {item.severity for index in found for item in found[index]} == {"warning"}


def test_a_claim_only_the_model_reads_is_a_warning_unless_the_rules_find_one(
        tmp_path: Path) -> None:
    """The model learnt from single sentences and misreads some in long articles (the known
    false positive below): on its own it warns; beside a claim the rules read, it is an
    error like the rest."""
    model_only = "Our course explains the root causes of back pain in plain words."
    found = claims_in(tmp_path, [model_only])
    [item] = found[0]
    assert "statistical claim model" in item.message
    assert (item.severity, item.message.endswith(MODEL_ONLY)) == ("warning", True)
    found = claims_in(tmp_path, [model_only, "Our turmeric capsules reverse arthritis."])
    assert sorted(found) == [0, 1]
    assert {item.severity for index in found for item in found[index]} == {"error"}


def test_a_configured_severity_applies_to_quoted_claims_too(tmp_path: Path) -> None:
    """A publisher of testimonials can have every one of them stop the build."""
    config = Config(check=CheckConfig(rules={"medical-claim": RuleConfig(severity="error")}))
    found = claims_in(tmp_path, QUOTED_ONLY_ARTICLE, config)
    assert {item.severity for index in found for item in found[index]} == {"error"}


@pytest.mark.parametrize(("text", "quoted"), [
    ("Ask Helen: 'Dad has swapped his statin. Should I be worried?'",
     ["'Dad has swapped his statin. Should I be worried?'"]),
    ("the ad said 'it doesn't hurt, it cures eczema', which isn't true",
     ["'it doesn't hurt, it cures eczema'"]),
    ('She was told it would "build up my immunity" by spring.', ['"build up my immunity"']),
    ("Don't stop: the patients' notes were clear and it's fine.", []),
    ("Back in the '90s, rock and roll.", []),
])
def test_quotation_spans(text: str, quoted: list[str]) -> None:
    assert [text[start:end] for start, end in quotation_spans(text)] == quoted


def test_an_unknown_kind_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text(
        '[check.rules.medical-claim.kinds]\ncomparisons = "warning"\n', encoding="utf-8")
    write_article(tmp_path / "articles", "a.md")
    result = CliRunner().invoke(cli, ["check", "--config", str(tmp_path / "pipeline.toml"),
                                      str(tmp_path / "articles")])
    assert result.exit_code == 2
    assert "unknown kind comparisons" in result.output and "comparison" in result.output
    assert "Traceback" not in result.output


# Vocabulary added for batch 6 of the blind sentences (each sentence here is our own wording):
# everyday condition names (tics, fungal toenails, "the ringing"), effect verbs
# ("neutralises", "have beaten"), outcomes said bare ("flushed away") or after a contraction
# ("they're clear"), what a reversal brings back (fertility, regular periods), "why stay on
# <medicine> when", and proof "proven in trials".
@pytest.mark.parametrize("sentence", [
    "Her tics stopped within a month of starting our calming drops.",
    "Fungal toenails? Two weeks of our tea-tree soak and they're clear.",
    "The ringing in his head was gone after three sessions.",
    "Our spray neutralises the viruses that cause colds.",
    "Thousands of readers have beaten fibromyalgia with this plan.",
    "Kidney stones flushed away by one week of our herbal tea.",
    "This root powder restores fertility in women over forty.",
    "Our seed blend brings back regular periods.",
    "Why stay on statins when a daily shot of beetroot juice does the job?",
    "Proven in clinical trials, our lozenge stops a sore throat overnight.",
])
def test_batch_six_vocabulary_is_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "The church bells kept ringing all afternoon.",
    "Our new fertility clinic opens in March.",
    "Most period apps track your cycle and nothing more.",
    "Rinse the lentils until the water runs clear and the starch has washed away.",
])
def test_batch_six_vocabulary_keeps_ordinary_senses(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Scope: "nobody talks about how" and "did what nothing else could" still make the claim; a
# quotation named as a post, meme or headline is someone else's claim however long it is;
# a fact-check reports; germs killed on hands or surfaces are hygiene, not treatment.
@pytest.mark.parametrize("sentence", [
    "Nobody tells you that a spoonful of apple cider vinegar dissolves gallstones.",
    "No one talks about how this balm healed my eczema in a week.",
    "My chiropractor did what nothing else could and cured my sciatica.",
])
def test_a_framing_negation_does_not_deny_the_claim(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Nobody can cure arthritis with a diet.",
    "No one has shown that magnets heal fractures.",
    "The 'garlic cures every infection you will ever get' meme keeps doing the rounds.",
    "A fact-check of the video found that bicarbonate of soda does not shrink tumours.",
    "Fact-checkers traced the story that celery juice reverses diabetes to one blog.",
    "Soap and warm water remove most bacteria on your hands in twenty seconds.",
    "Our spray kills 99% of viruses on worktops and door handles.",
])
def test_reported_quoted_and_hygiene_sentences_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# An effect on what causes a condition is an effect on the condition; a hedged link ("that
# can cause") is not. British "-oedema" inside a word reads as "-edema" (lymphoedema).
@pytest.mark.parametrize("sentence", [
    "Our tincture draws out the stagnant heat that is responsible for your acne.",
    "This elimination diet removes the root cause of migraines.",
    "Dry brushing shifts the trapped fluid behind lymphoedema.",
    "The massage releases the knots that trigger migraines and jaw pain.",
])
def test_acting_on_a_cause_is_a_claim(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Gentle stretching eases the tight muscles that can cause headaches.",
    # The rules let it pass; the statistical model reads it as a claim (0.865 against its
    # threshold of 0.8, which held-out batches chose over 0.9: five claims more of 2,154,
    # no false positive more of 2,109). A known false positive, kept in sight.
    pytest.param("Our course explains the root causes of back pain in plain words.",
                 marks=pytest.mark.xfail(strict=True, reason="the model's known false positive")),
    "Your physiotherapist treats the muscle imbalance behind your knee pain.",
])
def test_a_hedged_or_medical_cause_passes(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Swearing by a product reports no claim, so the ", which ..." clause after it is the
# writer's; "responds to our ..." is an outcome; "usually within a week" after a comma times
# the result and does not hedge it.
@pytest.mark.parametrize("sentence", [
    "Dog owners swear by our joint chews, which repair worn cartilage in older dogs.",
    "Plantar fasciitis responds to our shockwave package every time.",
    "Our steam inhaler clears sinusitis, usually within two days.",
])
def test_asides_after_the_claim_keep_it(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Some runners swear by ice baths to heal shin splints.",
    "Many gardeners swear that comfrey heals sprains, which is not what the trials found.",
    "Acupuncture often eases migraines within a few visits.",
    "Sprains usually improve, often within a fortnight, with rest and ice.",
])
def test_reports_and_soft_hedges_still_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Safety: "natural means harmless" and "take it alongside <medicine> without a worry".
@pytest.mark.parametrize("sentence", [
    "Herbal teas are harmless, so drink as many cups as you like.",
    "It's all natural and harmless, even for toddlers.",
    "You can take our valerian drops alongside your sleeping pills without any worries.",
])
def test_blanket_safety_is_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "The little spider in the bath is harmless.",
    "Book your holiday with the whole family without a worry about cancellations.",
    "Ask your pharmacist before you take herbs alongside prescribed medicines.",
])
def test_ordinary_harmless_and_worry_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# "Never had a single attack": an episode of the condition the sentence named, even when
# the condition sits in another clause.
@pytest.mark.parametrize("sentence", [
    "Gout used to floor me; since the cherry tonic I haven't had a single flare.",
    "Our epilepsy clients tell us the same thing: on the oil, they never have another seizure.",
])
def test_never_another_episode_is_protection(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "The beach has never had a single shark attack.",
    "People whose asthma is well controlled may never have an attack.",
])
def test_episodes_without_a_condition_or_hedged_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Batch seven: everyday names of conditions (nappy rash, ingrown nails, loose teeth, parvo),
# medicines such as laxatives, "compared with" comparisons, a cure in the passive with the
# product as its agent, movement given back, and a scar-free result.
@pytest.mark.parametrize("sentence", [
    "Our calendula balm clears nappy rash in a single night.",
    "Ingrown nails are corrected with our titanium clip in a month.",
    "Wobbly teeth firm back up after four weeks of our clove rinse.",
    "Kiwi smoothies beat laxatives for sluggish bowels, hands down.",
    "Our prenatal yoga triples the chance of a natural birth compared with an epidural.",
    "Why turn to paracetamol when our magnesium spray settles a headache in minutes?",
    "Eczema is soothed and cleared by our oat cream within days.",
    "The tapping routine gave sensation back to her numb feet.",
    "Every customer leaves our peel studio acne-free, every time.",
    "Our tea fades acne scars and erases rosacea.",
])
def test_batch_seven_vocabulary_is_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


# The same words in care received, in a warning read after the claim, in a lifelong
# prescription, and in comfort offered to the people who have an illness.
@pytest.mark.parametrize("sentence", [
    "Both puppies were wormed, vaccinated and treated for fleas at the shelter.",
    "She was treated for breast cancer in 2019 and now runs marathons.",
    "Brands that guarantee a cure for acne should be read with a pinch of salt.",
    "Dogs with an underactive thyroid usually stay on their tablets for life.",
    "A warm bath can be soothing for anyone living with arthritis.",
    "Ask your vet before you switch flea treatments.",
])
def test_batch_seven_ordinary_senses_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# The publisher's own members, clients or forum reporting a cure is the publisher's
# testimonial; other people's reports still pass.
@pytest.mark.parametrize("sentence", [
    "Walkers in our club swear by nettle tea to clear up hay fever for good.",
    "Parents from our sleep course tell us their toddlers' eczema has vanished.",
])
def test_testimony_from_our_own_people_is_a_claim(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Some walkers swear by nettle tea to clear up hay fever for good.",
    "Readers of other blogs tell us cider vinegar cured their eczema; the trials disagree.",
])
def test_testimony_from_others_still_passes(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# A possessive before the medicine ("your dog's arthritis medication") and a singular drug
# class ("any bisphosphonate") are read.
@pytest.mark.parametrize("sentence", [
    "Our turmeric paste replaces your cat's steroid tablets.",
    "Our rowing plan does more for bone density loss than any bisphosphonate.",
])
def test_possessives_and_singular_drug_classes_are_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


# Parents and pet owners finding it helps is a soft report; a change "to discuss with your
# vet" is advice; an "until" clause is another clause.
@pytest.mark.parametrize("sentence", [
    "Some dog owners find a cool mat helps with hot spots in summer.",
    "Swapping your cat's thyroid tablets for a special diet is a decision to make with your vet.",
    "Keep the baby indoors until her measles vaccination has been given.",
])
def test_family_and_pet_care_advice_passes(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Pet conditions by their everyday names, a result "in one wash", and doing "what <a
# medicine> does".
@pytest.mark.parametrize("sentence", [
    "Our neem spray clears kennel cough in a week.",
    "One bath with our sulphur soap and ear mites are gone, in a single wash.",
    "Our chamomile syrup does exactly what melatonin does for wakeful toddlers.",
])
def test_pet_conditions_single_uses_and_doing_what_medicine_does(tmp_path: Path,
                                                                  sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Our dog shampoo lifts mud out of a thick coat in one wash.",
    "Kennel cough spreads wherever dogs mix, so ask your vet about the vaccine.",
    "Melatonin is a hormone the body makes as the light fades.",
])
def test_pet_and_sleep_facts_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Protection said of "it" after the paragraph named the condition, as effect verbs are.
@pytest.mark.parametrize("sentence", [
    "Thinning hair after pregnancy? Our biotin gummies prevent it completely.",
])
def test_protection_of_a_condition_named_before(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Croup is common in toddlers. Nothing we know of prevents it, sadly.",
    "Shingles can be nasty, and the vaccine helps prevent it in older adults.",
])
def test_protection_of_it_denied_or_by_medicine_passes(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Batch 8's families, each in new words: Latin plurals and eponyms of conditions, medicine
# named by the shipped drug list, a procedure or a replacement therapy, figurative mending
# and protection, authority without a source, a testimonial's "never again".
@pytest.mark.parametrize("sentence", [
    "Our bone broth regrows the cartilage of worn vertebrae in a month.",
    "This brace mends inflamed diverticula without a single pill.",
    "Raynaud's fingers warmed and healed with our infrared gloves.",
    "Our detox tea flushes free radicals that cause cell damage out of your body.",
    "Customers switch from sertraline to our saffron drops and never look back.",
    "Once you've done our course, a hysterectomy is frankly unnecessary.",
    "Our hormone balm works more consistently than hormone replacement therapy.",
    "One sound-bath lifts low mood more dependably than talking therapy.",
    "My GP had me booked in for a knee arthroscopy, but the magnet insoles fixed my knee.",
    "Comfrey poultices glue broken bones back together in days.",
    "Reishi drops fortify your immune army so that cold viruses can never invade.",
    "Leading researchers have confirmed that our sea-moss gel dissolves gallstones.",
    "Since the cleanse I haven't had a single migraine, and I'm certain I never will again.",
    "Crohn's and colitis respond to our bone broth protocol within a fortnight.",
    "Whether your eczema started last year or in childhood, our balm clears it in 7 days.",
    "Patients tell us their tinnitus stopped after two sessions of our ear candling.",
    "Daily turmeric capsules shield your joints from arthritis for life.",
])
def test_batch_eight_families_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "In hospitals, maggot therapy is used to treat chronic wounds under close supervision.",
    "Most ACL repairs heal well with a structured rehab programme.",
    "Progress to jogging once you can walk briskly pain-free for twenty minutes.",
    "Swelling from a sprain usually settles within a week or two.",
    "My aunt keeps forwarding me cancer cure posts from a Facebook group.",
    "Hay fever tablets treat sneezing and itchy eyes for most people.",
    "The physio will decide whether your shoulder needs loading work, which helps tendons heal.",
    "Readers of other forums tell us vinegar cured their warts, but no trial shows that.",
])
def test_batch_eight_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Batch 9's mechanisms, each in sentences written for the test: the passive with any agent,
# a restored thing as the passive's subject, a condition named by a lead-in question and
# taken up by a pronoun, medicine stowed away or compared with the people who take it,
# certainty without exception, from the first dose or for good, a dose that cannot be too
# much, protection as impossibility, and the new voices' vocabulary (fertility, feet,
# menopause, blockages, weight and conception as health results).
@pytest.mark.parametrize("sentence", [
    "Hot flushes are calmed in days by the Cool Luna pillow.",
    "Gum disease is treated over two visits using our ozone rinse.",
    "Nerves that were damaged years ago are regenerated by our red-light cap.",
    "Heel spurs? Our night splint dissolves them in a month.",
    "Blocked milk ducts? Our warm compress opens them within the hour.",
    "Leave the blood pressure pills at the back of the kitchen cupboard.",
    "Why bother swallowing antacids when our ginger chews settle reflux for good?",
    "Women on our course fall pregnant sooner than women who start IVF.",
    "Those crusty patches are healed forever after a single pot.",
    "Our laser ends back pain: every patient, every time.",
    "Couples on our retreat conceive within three months.",
    "Drop 8 kilos in 14 days with our shakes.",
    "Symptoms stop from the very first dose of our drops.",
    "With our balm on, cold sores simply cannot appear.",
    "You can't overdo our zinc spray, so spritz as often as you like.",
    "You cannot overdose on these sleep gummies.",
    "We promise your hay fever will vanish by June.",
    "Shingles, neuralgia, gout: dab on the oil, and the throbbing is gone.",
    "Our drops stopped her fits for good.",
    "Eczema responds to our balm within days.",
    "Why keep refilling your antidepressant prescription when our walks lift depression?",
    "Our arch socks repair collapsed arches in a month.",
])
def test_batch_nine_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


# Batch 9's lookalikes: medicine as the passive's agent, a denial inside the passive,
# commercial guarantees and risk-free trials, an illness's own course, a benefit that
# faded, a quotation framed or judged as someone else's words, an attribution to a health
# authority, and a "would love to tell you" that goes on to say no.
@pytest.mark.parametrize("sentence", [
    "Thrush is treated with antifungal pessaries from the pharmacy.",
    "Eczema flares are calmed by steroid creams in most cases.",
    "Cartilage worn away by osteoarthritis cannot be regrown, so we focus on strength.",
    "Our 30-day trial is completely risk-free, so send it back if it doesn't suit you.",
    "These running socks are guaranteed to stay put on long runs.",
    "Chickenpox spots clear up by themselves in a week or two.",
    "Any benefit for knee pain wore off within six weeks.",
    "Comments saying the balm fixed their psoriasis arrived after the advert ran.",
    "We were not convinced by the 'instant migraine relief' printed on the tin.",
    "Her caption — 'this tea cured my endometriosis' — has no evidence behind it.",
    "'Reverses diabetes in 30 days' is exactly the sort of line regulators act on.",
    "Headline check: 'coffee prevents dementia' goes further than the study did.",
    "Two doses of the MMR vaccine give lasting protection against measles, according to the NHS.",
    "We'd love to tell you our gel cures shingles, but no trial has tested it.",
    "Couples who go through IVF often feel exhausted by the waiting.",
    "Yoga opened up a conversation about my depression with my GP.",
    "A supplement can be completely harmless and still leave your anaemia untouched.",
    "Our tights are guaranteed to keep you fit and warm on winter runs.",
    "We promise to reply to every question about your eczema within a week.",
    "Migraines? See your GP, who can treat them properly.",
    "Your very first session includes a back pain assessment.",
    "Our planner is designed to help you avoid burnout.",
    "The very first night in hospital after a hip operation is often the hardest.",
    "Gout in the big toe: the pain is worst at night, and the swelling is treated by your GP.",
])
def test_batch_nine_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Tuned on batch 11 (dev11 only; each sentence here is our own wording): a farewell to a
# condition, "steadies", medicine thrown out with a possessive ("my son's inhaler") or
# replaced "every one of", "never go on to develop", doctors confirming "our" product, a
# result "after one month".
@pytest.mark.parametrize("sentence", [
    "Bye bye psoriasis, hello confidence!",
    "Our magnesium spray steadies palpitations in minutes.",
    "We threw out my daughter's antihistamines last spring.",
    "This tincture replaced every one of my migraine tablets.",
    "Members who finish our programme never go on to develop type 2 diabetes.",
    "Leading doctors confirm our patch clears sinusitis.",
    "Toddlers with glue ear hear clearly after one month on our drops.",
])
def test_batch_eleven_claims_are_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


# ... and what it took for ordinary senses and reports: protection, proof and speed need a
# health subject ("protected against late fees", "proven to vanish from the tin", "within a
# narrow band"); "without treating" denies; claims quoted after "described as", after an
# earlier quotation, or "promised" in listings; "before saying"; someone "in another group";
# old books; "still considered experimental"; an ICD head ("conductive") that is an ordinary
# word.
@pytest.mark.parametrize("sentence", [
    "The enclosure's conductive coating is guaranteed not to flake for ten years.",
    "Members are protected against late fees by our billing cap.",
    "Nana's shortbread: proven to vanish from the tin by teatime.",
    "Your body holds its temperature within a narrow band whatever the weather.",
    "Painkillers can dull the ache without treating the injury underneath.",
    "Pedlars described their tonics as 'perfectly harmless' and 'certain to cure dropsy'.",
    "The watchdog found 'guaranteed relief' promised on most listings it checked.",
    "Regulators expect trial evidence before claiming that a supplement lowers blood pressure.",
    "A man in another forum says turmeric cured his gout, but please see your GP first.",
    "Old farmhouse almanacs recommended goose fat as a cure for chest infections.",
    "Stem cell injections for hip arthritis are still considered experimental.",
])
def test_batch_eleven_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# Tuned on batch 12 (dev12 only; our own wording): a comparison with a priced medicine, a
# safety promise that goes on ("risk-free, with no chance of ..."), an immune system that
# "shrugs off" illness, weaning "your dog off" a drug, "her way off" medicine, "no need for a
# trip to" a specialist, "cut back" medicine, an endorsement "recommended by" specialists.
@pytest.mark.parametrize("sentence", [
    "Our $30 earbuds outperform the $3,000 prescription hearing aids.",
    "These drops are completely risk-free, with no chance of a reaction for anyone.",
    "A daily shot of elderberry gives you an immune system that shrugs off flu.",
    "Our hemp chews let you wean your cat off her steroids.",
    "She breathed her way off her asthma inhalers in a month.",
    "Dry eyes clear up on our fish-oil blend, so there's no need for a trip to the optician.",
    "Cupping helps patients cut back their painkillers for good.",
    "Recommended by dentists to stop gum disease in its tracks.",
])
def test_batch_twelve_claims_are_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


# ... and what passes: a hope, a question people ask, a brochure that "read" a claim, and a
# "proven way" to something that is not health.
@pytest.mark.parametrize("sentence", [
    "Many parents hope a chiropractor will cure their baby's colic; the evidence says otherwise.",
    "Readers often ask us for something to cure their gout, and we send them to their GP.",
    "The jury saw a leaflet that read CURES ARTHRITIS IN A WEEK in red letters.",
    "A shared calendar is a proven way to keep the whole family on time.",
])
def test_batch_twelve_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# From the blind articles (tests/fixtures/blind_articles; each sentence here is our own
# wording): a heading that names its topic with a gerund, "family history", cognitive
# behavioural therapy as medical care, and the subject of a sentence before an aside.
@pytest.mark.parametrize("sentence", [
    "## Preventing hay fever",
    "## A guide to treating heel pain",
    "Risk rises with age, a previous knee injury and a family history of gout.",
    "Guidelines recommend cognitive behavioural therapy for insomnia before sleeping pills.",
    "Drugs for psoriasis, such as methotrexate, are important for keeping flares under control.",
])
def test_blind_article_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


@pytest.mark.parametrize("sentence", [
    "## Reversing type 2 diabetes naturally",
    "## Our clinic guarantees results",
    "Since the sessions my migraines are history.",
])
def test_headings_and_history_that_claim_are_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


# From the second set of blind articles (our own wording): an advert quoted after a colon,
# "what <experts> recommend" as a topic, and "guarantee <it> will cure".
@pytest.mark.parametrize("sentence", [
    'A seller we found last week promised: "Our copper insoles cure bunions in 10 days!"',
    'One clinic\'s page stated: "Ozone drips reverse diabetes for good."',
    "## Eczema: what dermatologists recommend",
])
def test_adverts_quoted_after_a_colon_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


@pytest.mark.parametrize("sentence", [
    "We guarantee our drops will cure your tinnitus, or your money back.",
    'Athlete story: "The clinic\'s laser rebuilt my torn cartilage in a month."',
])
def test_own_guarantees_and_testimonials_are_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


def test_research_on_back_pain_is_no_research_that_backs(tmp_path: Path) -> None:
    # Found in a blind article (our own wording here): "back" the body part read as "backs".
    assert claims_in(tmp_path, ["Research on back pain points to many causes."]) == {}
    assert claims_in(tmp_path, ["Studies back our balm for eczema."]) != {}


def test_a_quotation_over_two_sentences_is_judged_as_one(tmp_path: Path) -> None:
    """The advert's second sentence has no "advert that says:" of its own; a client's
    two-sentence testimonial is still the publisher's claim."""
    found = claims_in(tmp_path, [
        'I keep seeing an advert that says: "Our turmeric is clinically proven to rebuild '
        'cartilage. Ditch the painkillers for good." Is it true?',
        'Our clients tell us: "The balm cured my arthritis. I threw away my painkillers."'])
    assert list(found) == [1]
    assert sorted(item.kind for item in found[1]) == ["substitution", "treatment"]


def test_a_quotation_answered_by_a_denial_is_rebutted(tmp_path: Path) -> None:
    """A quoted advert line answered at once by a denial is under discussion; a testimonial
    followed by its author, or by more praise, is the publisher's claim."""
    found = claims_in(tmp_path, [
        '**"Safer than ibuprofen, with zero side effects."** No active substance has zero '
        'side effects.',
        '"Our drops cure tinnitus." There is no cure for tinnitus.',
        '"Massage cured my back pain." — Sarah, Leeds',
        '"This balm cured my eczema." No product has ever worked like it for me.'])
    assert sorted(found) == [2, 3]


def test_quoted_headings_and_quoted_paragraphs_after_a_lead_are_someone_elses(
        tmp_path: Path) -> None:
    """A heading in quotes, and quoted paragraphs after a lead naming adverts or labels, are
    under discussion; quoted testimonials after "what our customers told us:" are claims."""
    found = claims_in(tmp_path, [
        '## "Magnesium cured my insomnia overnight"',
        "Three claims I found on the boxes:",
        '> *"Flushes lactic acid and toxins out of your muscles."*',
        '> *"Prevents injuries so you can train harder."*',
        "Here is what our customers told us:",
        '> "The balm cured my eczema in a week."'])
    assert list(found) == [5]


def test_a_refund_guarantee_on_a_health_result_is_a_claim(tmp_path: Path) -> None:
    found = claims_in(tmp_path, [
        "Every programme comes with a guarantee: if you do not feel completely renewed and "
        "free of your symptoms by the end of your stay, we will refund your fees.",
        "We guarantee you'll see visible results or your money back.",
        "Every order comes with a 30-day money-back guarantee."])
    assert sorted(found) == [0, 1]


# From the tenth and eleventh sets of blind articles and batch 19 (our own wording here).
def test_a_heading_that_asks_its_claim_examines_it(tmp_path: Path) -> None:
    """A question in a heading with a subtitle after it asks; answered with a yes, or with
    the claim after the question, it claims."""
    found = claims_in(tmp_path, [
        "## Regrows Cartilage in a Month? What the Trials Actually Show",
        "## Clears Psoriasis Overnight?",
        "## Reverse your diabetes? Yes, you can!",
        "## Tinnitus? Our drops silence it for good"])
    assert sorted(found) == [2, 3]


def test_a_run_of_quoted_lines_is_someone_elses(tmp_path: Path) -> None:
    """Quoted list items after "a few lines we've seen", or before a paragraph that denies
    them all, and a heading of quoted phrases, are wording under discussion."""
    found = claims_in(tmp_path, [
        '## "Heals leaky gut" or "cures IBS"',
        "Some lines from supplement boxes this year:",
        '- "Cures insomnia in three nights."',
        '- "A natural alternative to your statins."',
        "Two sentences from a shop window:",
        "",
        '- "Our tincture shrinks fibroids."',
        '- "Better than ibuprofen for period pain."',
        "None of these is backed by a single trial.",
        '- "This salve cured my rosacea."'])
    assert sorted(found) == [9]


@pytest.mark.parametrize("sentence", [
    "Ask the coach: can cold showers cure depression? Absolutely, they reset your brain "
    "chemistry within a week.",
    "Who needs inhalers when you have salt caves?",
    "No need to rush your toddler to the GP for an ear infection when garlic oil sorts it.",
    "Our tonic works better than antidepressants, without the weight gain many people get.",
    "Eczema clears in most of our clients within two sessions.",
    "Our protocol cuts the number of asthma attacks you have.",
    "Testimonial: 'Since the adjustments my sciatica has gone for good.'",
    "Chiropractic keeps your immune system strong, which means you will catch fewer colds.",
    "Our oil means RSV won't be able to touch your baby.",
])
def test_batch_nineteen_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Can cold showers cure depression? Yes, for some people they lift mood a little.",
    "Correction: last week we wrote that garlic 'cures' high blood pressure; it does not.",
    "Shops sell teas that 'heal' eczema, but none has been tested.",
    "Our guest warns that the stories online about cupping curing shingles are anecdotes.",
    "People who feel stuck often end up in a cycle of poor sleep and worry.",
    "An oil was sold with the line \"Banish migraines forever\" and no evidence at all.",
])
def test_batch_nineteen_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# From batch 20 and the twelfth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "Our tonic returns a swollen prostate to its normal size.",
    "VitaMax restores low testosterone within a month.",
    "Give your child our drops and you can skip the MMR.",
    "My daughter's tonsillitis was knocked on the head in a day by our elderflower syrup.",
    "Our adjustments fix colic in just one or two visits.",
    "We guarantee you will sleep through the night after your first week, or your next "
    "month is on us.",
    "Because it works through your skin rather than your gut, our cream is completely safe "
    "for everyone.",
    "Guaranteed: you will hear better within a fortnight.",
])
def test_batch_twenty_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "A reader wrote that arnica cured her bruised knee, but most bruises heal on their own "
    "within a fortnight.",
    "The nasal flu vaccine lowers the chance of catching flu.",
    "Every century has had its miracle cures, and most did nothing at all.",
    "Feverfew, a traditional remedy for headaches, has little good evidence behind it.",
    "A supplement company's leaflet read: \"Our capsules cure arthritis for good.\"",
    'The phrase "clinically proven to end migraines" ignores how trials work.',
    "The guarantee on old patent medicines, 'cures or money refunded', was rarely honoured.",
])
def test_batch_twenty_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# From batch 21 and the thirteenth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "The drug companies have hidden the proof that turmeric cures diabetes.",
    "Our drops are completely safe for children, whatever your doctor may have told you.",
    "The Glow Lamp lifts depression within a week.",
    "Half our clients no longer bother with mammograms since starting the breast massage "
    "course.",
    "Our blend beats GnRH agonists for endometriosis pain.",
])
def test_batch_twenty_one_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Most colds clear up within ten days without any treatment.",
    "Trials have failed to show that glucosamine rebuilds cartilage.",
    "The label is nudging you to believe the tea cures bloating.",
])
def test_batch_twenty_one_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


def test_a_quoted_post_answered_by_a_verdict_is_someone_elses(tmp_path: Path) -> None:
    found = claims_in(tmp_path, [
        "## Viral post 3: celery juice for psoriasis",
        '> "Celery juice cleared my psoriasis in ten days. Ditch the steroid creams."',
        "**Our verdict: false.**",
        '> "Our celery juice clears psoriasis in ten days."',
        "Order today and see the difference."])
    assert sorted(found) == [3]


# From batch 22 and the fourteenth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "Unlike prescription drugs, nothing in our herbal range can ever do you harm.",
    "Being plant-based, our tonic is harmless for children of any age.",
    "No need to bother your doctor with cystitis when cranberry capsules do the job.",
    "Testimonial from our shop: 'My receding gums grew back in a month.'",
])
def test_batch_twenty_two_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "The jar is 100% safe to recycle with your glass.",
    "No supplement, however pure, can protect you from bowel cancer.",
    "My headaches improved a bit once my anaemia was treated.",
    "The idea was that heat heals torn muscles faster.",
    "Both doctors agree on the basic facts about sciatica.",
])
def test_batch_twenty_two_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


def test_a_bold_quoted_label_that_is_then_weighed_is_under_discussion(tmp_path: Path) -> None:
    """A paragraph or list item that opens with a quotation in bold and goes on to deny or
    hedge it discusses it; a bold testimonial followed by its author is a claim; a short list
    item without a full stop (a warning sign) is not read by the model."""
    found = claims_in(tmp_path, [
        '**"Cures insomnia for good."** There is no good evidence for this at all.',
        '- **"Completely safe for babies."** No remedy is free of risk.',
        '**"The balm cured my eczema for good!"** Sarah, Leeds',
        "- sudden weakness or numbness in one leg"])
    assert sorted(found) == [2]


# From batch 23 and the fifteenth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "Our turmeric tonic slows the progression of Parkinson's.",
    "Guaranteed hair regrowth in 60 days or your money back.",
    "Our elderflower cordial is safe to drink every day for as long as you like.",
])
def test_batch_twenty_three_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "I object when a shop tells my patients that a tea cures diabetes.",
    "A friend says her eczema cleared with coconut oil, and she stopped her steroid cream.",
    "Our columnist, a retired GP, answers your questions every week.",
    "By spring she was managing a slow, pain-free jog around the park.",
])
def test_batch_twenty_three_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# From batches 24 and 25 and the seventeenth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "Throw away the Apoquel: our oatmeal rinse settles your dog's itching for good.",
    "Our breathing course works better than ECT for severe depression.",
    "The elderberry drops keep my dry eye from ever coming back.",
    "With our app there is no need for follow-up appointments with your mental health team.",
    "A herbal-medicine protocol that heals anxiety at the root.",
    "Our nettle wormer is harmless, even for newborn foals.",
    "Following our fertility plan guarantees a healthy pregnancy.",
    "Eight in ten of our clients leave the obese BMI range within weeks, every time.",
])
def test_batch_twenty_five_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Some trainers will tell you that fasting reverses fatty liver disease; I'm not convinced.",
    "Retailers say a juice cleanse clears acne, but neither does the research agree.",
    "Age-related macular degeneration is irreversible, so regular eye tests matter.",
    "The spray is safe to use on all your upholstery and won't damage the fabric covers.",
    "The cure-all tonics hawked at Edwardian markets were mostly sugar and gin.",
    "Online videos present garlic capsules as a fix for everything from colds to gout.",
])
def test_batch_twenty_five_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


# From batches 26 and 27 and the nineteenth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "The Spinal Reset method cures lower back pain, often in one session.",
    "People who follow an anti-inflammatory diet are free of psoriasis within a year.",
    "The salt-lamp nook in the medical room stops asthma attacks in any child who sits there.",
])
def test_batch_twenty_seven_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Every child with eczema should have an emollient plan agreed with their nurse.",
    "A cream that genuinely cleared rosacea would have to be licensed as a medicine.",
    "My GP preferred it to me taking naproxen every day, given my stomach.",
])
def test_batch_twenty_seven_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


def test_quoted_adverts_after_a_lead_naming_where_they_were_seen_are_someone_elses(
        tmp_path: Path) -> None:
    """A quoted paragraph after a lead naming a post, a sticker or a letter, or before
    "Neither of those ..." is under discussion; a post from "one of our members" is the
    publisher's own testimonial."""
    found = claims_in(tmp_path, [
        "A patient forwarded me this post from a spa's Facebook page:",
        '> "Sciatica? Two hot-stone sessions and it is GONE."',
        "My neighbour's jar of joint gel has a sticker on it:",
        '> "Regrows worn cartilage in six weeks."',
        "Neither of those lines fits anything the trials show.",
        "A post from one of our members:",
        '> "The oil cured my shingles in three days."'])
    assert list(found) == [6]


def test_a_quotation_a_product_is_said_to_do_is_someone_elses(tmp_path: Path) -> None:
    found = claims_in(tmp_path, [
        'Then there is the bracelet that will "cure migraines in ONE day": it would be '
        "front-page news if it did.",
        "And our bracelet cures migraines in one day."])
    assert list(found) == [1]


# From the twentieth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence", [
    "Most men on the programme come off their blood pressure tablets within weeks.",
    "Our infrared wrap is an effective treatment for shingles.",
    "Our magnesium spray, which no pharmacy brand can match, cures restless legs overnight.",
    "Skip the yearly PSA test: our saw palmetto keeps your prostate healthy.",
    "With our hypnobirthing course you won't need an induction.",
    "No more eye patches for your child's lazy eye with our vision game.",
    "Forget your CPAP machine: our mouth tape keeps the airway open.",
])
def test_twentieth_set_mechanisms_are_claims(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) != {}, sentence


@pytest.mark.parametrize("sentence", [
    "Weeks later, the line about buyers stopping their statins was gone from the shop page.",
    "Insulin adds to or replaces your own insulin when the pancreas cannot keep up.",
    "Leaving any device in overnight carries a small risk of infection.",
    "Clinic chairs exist, and one has FDA clearance for treating incontinence.",
    "I keep seeing ads for cholesterol chews that say they 'clear your arteries in 7 days, no "
    "statins needed.'",
    "I am not aware of any tea, tincture or breathing course that has been shown to reverse "
    "emphysema.",
    "No collagen powder, however glowing its reviews, has been shown to rebuild cartilage.",
    "Cupping is often sold, as a detox, a cure for shingles or a fix for anxiety, to people "
    "who deserve better evidence.",
    "Salbutamol is the first-line treatment for an asthma attack.",
    "Treatment for a detached retina works best within hours.",
])
def test_twentieth_set_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


def test_a_rated_quotation_and_a_sellers_words_after_told_me_are_someone_elses(
        tmp_path: Path) -> None:
    found = claims_in(tmp_path, [
        '> "Cold showers reset your thyroid and cure fatigue for good." (wellness coach, 2M '
        'views)',
        "**Rating: False.**",
        "The man at the stall told me:",
        '> "This tincture is far safer than your prescription painkillers."',
        "Our own customers say it best:",
        '> "Your tincture cured my sciatica." (Maureen, one of our regulars)'])
    assert list(found) == [5]


# From the twenty-second set of blind articles (our own wording here).
def test_a_quotation_in_a_products_voice_inside_prose_is_an_advert_quoted(
        tmp_path: Path) -> None:
    """A quoted line that speaks for a product, inside the writer's own sentence, is an
    advert under discussion; a quoted testimony (first person, or a person named after it)
    stays the publisher's claim, and so does a paragraph that is only the seller's quote."""
    found = claims_in(tmp_path, [
        'The leaflet in the bag: *"Dissolves kidney stones in three days."* I could not find '
        "a single study behind it.",
        'The seller calls it "the drug-free cure for gout."',
        '"My gout cleared in three days," says Tom, one of our customers.',
        '"Gout gone in three days, no tablets needed." — Ana, Porto',
        '> "Our cherry syrup dissolves kidney stones in three days."'])
    assert sorted(found) == [2, 3, 4]


# From blind batch 30 and the twenty-third set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence,kind", [
    ("Our deep-tissue work fixes what painkillers can't.", "comparison"),
    ("Two sessions and she hasn't taken a single ibuprofen since.", "substitution"),
    ("One course of our traction sessions frees trapped nerves in the lower back.",
     "treatment"),
    ("Undo decades of postural damage with six weekly visits.", "reversal"),
])
def test_twenty_third_set_claims_are_read(tmp_path: Path, sentence: str, kind: str) -> None:
    found = claims_in(tmp_path, [sentence])
    assert [f.kind for f in found.get(0, [])] == [kind], sentence


@pytest.mark.parametrize("sentence", [
    "No cream is guaranteed to work, and many verrucas disappear on their own within two years.",
    "Plantar warts often fade by themselves, so a wait-and-see approach is reasonable.",
    "Nothing on the shelf prevents chickenpox, so keep a close eye on any baby with a fever.",
    "The advert treats 'eczema' as a single condition, when there are several kinds.",
    "Grapefruit juice can stop some medicines from working as they should.",
])
def test_twenty_third_set_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


def test_a_bold_label_followed_by_its_text_names_a_topic(tmp_path: Path) -> None:
    """A bold label that is a sentence of its own, before the paragraph's text, heads it as
    a heading would; alone, or ending in a colon that runs into the claim, it does not."""
    found = claims_in(tmp_path, [
        "**Preventing migraines.** Trials of magnesium have given mixed results so far.",
        "**Treatments for gout.** Your GP can explain the options.",
        "- **Preventing migraines.**",
        "**Preventing migraines:** our feverfew drops prevent migraines for good.",
        "**Reversing arthritis.** Our course does it in weeks."])
    assert sorted(found) == [2, 3, 4]


# From the twenty-fourth set of blind articles (our own wording here).
@pytest.mark.parametrize("sentence,kind", [
    ("Cuts swelling in gout sufferers by up to 60%.", "treatment"),
    ("Why put your son in a brace when a drug-free option works better?",
     "comparison"),
])
def test_twenty_fourth_set_claims_are_read(tmp_path: Path, sentence: str, kind: str) -> None:
    found = claims_in(tmp_path, [sentence])
    assert kind in [f.kind for f in found.get(0, [])], sentence


@pytest.mark.parametrize("sentence", [
    "Once the pain settles, gentle strengthening work becomes more useful.",
    "Within two days I had a quote and a flight, all without a doctor having seen my scans.",
])
def test_twenty_fourth_set_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


@pytest.mark.parametrize("lead", [
    "Here is some of what I was told on the phone, from my notes:",
    "Under a photo of a smiling nurse, the menu reads:",
])
def test_a_salespersons_words_and_a_menu_are_someone_elses(tmp_path: Path, lead: str) -> None:
    found = claims_in(tmp_path, [lead, '> "Our injections regrow cartilage, so you will never '
                                       'need a knee replacement."'])
    assert found == {}


# A testimonial names its condition in one sentence and says what became of it in the next,
# of a pronoun (our own wording, after blind article sets 25-27).
@pytest.mark.parametrize("paragraph", [
    "I'd had shingles pain for two years. After three sessions with Mira, it was gone for good.",
    "I suffered from cluster headaches for a decade. Since the first session, they have "
    "disappeared.",
    "Hives kept me awake most nights. Since the first capsule, they've been gone.",
])
def test_an_outcome_said_of_a_pronoun_for_the_condition_before_it(tmp_path: Path,
                                                                   paragraph: str) -> None:
    [found] = claims_in(tmp_path, [paragraph]).values()
    assert [item.kind for item in found] == ["treatment"], paragraph


@pytest.mark.parametrize("paragraph", [
    "My daughter had eczema as a baby. It may simply have cleared up as she grew.",
    "I bought the balm in May. It was gone within a week, so I bought two more.",
])
def test_a_pronoun_outcome_needs_a_condition_before_it_and_no_hedge(tmp_path: Path,
                                                                    paragraph: str) -> None:
    # (The model reads the first sentence as a story's claim, a warning on its own.)
    found = [item for items in claims_in(tmp_path, [paragraph]).values() for item in items
             if "statistical" not in item.message]
    assert found == [], paragraph


def test_a_table_cell_weighed_in_its_row_is_under_discussion(tmp_path: Path) -> None:
    """A careful article's table of what labels say beside what the evidence says; a
    marketing table of conditions and results stays a claim (our own wording)."""
    body = ("| What the tub says | What we found |\n|---|---|\n"
            "| Cures thrush overnight | No trial has tested it |\n"
            "| Prevents cystitis | One small study, which may not apply to you |\n\n"
            "| Condition | Our result |\n|---|---|\n"
            "| Sciatica | Our massage clears sciatica in three sessions |\n")
    path = write_article(tmp_path, "tables.md", body=body, extra="summary: Tables.")
    lines = [item.line for item in check_paths([path], Config()).findings
             if item.rule == "medical-claim"]
    assert sorted(set(lines)) == [BODY_START + 7], lines


def test_a_claim_in_a_links_words_is_a_warning_unless_the_article_makes_one(
        tmp_path: Path) -> None:
    """A link's words name the page it leads to (our own wording)."""
    link = "Further reading: [Coming off your antidepressants safely](https://example.org/a)."
    found = claims_in(tmp_path, [link])
    [item] = found[0]
    assert (item.severity, item.message.endswith(LINKED_ONLY)) == ("warning", True)
    found = claims_in(tmp_path, [link, "Our turmeric capsules reverse arthritis."])
    assert {item.severity for index in found for item in found[index]} == {"error"}



@pytest.mark.parametrize("paragraph", [
    "Pam, 61, stopped her sertraline overnight after a retreat. Within a week she was having "
    "brain zaps and crying at work.",
    "Last spring my uncle stopped his warfarin without telling his GP.",
    "He came off his inhaler in March. By May the wheeze was worse than it had ever been.",
    "Within two days of stopping, the reflux had come roaring back.",
])
def test_a_stopped_medicine_told_as_the_start_of_what_went_wrong_is_a_story(
        tmp_path: Path, paragraph: str) -> None:
    found = [item for items in claims_in(tmp_path, [paragraph]).values() for item in items
             if "statistical" not in item.message]
    assert found == [], paragraph


def test_a_list_item_completes_its_lead_ins_sentence(tmp_path: Path) -> None:
    """'Shown to help with:' and then conditions, one per item: each item is a claim; a
    hedged lead, a lead that reports, and a whole clause before the colon leave them be."""
    paragraphs = ["Reflexology at our studio is proven to relieve:",
                  "- Plantar fasciitis and heel spurs\n- Migraines",
                  "Some small trials suggest yoga may help with:",
                  "- Tension headaches\n- Neck pain",
                  "Adverts for the insoles promise relief from:",
                  "- Plantar fasciitis\n- Gout",
                  "The habits with the best evidence behind them shift the odds:",
                  "- Vaccination against HPV where offered\n- Not smoking"]
    text = "\n\n".join(paragraphs)
    path = write_article(tmp_path, "lists.md", body=text, extra="summary: Lists.")
    lines = text.splitlines()
    claimed = {lines[item.line - BODY_START] for item in check_paths([path], Config()).findings
               if item.rule == "medical-claim"}
    assert claimed == {"- Plantar fasciitis and heel spurs", "- Migraines"}


@pytest.mark.parametrize("sentence", [
    "Most colds clear up within a week or ten days.",
    "Most colds in children clear up on their own within a week, although a cough can "
    "linger longer.",
    "She talked me through switching from tablets to a monthly injection.",
    "- treating hearing loss, for example with hearing aids",
    "I'd rather say that now than let you believe a treatment has cured you for life.",
    "That is very different from curing an anxiety disorder.",
    "That is a long way from reversing type 2 diabetes.",
    "After a year, Dr Shah and I reduced the sertraline gradually and I stopped.",
    "Heat and ice are among the oldest ways people try to ease sore joints.",
    "A website offering cures for arthritis and dementia is a warning sign.",
    "I spent a decade chasing a cure for my migraines.",
    "Knee pain at night? What actually helps osteoarthritis",
    "| **A**ct fast | Seen within two days of symptoms starting |",
    "A 2019 report described two women who stopped levothyroxine during a juice fast.",
    "She uses the preventer her asthma team prescribed to keep the inflammation in her "
    "airways settled.",
    "## Hay Fever Remedies Explained: What the Packet Says",
    "My mother says gripe water cured all four of us.",
    "Off-the-shelf glasses do have limits, though:",
    "The headaches stopped being migraine days and became just most days.",
    "Fluoride toothpaste is one of the best-supported ways of reducing tooth decay.",
])
def test_thirteenth_session_lookalikes_pass(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]) == {}, sentence


@pytest.mark.parametrize("sentence", [
    # A stopped medicine with relief after it, not harm, is still a testimonial's claim.
    "I stopped my blood pressure tablets after our retreat. The headaches never came back.",
    "Grandad threw away his arthritis pills after a month of adjustments with us. He is "
    "dancing again.",
    "I used to live on omeprazole, but I haven't needed it once since my first bottle.",
    "Our clinic saved my knee from an operation.",
    "Our naturopaths taper clients off antidepressants gradually, for good.",
    "Honestly, the bone broth is what healed my Crohn's.",
    "Ditch the stimulants and let your child's brain learn to focus on its own.",
    "No, our capsules never interfere with prescription medicines.",
    "I've stopped my Aricept altogether and I've never felt sharper.",
    "Most of our clients' migraines disappear within a week.",
    "Our method works better than pelvic floor surgery, without the scars.",
    "My 21-day programme reverses age-related long-sightedness naturally.",
    "Once your body is alkaline, smear tests simply stop being necessary.",
    "Eczema since birth? What cleared my skin was this balm.",
    "No hunger, no calorie counting and no side effects.",
    "I've never met a back problem that the right adjustment couldn't fix.",
    "Switch from your statins to our red yeast rice today.",
    "- treating back pain with our herbal balm",
])
def test_thirteenth_session_claims_are_read(tmp_path: Path, sentence: str) -> None:
    assert claims_in(tmp_path, [sentence]), sentence


def test_a_fact_checkers_verdict_alone_in_a_cell_weighs_its_row(tmp_path: Path) -> None:
    table = ("| Claim | Rating |\n|---|---|\n| Tapping cures anxiety | Unsupported |\n"
             "| Humming reverses inflammation | **Overstated** |\n"
             "| Our balm | Cures eczema for good |")
    path = write_article(tmp_path, "table.md", body=table, extra="summary: A table.")
    lines = table.splitlines()
    claimed = {lines[item.line - BODY_START] for item in check_paths([path], Config()).findings
               if item.rule == "medical-claim"}
    assert claimed == {"| Our balm | Cures eczema for good |"}


def test_a_readers_quoted_question_as_a_title_is_someone_elses(tmp_path: Path) -> None:
    path = write_article(tmp_path, "ask.md", title="Ask Anna: 'My dad swapped his statin for "
                         "red yeast rice. Should I worry?'", body="Anna replies below.")
    assert [item for item in check_paths([path], Config()).findings
            if item.rule == "medical-claim"] == []
