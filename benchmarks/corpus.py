"""Deterministic benchmark corpus: N articles of about 800 words, like real wellness posts.

Each article has front matter (title, date, author, summary, tags, image), headings,
a bulleted and a numbered list, links, emphasis, an image and the standard disclaimer.

Usage: python benchmarks/corpus.py OUT_DIR [--count N] [--seed S] [--rich]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import random
import re
import shutil
import sysconfig
from collections import Counter
from itertools import accumulate
from pathlib import Path

from pipeline.config import STANDARD_DISCLAIMER

TOPICS = ["neck pain", "lower back pain", "sleep", "massage", "stretching", "posture",
          "walking", "breathing", "stress", "recovery", "hydration", "desk work"]
# One string, split once: easier to read and extend than a list of 65 quoted words.
VOCABULARY = (
    "muscle tension often eases when people move gently through the day and notice how "
    "their body responds to small changes in routine such as short walks regular breaks "
    "warm showers and slow breathing which may help some readers feel calmer and sleep "
    "better over several weeks although results differ from person to person and a "
    "physiotherapist or doctor can help decide what suits each situation")
WORDS = VOCABULARY.split()
# A 1x1 PNG: the corpus has real image files to copy, without a large checkout.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


class Vocabulary:
    """Words to draw from: the 65 above (default), or a large one with Zipf's law weights."""

    def __init__(self, words: list[str], cumulative: list[float] | None = None) -> None:
        self.words, self.cumulative = words, cumulative

    def draw(self, rng: random.Random, count: int) -> list[str]:
        if self.cumulative is None:
            return [rng.choice(self.words) for _ in range(count)]
        return rng.choices(self.words, cum_weights=self.cumulative, k=count)

    @classmethod
    def rich(cls, size: int = 30_000) -> Vocabulary:
        """The most frequent words of Python's own standard-library comments and docstrings:
        an archive's worth of distinct words (real articles bring thousands of new ones, and
        per-word work such as counting syllables shows only then)."""
        counts: Counter[str] = Counter()
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        for path in sorted(stdlib.rglob("*.py")):
            text = path.read_text(encoding="utf-8", errors="ignore")
            counts.update(re.findall(r"(?<![\w.])[a-z]{3,14}(?![\w.(])", text))
        words = [word for word, _count in counts.most_common(size)]
        return cls(words, list(accumulate(1 / rank for rank in range(1, len(words) + 1))))


VOCABULARY_DEFAULT = Vocabulary(WORDS)


def sentence(rng: random.Random, vocabulary: Vocabulary = VOCABULARY_DEFAULT) -> str:
    from pipeline.checks.claim_reader import reader

    while True:
        words = vocabulary.draw(rng, rng.randint(9, 17))
        # No word twice in a row: the corpus passes check, and repeated-word would flag it.
        words = [word for i, word in enumerate(words) if not i or word != words[i - 1]]
        text = " ".join(words).capitalize() + "."
        # Random words now and then form a claim ("calmer in a day"): the build would stop.
        if not reader().read(text).claims:
            return text


def article(index: int, rng: random.Random,
            vocabulary: Vocabulary = VOCABULARY_DEFAULT) -> str:
    def paragraph(rng: random.Random, sentences: int = 5) -> str:
        return " ".join(sentence(rng, vocabulary) for _ in range(sentences))

    topic = rng.choice(TOPICS)
    tags = sorted({topic.replace(" ", "-"), rng.choice(TOPICS).replace(" ", "-")})
    date = dt.date(2016, 1, 4) + dt.timedelta(days=index * 3 % 3650)
    parts = [
        "---",
        f"title: Notes on {topic}, part {index}",
        f"date: {date.isoformat()}",
        f"author: Writer {index % 7}",
        f"summary: {sentence(rng, vocabulary)}",
        f"tags: [{', '.join(tags)}]",
        f"image: images/pic-{index % 10}.png",
        f"image_alt: Illustration for notes on {topic}",
        "---",
        "",
        paragraph(rng),
        "",
        "## What may help",
        "",
        paragraph(rng),
        "",
        *[f"- {sentence(rng, vocabulary)}" for _ in range(4)],
        "",
        paragraph(rng),
        "",
        "## What the research says",
        "",
        f"{paragraph(rng)} The [NHS guide to {topic}](https://www.nhs.uk/conditions/) "
        "explains more.",
        "",
        paragraph(rng),
        "",
        f"![A calm scene for {topic}](images/pic-{index % 10}.png)",
        "",
        "## A simple routine to try",
        "",
        paragraph(rng, 3),
        "",
        *[f"{step}. {sentence(rng, vocabulary)}" for step in range(1, 4)],
        "",
        f"{paragraph(rng)} *Go slowly*, and read the [guide to {topic} and exercise]"
        f"(https://www.csp.org.uk/conditions/{topic.replace(' ', '-')}) before you change "
        "your routine.",
        "",
        "## When to get advice",
        "",
        paragraph(rng),
        "",
        paragraph(rng),
        "",
        paragraph(rng, 3),
        "",
        f"**Disclaimer:** {STANDARD_DISCLAIMER}",
        "",
    ]
    return "\n".join(parts)


def generate(out: Path, count: int = 1000, seed: int = 1,
             vocabulary: Vocabulary = VOCABULARY_DEFAULT) -> Path:
    if out.exists():
        shutil.rmtree(out)
    (out / "images").mkdir(parents=True)
    for index in range(10):
        (out / "images" / f"pic-{index}.png").write_bytes(PIXEL)
    rng = random.Random(seed)
    for index in range(count):
        (out / f"notes-{index:05d}.md").write_text(article(index, rng, vocabulary),
                                                   encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rich", action="store_true",
                        help="draw from 30,000 words (Zipf weights) instead of 65")
    args = parser.parse_args()
    generate(args.out, args.count, args.seed,
             Vocabulary.rich() if args.rich else VOCABULARY_DEFAULT)
    print(f"wrote {args.count} articles to {args.out}")


if __name__ == "__main__":
    main()
