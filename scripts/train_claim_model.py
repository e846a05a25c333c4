#!/usr/bin/env python3
"""Write pipeline/data/claim_model.json.gz: the statistical model beside the medical-claim rule.

A TF-IDF logistic regression (word 1-2 grams, sublinear tf, l2-normalised, C=4, balanced
classes; ``--chars`` adds char_wb 3-5 grams, normalised on their own, as the experiment in
benchmarks/claims/model_experiment.py had them) that reads a sentence as a health
claim or not, and a multinomial logistic regression on the same word features that names the
claim's kind. Trained on the development sentences only (benchmarks/claims/dev*.jsonl, our
own data, written for the project); the test files are never read. pipeline/checks/
claim_model.py reads the file in pure Python: scikit-learn is needed only here.

    python3.11 -m venv /tmp/model-venv
    /tmp/model-venv/bin/pip install -c constraints.txt -e . scikit-learn==1.9.1
    PYTHONPATH=. /tmp/model-venv/bin/python scripts/train_claim_model.py --held-out 10
    PYTHONPATH=. /tmp/model-venv/bin/python scripts/train_claim_model.py

``--held-out 10`` trains on every development file but dev10, and prints, for dev10 only, the
rules alone and the rules with the model at each threshold (through the real `pipeline check`
code); ``--cross`` does so for each development batch in turn, and sums: THRESHOLD and VETO
were chosen with it. Without it the shipped model is trained on every development
file, written with deterministic bytes (sorted keys, rounded floats, gzip mtime 0), and so is
tests/fixtures/claim_model_oracle.json: sentences with scikit-learn's probability and kind,
which tests/test_claim_model.py compares with the pure-Python reading.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import claims_eval  # noqa: E402

from pipeline.checks import claim_model  # noqa: E402
from pipeline.checks.claim_reader import KINDS  # noqa: E402

OUT = ROOT / "pipeline" / "data" / "claim_model.json.gz"
ORACLE = ROOT / "tests" / "fixtures" / "claim_model_oracle.json"
# Chosen with --cross and the blind whole articles (see README, "Health claims"). On 14 batches
# a lower threshold caught more claims (0.6: 7 more of 2,632 for 2 fewer false positives), but
# on whole careful articles it flagged sentences the balanced sets do not hold: at 0.7, 9
# findings in 8 of the 24 careful articles tests/test_checks_claims_articles.py holds clean.
THRESHOLD = 0.8
VETO = 0.15  # --cross at 0.8: against 0.1, 2 claims fewer and 6 of 20 false positives fewer
THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)
VETOES = (0.05, 0.1, 0.15, 0.2)
DIGITS = 7  # coefficients: a rounding error far below the oracle test's 1e-6
KIND_DIGITS = 4  # the kind model only names the largest of eight scores
ORACLE_SIZE = 200
# Character 3-5 grams too (--chars)? On held-out dev10, read as the checker reads (sentences
# naming a condition), they caught one claim more of 160 at 0.9, but are far slower to read in
# pure Python and would double the file: the shipped model reads word 1-2 grams only.
CHARS = False


def vectorizers(chars: bool):
    parts = [TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)]
    if chars:
        parts.append(TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3,
                                     sublinear_tf=True))
    return make_union(*parts)


def train(sentences: list[claims_eval.Sentence], chars: bool = CHARS):
    union = vectorizers(chars)
    features = union.fit_transform([s.text for s in sentences])
    model = LogisticRegression(C=4, max_iter=3000, class_weight="balanced").fit(
        features, [s.claim for s in sentences])
    word = union.transformer_list[0][1]
    claims = [s for s in sentences if s.claim and s.kind in KINDS]
    kinds = LogisticRegression(C=4, max_iter=3000).fit(
        word.transform([s.text for s in claims]), [s.kind for s in claims])
    return union, model, kinds


def exported(union, model, kinds, files: list[str], sentences, threshold: float,
             veto: float = 0.0) -> dict:
    word = union.transformer_list[0][1]
    char = union.transformer_list[1][1] if len(union.transformer_list) > 1 else None
    coef = model.coef_[0]
    width = len(word.vocabulary_)
    classes = [str(c) for c in kinds.classes_]
    n = len(sentences)

    def table(vectorizer, offset: int, with_kinds: bool) -> dict[str, list]:
        # Every term keeps its document frequency (the l2 norm needs every term's weight);
        # a coefficient that rounds to 0 is left out (stored as 0).
        df = np.rint((n + 1) / np.exp(vectorizer.idf_ - 1) - 1).astype(int)
        rows: dict[str, list] = {}
        for term, index in vectorizer.vocabulary_.items():
            weight = round(float(coef[offset + index]), DIGITS)
            row: list = [int(df[index]), weight if weight else 0]
            if with_kinds:
                scores = [round(float(s), KIND_DIGITS) for s in kinds.coef_[:, index]]
                if any(scores):
                    row.append([s if s else 0 for s in scores])
            rows[term] = row
        return rows

    # The exported frequencies must give back scikit-learn's idf exactly.
    for vectorizer in (word, char):
        if vectorizer is None:
            continue
        table_ = table(vectorizer, 0, False)
        for term, index in vectorizer.vocabulary_.items():
            assert abs(claim_model.idf(n, table_[term][0]) - vectorizer.idf_[index]) < 1e-12
    return {
        "format": 1,
        "about": "pipeline/checks/claim_model.py; made by scripts/train_claim_model.py",
        "training": {
            "files": [f"benchmarks/claims/{name}.jsonl" for name in files],
            "sentences": n,
            "claims": sum(s.claim for s in sentences),
            "not_claims": sum(not s.claim for s in sentences),
            "kinds": {kind: sum(s.kind == kind for s in sentences if s.claim) for kind in KINDS},
            "licence": "the project's own data (benchmarks/claims, written for the project)",
        },
        "threshold": threshold,
        "veto": veto,
        "documents": n,
        "word": table(word, 0, True),
        "char": table(char, width, False) if char is not None else {},
        "intercept": round(float(model.intercept_[0]), DIGITS),
        "kinds": {"classes": classes,
                  "intercepts": [round(float(b), KIND_DIGITS) for b in kinds.intercept_]},
    }


def write(data: dict, path: Path) -> None:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                               compresslevel=9, mtime=0) as out:
        out.write(text.encode("utf-8"))


def held_out(batch: str, chars: bool) -> None:
    """Train without dev<batch>, then score dev<batch> alone: rules, rules + model."""
    name = f"dev{batch}"
    files = [f for f in claims_eval.DEVS if f != name]
    training = [s for f in files for s in claims_eval.load_file(f)]
    scored = claims_eval.load_file(name)
    union, model, kinds = train(training, chars)
    chances = model.predict_proba(union.transform([s.text for s in scored]))[:, 1]
    print(f"trained on {len(training)} sentences ({', '.join(files)}); scored {name} "
          f"({len(scored)} sentences)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json.gz"
        write(exported(union, model, kinds, files, training, 1.01), path)
        claim_model.use(path)
        rules = claims_eval.flagged(scored)  # threshold above 1: the rules alone
        show("rules", scored, rules)
        show("model >= 0.5 (sklearn)", scored, [["m"] if c >= 0.5 else [] for c in chances])
        for threshold in THRESHOLDS:
            claim_model.use(path, threshold)
            show(f"rules + model >= {threshold}", scored, claims_eval.flagged(scored))
            plain = [r or (["m"] if c >= threshold else []) for r, c in zip(rules, chances,
                                                                             strict=True)]
            show(f"  (rules or sklearn >= {threshold})", scored, plain)
        claim_model.use(path, THRESHOLD, VETO)
        show(f"rules + model >= {THRESHOLD}, veto < {VETO}", scored,
             claims_eval.flagged(scored))
        for sentence, result in zip(scored, claims_eval.flagged(scored), strict=True):
            if result and any("reads like" in m for m in result) and not sentence.claim:
                print(f"  MODEL FALSE [{result[0][:60]}...] {sentence.text}")


def cross(chars: bool) -> None:
    """Each development batch held out in turn: what the model adds to the rules, summed.

    The rules were tuned on these batches, so their own numbers here are flattering; what
    this measures fairly is the model's part: the claims it catches that the rules missed,
    the non-claims it flags, and what its veto costs and saves (rule findings dropped in
    sentences it reads as no claim), on writers it was not trained on. Batches 10 and 11
    are the fairest rows: the rules had not been tuned on dev10, nor on dev11 before the
    rules' batch-11 tuning. On 2026-12-07 (11 batches, 2,154 claims, 2,109 non-claims):
    rules 98.6% / 0.6%; with the model at 0.8, 99.1% / 0.6%; with the veto below 0.1 too,
    99.0% / 0.4% (dev10: 153 caught, 8 false -> 152, 5). Again with batch 12 (2,314 claims,
    2,267 non-claims): rules 98.2% / 0.7%; model at 0.8, 98.8% / 0.8%; at 0.9, 98.6% / 0.7%;
    veto below 0.1 too, 98.7% / 0.5%."""
    totals: dict[str, list[int]] = {}
    for name in claims_eval.DEVS:
        files = [f for f in claims_eval.DEVS if f != name]
        training = [s for f in files for s in claims_eval.load_file(f)]
        scored = claims_eval.load_file(name)
        union, model, kinds = train(training, chars)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.json.gz"
            write(exported(union, model, kinds, files, training, 1.01), path)
            claim_model.use(path)
            rows = [("rules", claims_eval.flagged(scored))]
            for threshold in THRESHOLDS:
                claim_model.use(path, threshold)
                rows.append((f"rules + model >= {threshold}", claims_eval.flagged(scored)))
            for veto in VETOES:
                claim_model.use(path, THRESHOLD, veto)
                rows.append((f"  ... >= {THRESHOLD}, veto < {veto}",
                             claims_eval.flagged(scored)))
        line = []
        for label, results in rows:
            total = claims_eval.score(scored, results)
            sums = totals.setdefault(label, [0, 0, 0, 0])
            for i, value in enumerate((total.caught, total.claims, total.flagged,
                                       total.others)):
                sums[i] += value
            line.append(f"{total.caught}/{total.flagged}")
        print(f"{name:6s} " + " ".join(line), flush=True)
    claim_model.use(None)
    for label, (caught, claims, flagged, others) in totals.items():
        print(f"  {label:34s} recall {caught / claims:6.1%} ({caught}/{claims}), "
              f"false positives {flagged / others:5.1%} ({flagged}/{others})")


def show(label: str, scored, results) -> None:
    total = claims_eval.score(scored, results)
    print(f"  {label:34s} recall {total.recall:6.1%} ({total.caught}/{total.claims}), "
          f"false positives {total.false_positive_rate:5.1%} ({total.flagged}/{total.others})")


def ship(chars: bool) -> None:
    files = list(claims_eval.DEVS)
    sentences = [s for f in files for s in claims_eval.load_file(f)]
    union, model, kinds = train(sentences, chars)
    write(exported(union, model, kinds, files, sentences, THRESHOLD, VETO), OUT)
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes, {len(sentences)} sentences")
    # The oracle: an evenly spread sample of development sentences, scikit-learn's answers.
    step = max(1, len(sentences) // ORACLE_SIZE)
    sample = [s.text for s in sentences[::step]][:ORACLE_SIZE]
    chances = model.predict_proba(union.transform(sample))[:, 1]
    named = kinds.predict(union.transformer_list[0][1].transform(sample))
    rows = [{"text": text, "probability": round(float(p), 12), "kind": str(k)}
            for text, p, k in zip(sample, chances, named, strict=True)]
    ORACLE.write_text(json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    claim_model.use(OUT)
    worst = max(abs(claim_model.model().probability(r["text"]) - r["probability"])
                for r in rows)
    print(f"{ORACLE.relative_to(ROOT)}: {len(rows)} sentences; largest difference {worst:.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", help="a development batch to hold out and score (10)")
    parser.add_argument("--cross", action="store_true",
                        help="hold out each development batch in turn; sum the model's part")
    parser.add_argument("--chars", action="store_true",
                        help="add character 3-5 grams (slower to read; not shipped)")
    args = parser.parse_args()
    chars = args.chars or CHARS
    if args.cross:
        cross(chars)
    elif args.held_out:
        held_out(args.held_out, chars)
    else:
        ship(chars)


if __name__ == "__main__":
    main()
