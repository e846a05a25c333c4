#!/usr/bin/env python3
"""Split the blind-written claim sentences once into a development and a test set.

Run once (2026-12-06) on the six writers' files; kept for the record, not to be re-run on
new data: a new batch of sentences gets its own split, so the test set never changes under
a tuned rule. Each writer's claims and non-claims are shuffled with a fixed seed and 55% go
to dev, 45% to test, so both sets hold every voice in the same proportions.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(source: Path) -> None:
    rows = []
    for path in sorted(source.glob("writer-*.jsonl")):
        writer = path.stem.removeprefix("writer-")
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({"text": row["text"].strip(), "label": row["label"],
                             "kind": row.get("kind"), "voice": row.get("voice"),
                             "writer": writer})
    rng = random.Random(20261206)
    dev, test = [], []
    for writer in sorted({r["writer"] for r in rows}):
        for label in ("claim", "not", "unsure"):
            group = [r for r in rows if r["writer"] == writer and r["label"] == label]
            rng.shuffle(group)
            cut = round(len(group) * 0.55)
            dev += group[:cut]
            test += group[cut:]
    for name, items in (("dev", dev), ("test", test)):
        with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for row in items:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(items)} sentences")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/work/blind"))
