#!/usr/bin/env python3
"""How long does `pipeline check` take on hostile articles?

Each input is one article whose body repeats a pathological pattern (unclosed link
destinations, bracket, backtick and emphasis runs, a 1 MB line, ...); the time of
``check_paths`` on it (what ``pipeline check --no-cache`` runs, one process) is printed beside
markdown-it-py's parse of the same body, which is linear: a check far slower than the parse,
or a time that grows faster than the input, is a super-linear path.

Usage: .venv/bin/python benchmarks/hostile.py [--repeats 4000,16000] [--only NAME] [--profile]

``tests/test_hardening_pathological.py`` runs the same inputs (HOSTILE below) under a timeout.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.checks.runner import check_paths
from pipeline.config import STANDARD_DISCLAIMER, Config

# name -> body made of n repeats of a pattern (n is about the number of constructs)
HOSTILE: dict[str, Callable[[int], str]] = {
    "unclosed-destinations": lambda n: "[a](" * n,
    "unclosed-angle-destinations": lambda n: "[a](<" * n,
    "unclosed-url-destinations": lambda n: "[a](https://x " * n,
    "unclosed-titles": lambda n: '[a](b "' * n,
    "nested-parentheses": lambda n: "[a](" + "(" * n + "b",
    "open-brackets": lambda n: "[" * n,
    "bracket-pairs": lambda n: "[" * n + "a" + "]" * n,
    "nested-links": lambda n: "[" * n + "a" + "](b)" * n,
    "shortcut-references": lambda n: "[a] " * n + "\n\n[a]: https://example.com",
    "unclosed-references": lambda n: "[a][" * n,
    "images": lambda n: "![a](" * n,
    "backtick-runs": lambda n: "".join("`" * (i % 200 + 1) + "a" for i in range(n)),
    "backticks": lambda n: "`" * n,
    "emphasis-runs": lambda n: "*a" * n,
    "mixed-emphasis": lambda n: "*_a" * n,
    "strong-runs": lambda n: "**a" * n + "*" * n,
    "open-tags": lambda n: "<a " * n,
    "html-comments": lambda n: "<!--" * n,
    "html-comments-with-images": lambda n: "<!--<img src=a.png>" * n,
    "inline-comments": lambda n: "a <!--" * n,
    "processing-instructions": lambda n: "<?" * n,
    "declarations": lambda n: "<!X" * n,
    "cdata": lambda n: "<![CDATA[" * n,
    "script-blocks": lambda n: "<script>" * n,
    "html-block-tags": lambda n: "<div>" + "<img src=a " * n,
    "links-and-bare-urls": lambda n: "[a](https://x.org) https://y.org " * n,
    "nested-image-alt": lambda n: "![" + "[" * n + "a" + "]" * n + "](b.png)",
    "link-titles": lambda n: "[a](b (" * n,
    "entities": lambda n: "&" * n + "&amp" * n,
    "backslashes": lambda n: "\\" * n,
    "autolinks": lambda n: "<https://x" * n,
    "bare-urls": lambda n: "https://example.com/a " * n,
    "claim-words": lambda n: "cures " * n,
    # The claim reader on one long sentence of claims, or thousands of short ones: each
    # reading once looked across its whole sentence or paragraph (minutes at 16,000).
    "claims-in-one-sentence": lambda n: "it cures arthritis " * n,
    "claims-each-a-sentence": lambda n: "arthritis. it cures it " * n,
    "soft-claims-each-a-sentence": lambda n: "our balm eases arthritis. " * n,
    "quoted-claims": lambda n: "'cures arthritis' " * n,
    "advert-quotes": lambda n: 'the ads said: "it cures arthritis" and ' * n,
    # One quotation over thousands of sentences: each claim looks for where it opened.
    "one-long-quotation": lambda n: 'an advert says: "' + "it cures arthritis. " * n,
    "quoted-sentences": lambda n: 'an advert says: "it cures arthritis. it heals gout." ' * n,
    "rebutted-quotes": lambda n: '"it cures arthritis." no study shows it. ' * n,
    # A heading of quoted phrases, a run of quoted list items, scare quotes, and a claim
    # followed by thousands of trailing phrases, each with a soft hedge.
    "quoted-phrase-heading": lambda n: "## " + '"cures arthritis" and ' * n + '"heals gout"',
    "quoted-list-items": lambda n: "lines from adverts:\n\n" + '- "it cures arthritis."\n' * n,
    "scare-quoted-verbs": lambda n: "tea 'cures' arthritis " * n,
    "trailing-hedges": lambda n: "our balm cures arthritis" + ", with most people" * n,
    "framed-as": lambda n: "videos present " + "vinegar (acv) as " * n + "a fix for gout",
    "doubts-after": lambda n: "coaches say fasting reverses diabetes " * n + "; i'm not convinced",
    "condition-is-permanent": lambda n: "hearing loss is permanent " * n,
    "reversals": lambda n: "fasting reverses diabetes " * n,
    "head-nouns": lambda n: "thyroid problems and lyme disease " * n,
    "protection-phrases": lambda n: "never catch colds " * n,
    "topic-gerunds": lambda n: "preventing migraine " * n,
    "outcomes": lambda n: "my arthritis was gone " * n,
    "comparisons": lambda n: "better than ibuprofen " * n,
    "hedged-claims": lambda n: "may cure arthritis " * n,
    "reported-claims": lambda n: "some say it cures arthritis " * n,
    "proof-topics": lambda n: "what the doctors recommend " * n,
    "table-cells": lambda n: "|" + " a |" * n + "\n|" + "---|" * n + "\n|" + " b |" * n,
    # The thirteenth session's readings: a lead-in read with each list item, a story of
    # harm read into the next sentence, most cases running their course, a quoted question.
    "list-after-a-lead": lambda n: "it helps " * n + "with:\n\n" + "- arthritis\n" * n,
    "stories-of-harm": lambda n: "she stopped her tablets. within days it was worse. " * n,
    "most-cases": lambda n: "most colds clear up within a week " * n,
    "quoted-question-heading": lambda n: "## Q: '" + "can it cure gout? " * n + "'",
}
LINE_BYTES = 1_000_000
# One line of a megabyte each: prose without a break, and one unbroken word.
ONE_MEGABYTE_LINES: dict[str, str] = {
    "1mb-prose-line": ("Gentle massage can ease a stiff neck for some people. "
                       * (LINE_BYTES // 54 + 1))[:LINE_BYTES],
    "1mb-word": "a" * LINE_BYTES,
    "1mb-unclosed-destinations": ("[a](" * (LINE_BYTES // 4)),
}


def article(body: str) -> str:
    return (f"---\ntitle: Hostile input\ndate: 2026-03-02\nsummary: A test.\n---\n\n{body}\n\n"
            f"**Disclaimer:** {STANDARD_DISCLAIMER}\n")


def inputs(repeats: list[int]) -> list[tuple[str, str]]:
    found = [(f"{name} x{n:,}", make(n)) for n in repeats for name, make in HOSTILE.items()]
    return found + list(ONE_MEGABYTE_LINES.items())


def time_check(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = check_paths([path], Config())
    return time.perf_counter() - started, len(result.findings)


def time_parse(body: str) -> float:
    from pipeline.markup import parse

    started = time.perf_counter()
    parse(body)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", default="4000,16000")
    parser.add_argument("--only", help="inputs whose name contains this")
    parser.add_argument("--profile", action="store_true", help="print the top functions")
    args = parser.parse_args()
    repeats = [int(n) for n in args.repeats.split(",")]
    time_check(_write(Path(tempfile.mkdtemp()), article("Warm up.")))  # imports, rule tables
    print(f"{'input':<40} {'bytes':>10} {'check':>9} {'parse':>9} findings")
    with tempfile.TemporaryDirectory() as folder:
        for name, body in inputs(repeats):
            if args.only and args.only not in name:
                continue
            path = _write(Path(folder), article(body))
            profile = cProfile.Profile() if args.profile else None
            if profile:
                profile.enable()
            seconds, findings = time_check(path)
            if profile:
                profile.disable()
            print(f"{name:<40} {len(body):>10,} {seconds:>8.3f}s {time_parse(body):>8.3f}s "
                  f"{findings}", flush=True)
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(12)


def _write(folder: Path, text: str) -> Path:
    path = folder / "hostile.md"
    path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
