#!/usr/bin/env python3
"""Would a small statistical model, beside the rules, catch more claims on unseen writing?

An experiment, not part of the product: it needs scikit-learn, which the project does not
depend on. It trains a TF-IDF logistic regression (word 1-2 grams and character 3-5 grams)
on development sentences only, and scores the rules alone, the model alone, and "the rules
or the model above a threshold" on a batch whose writers neither the rules nor the model
have seen: every development set but the held-out batch's is used for training, and the
held-out batch's two halves (its dev and test files) are scored together.

    python3.11 -m venv /tmp/model-venv
    /tmp/model-venv/bin/pip install -c constraints.txt -e . scikit-learn==1.9.1
    /tmp/model-venv/bin/python benchmarks/claims/model_experiment.py [--held-out 10]

Batch 10 was written while the rules were tuned on batch 9, and nothing was tuned on it
before this was measured, so it is the one batch unseen by both. Earlier batches' dev
halves were tuned on by the rules, so holding them out flatters the rules, not the model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import claims_eval  # benchmarks/claims_eval.py, beside this folder

THRESHOLDS = (0.6, 0.7, 0.8, 0.9)


def _file(name: str) -> list[claims_eval.Sentence]:
    """One file's sentences ("dev" as a split name means every development file)."""
    return claims_eval.load_file(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--held-out", default="10", help="batch number held out (default 10)")
    batch = parser.parse_args().held_out
    held = {f"dev{batch}", f"test{batch}"} if batch != "1" else {"dev", "test"}
    train = [s for name in claims_eval.DEVS if name not in held for s in _file(name)]
    scored = [s for name in sorted(held) for s in _file(name)]
    vectorizer = make_union(
        TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, sublinear_tf=True))
    model = LogisticRegression(C=4, max_iter=3000, class_weight="balanced").fit(
        vectorizer.fit_transform([s.text for s in train]), [s.claim for s in train])
    chances = model.predict_proba(vectorizer.transform([s.text for s in scored]))[:, 1]
    rules = [bool(messages) for messages in claims_eval.flagged(scored)]
    print(f"trained on {len(train)} development sentences; scored batch {batch} "
          f"({len(scored)} sentences, {sorted(held)})")
    rows = [("rules", rules), ("model >= 0.5", [c >= 0.5 for c in chances])]
    rows += [(f"rules or model >= {t}", [r or c >= t for r, c in zip(rules, chances, strict=True)])
             for t in THRESHOLDS]
    for name, flags in rows:
        score = claims_eval.score(scored, [["flagged"] if f else [] for f in flags])
        print(f"  {name:22s} recall {score.recall:6.1%} ({score.caught}/{score.claims}), "
              f"false positives {score.false_positive_rate:5.1%} "
              f"({score.flagged}/{score.others})")


if __name__ == "__main__":
    main()
