#!/usr/bin/env python3
"""Regenerate ``pipeline/data/conditions.txt`` from the ICD-10-CM tabular list.

The tabular list (CMS/NCHS, a US government work in the public domain) ships in the PyPI
package ``simple-icd-10-cm`` (MIT), pinned in requirements-dev.txt. Nothing is downloaded at
run time: the pipeline reads only the text file this script writes.

From each diagnosis title and inclusion term ("Adhesive capsulitis of shoulder", "Frozen
shoulder") it keeps the condition's head, the words before "of", "with", "due to" and the
like ("adhesive capsulitis"), with and without leading qualifiers ("chronic", "other"). The
everyday names people use ("bad back", "the flu") are not in ICD; they live in
``pipeline/data/claims.yaml``.

    .venv/bin/python scripts/build_conditions.py          # rewrite the file
    .venv/bin/python scripts/build_conditions.py --check  # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from importlib import metadata, resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.checks.conditions import normalize_phrase  # noqa: E402

TARGET = ROOT / "pipeline" / "data" / "conditions.txt"
# External causes (V-Y) and contacts with health services (Z) name no condition.
SKIPPED_CHAPTERS = ("V", "W", "X", "Y", "Z")
_CUT = re.compile(
    r",|;|:| of | with | without | due to | in | and | or | affecting | involving | following "
    r"| complicating | associated | not elsewhere| unspecified| at | from | by | during | on "
    r"| to | as | for | nos$")
_QUALIFIER = re.compile(
    r"^(?:(?:other|unspecified|acute|chronic|primary|secondary|mild|moderate|severe|recurrent|"
    r"left|right|bilateral|unilateral|localized|generalized|idiopathic|simple|multiple|single|"
    r"specified|certain|unknown|personal|family|history|congenital|acquired|unstable|stable|"
    r"persistent|early|late|major|minor|transient|complete|partial|initial|subsequent)\s+)+")
_SHAPE = re.compile(r"[a-z][a-z' -]*[a-z0-9]")
# One-word heads that are not a condition on their own ("other", "abdominal", "failure").
# Multi-word terms keep them ("heart failure").
_GENERIC_WORDS = """
abdomen abdominal abnormal abnormalities abnormality absence absent abuse acute adult
allergic alteration alterations alveolar apical arrest aspiration atlas attacks attention
awareness axis behavioral benign bite blood bone bones breakage breakdown bulky calculus canal
carrier cause cells cheek chronic combat combination complete complication complications
compression condition conditions congenital contact contour contraction cooing corrosion
corrosions crowding curvature cutaneous damage defects deficiency deflection degeneration
degenerative delayed deletion deletions delivery deprivation derangement derangements deviation
diffuse difficulties difficulty discontinuity diseases disorder disorders displaced displacement
disproportion disruption dissection distention disturbance disturbances doubling drop drug
effect effects elaboration elevation embedded encounter endocrine enlarged enlargement episode
episodes erosion excessive exit exposure failed failure falling fear feeding feeling female
finding findings fish fluor folds food forms frequency fusion hand hanging heavy hereditary
hostility immersion individual infant infantile inhalation instability interruption
interstitial investigation involvement irregular juvenile labor lack leakage lesion lesions
light liver lobulated loneliness loose loss lumbar male malfunction manifestations mental mild
motor mucus multifocal multiple need neglect newborn normal obstruction obstructive occlusion
onset organ osseous other overhanging patent pelvic personality pin pins plantar port postcoital
pregnancy presence presentation problems psychological rape reaction reactions recession rectal
recurrent relaxation renal resulting retention rotation sector sedative seeds segmental
separation septic sequelae severe shadow shearing shock signs simple sinus sites smoking
specified speech spinal splitting staining state stone strain straining strange struck
supervision suppression symptoms syndrome target tear tendency termination thoracic tipping
translucency transparency transfusion transgender twist type types underdosing uterus variant
variants variations vascularization vasomotor ventilator ventricle verbosity viral voice wax
wear web webbing wedging weight withdraws worries wrist cardiac cardiovascular developmental
dysfunctional exophthalmic extradural extrapyramidal hyperplastic hypertonic inflammatory
intra-abdominal intracranial intraoperative leptospiral menopausal obsessive-compulsive
postinfective postviral pyemic retropharyngeal subacute suppurative squashed screaming
sighing sniffles snuffles trance exit taco pilar dens malleus astragalus operculum variant
change changes collapse confusion convolution death deposit deposits depletion duplication
dilation dilatation exhaustion flushing hesitancy imbalance immobility inability incomplete
incompetence insufficiency inversion irritability kinking laxity narrowing obliteration opacity
overactivity overfeeding overproduction protrusion puckering resorption retraction satiety
scaling secondary senescence sequestration shortening shortness slowness splinter stage talker
unknown walker weakness mottling nervousness fainting blackout tic tics twitching unhappiness
suspiciousness lalling bowing cluttering calme ican raeb rar rars pht phts pim pims fpy gald
ltbl lbsl ssadhd stec aiphi amkd anca ccca cmml cdkl5 fnhtr pcnsl secondary urgency
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())


# Words that never open or close a condition's name: what is left of a title's syntax
# ("this category is", "any condition listed", "hepatitis a").
_NOT_FIRST_WORDS = """
a an the for in i ii iii iv this these those that any other use of on to with see code
including excluding specified unspecified classified elsewhere not nos as at by from due and
or if when which
"""
_NOT_FIRST = frozenset(_NOT_FIRST_WORDS.split())
_NOT_LAST_WORDS = """
a to is not i ii iii iv but by only also other such around found of in on with without and or
for as at from due nos type specified unspecified elsewhere classified code category listed
identified appropriate word site sites
"""
_NOT_LAST = frozenset(_NOT_LAST_WORDS.split())


def _clean(term: str) -> bool:
    words = term.split()
    return bool(words) and words[0] not in _NOT_FIRST and words[-1] not in _NOT_LAST


def heads(title: str) -> set[str]:
    title = re.sub(r"\[.*?\]", "", title.lower())
    found = set()
    for variant in (re.sub(r"\s*\(.*?\)", "", title), re.sub(r"[()]", "", title)):
        head = " ".join(_CUT.split(variant)[0].split())
        for candidate in (head, _QUALIFIER.sub("", head)):
            words = candidate.split()
            if not _SHAPE.fullmatch(candidate) or not 1 <= len(words) <= 5:
                continue
            if len(words) == 1 and (candidate in _GENERIC or len(candidate) < 4):
                continue
            term = normalize_phrase(candidate)
            if _clean(term):
                found.add(term)
    return found


def terms() -> tuple[str, set[str]]:
    data = resources.files("simple_icd_10_cm").joinpath("data")
    tabular = next(p for p in data.iterdir() if p.name.startswith("icd10c-tabular"))
    root = ET.fromstring(tabular.read_bytes())
    found: set[str] = set()
    for chapter in root.iter("chapter"):
        span = (chapter.findtext("desc") or "").rsplit("(", 1)[-1]
        if span.startswith(SKIPPED_CHAPTERS):
            continue
        for diag in chapter.iter("diag"):
            titles = [diag.findtext("desc") or ""]
            titles += [note.text or "" for note in diag.findall("inclusionTerm/note")]
            for title in titles:
                found |= heads(title)
    found.discard("")
    source = f"{tabular.name} (simple-icd-10-cm {metadata.version('simple-icd-10-cm')})"
    return source, found


def render() -> str:
    source, found = terms()
    header = [
        "# Condition names for the medical-claim rule, one per line, normalized by",
        "# pipeline.checks.conditions.normalize_phrase. Generated by scripts/build_conditions.py",
        f"# from the ICD-10-CM tabular list {source}; do not edit by hand.",
        "# ICD-10-CM is a US government work (CMS/NCHS) in the public domain.",
    ]
    return "\n".join(header + sorted(found)) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date; run scripts/build_conditions.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {sum(1 for line in text.splitlines() if not line.startswith('#'))} terms "
          f"to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
