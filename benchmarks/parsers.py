#!/usr/bin/env python3
"""Should a Rust-backed CommonMark parser replace markdown-it-py? Measured, not guessed.

Candidates: markdown-it-py as the pipeline configures it (pipeline/markup.py: CommonMark,
``html: True``, tables, ``maxNesting`` 40), markdown-it-pyrs (markdown-it.rs) and pyromark
(pulldown-cmark). The two Rust ones are not dependencies of the project: install them beside
it in a scratch environment to run this (a missing one is skipped)::

    python3.11 -m venv /tmp/parsers-venv
    /tmp/parsers-venv/bin/pip install -c constraints.txt -e . markdown-it-pyrs pyromark
    PYTHONPATH=. /tmp/parsers-venv/bin/python benchmarks/parsers.py [--share] [--spec FILE]

It prints, in one process:

* speed: per corpus and parser, the best of ``--repeat`` runs of parse only (tokens, a tree
  or events, with source positions where the parser has them), parse + render to HTML, and
  parse + render + the pipeline's nh3 sanitising (``markup.sanitize``, the same for all);
* HTML: how many documents render differently from markdown-it-py, raw and once sanitised
  (what the pipeline publishes), with a few diffs;
* positions: of the inline text pieces each parser gives, how many carry a source range whose
  text is exactly the piece (so a phrase's file line and column follow from the range);
* ``--share``: what share of a serial ``check_paths(..., jobs=1)`` and of a serial
  ``build(..., jobs=1)`` on the generated corpus is spent in markdown-it-py, timed by
  wrapping the pipeline.markup entry points (no profiler) and by cProfile;
* ``--spec FILE``: the CommonMark spec examples (a ``spec.json`` of the spec, 0.31.2), each
  parser's HTML against the spec's and against markdown-it-py's.

Corpora: ``--count`` articles from benchmarks/corpus.py (front matter stripped as the
pipeline strips it), and the golden publication's articles (tests/fixtures/golden/articles,
not made by our generator) repeated to about ``--golden-bytes``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import difflib
import gc
import json
import os
import pstats
import re
import shutil
import sys
import tempfile
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.corpus import generate  # noqa: E402
from pipeline import markup  # noqa: E402

GOLDEN = REPO / "tests" / "fixtures" / "golden" / "articles"


# --- corpora ------------------------------------------------------------------------------

def body_of(text: str) -> str:
    """The Markdown body as pipeline.articles gives it to the parser: the lines after the
    closing '---' of the front matter, joined with '\\n'."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() == "---":
                return "\n".join(lines[index + 1:])
    return text


def bodies(folder: Path) -> list[str]:
    return [body_of(path.read_text(encoding="utf-8"))
            for path in sorted(folder.rglob("*.md"))]


def repeated(docs: list[str], size: int) -> list[str]:
    total = sum(len(doc.encode()) for doc in docs)
    return docs * max(1, -(-size // total))


# --- candidates -------------------------------------------------------------------------

@dataclass
class Candidate:
    name: str
    parse: Callable[[str], object]  # what the pipeline would walk (with positions, if any)
    render: Callable[[str], str]  # parse + render to HTML, as one would call it
    texts: Callable[[str], Iterator[tuple[str, tuple[int, int] | None]]]  # text, byte range
    note: str = ""


def markdown_it_py() -> Candidate:
    def texts(source: str) -> Iterator[tuple[str, tuple[int, int] | None]]:
        for token in markup.parse(source):
            for child in token.children or []:
                if child.type == "text":
                    yield child.content, None  # no map on inline tokens

    return Candidate("markdown-it-py 4.3 (pipeline config)", markup.parse,
                     lambda source: markup.render(markup.parse(source)), texts,
                     "parse = markup.parse (block + inline tokens)")


def markdown_it_pyrs() -> Candidate | None:
    try:
        import markdown_it_pyrs
    except ImportError:
        return None
    # The commonmark preset parses raw HTML (no option to turn that off or on) and renders
    # XHTML-style like markdown-it-py's commonmark preset (``<br />``); no maxNesting option.
    md = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")

    def texts(source: str) -> Iterator[tuple[str, tuple[int, int] | None]]:
        for node in md.tree(source).walk():
            if node.name == "text":
                yield node.meta.get("content", ""), node.srcmap

    return Candidate(f"markdown-it-pyrs {markdown_it_pyrs.__version__}", md.tree, md.render,
                     texts, "parse = MarkdownIt.tree (nodes with byte srcmap)")


def pyromark_() -> Candidate | None:
    try:
        import pyromark
    except ImportError:
        return None
    md = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES)

    def texts(source: str) -> Iterator[tuple[str, tuple[int, int] | None]]:
        for event, span in md.events_with_range(source):
            if isinstance(event, dict) and "Text" in event:
                yield event["Text"], (span["start"], span["end"])

    return Candidate(f"pyromark {pyromark.__version__}",
                     lambda source: tuple(md.events_with_range(source)), md.html, texts,
                     "parse = events_with_range (events with byte ranges)")


def pyromark_blocks() -> Callable[[str], list] | None:
    """What a switch would run instead of ``markup.parse_blocks`` + ``markup.blocks``: one
    pass over pyromark's events into blocks (kind, first and last body line, level) with
    their text pieces and each piece's byte offset. A sketch to time the Python side of an
    adapter, not a drop-in: it does not rebuild ``token.content`` (prose.py's input)."""
    try:
        import pyromark
    except ImportError:
        return None
    md = pyromark.Markdown(options=pyromark.Options.ENABLE_TABLES)
    kinds = {"Paragraph": "paragraph", "Heading": "heading", "TableCell": "cell",
             "HtmlBlock": "html"}
    containers = {*kinds, "Item", "List", "BlockQuote", "CodeBlock", "Table", "TableHead",
                  "TableRow", "FootnoteDefinition", "DefinitionList"}

    def walk(source: str) -> list:
        data = source.encode()
        newlines = [match.start() for match in re.finditer(b"\n", data)]
        found: list = []
        current: list | None = None  # kind, depth, [(text, start, end)]

        def flush() -> None:
            if current and current[2]:
                pieces = current[2]
                found.append((current[0], bisect_right(newlines, pieces[0][1]) + 1,
                              bisect_left(newlines, pieces[-1][2] - 1) + 1, current[1],
                              [(text, at) for text, at, _end in pieces]))

        depth = 0
        for event, span in md.events_with_range(source):
            if type(event) is not dict:
                continue
            if "Start" in event:
                depth += 1
                tag = event["Start"]
                name = tag if type(tag) is str else next(iter(tag))
                if name not in containers:
                    continue  # inline: emphasis, link, image...
                # A tight list item has no Paragraph event (markdown-it has a hidden one).
                flush()
                current = [kinds.get(name, "paragraph"), depth, []] if (
                    name in kinds or name == "Item") else None
            elif "End" in event:
                depth -= 1
                tag = event["End"]
                name = tag if type(tag) is str else next(iter(tag))
                if name in containers:
                    flush()
                    current = None
            elif current is not None:
                text = event.get("Text") or event.get("Html") or event.get("InlineHtml")
                if text is not None:
                    current[2].append((text, span["start"], span["end"]))
        return found

    return walk


def candidates() -> list[Candidate]:
    found = [markdown_it_py(), markdown_it_pyrs(), pyromark_()]
    return [candidate for candidate in found if candidate is not None]


# --- speed ------------------------------------------------------------------------------

def one_pass(docs: list[str], work: Callable[[str], object]) -> float:
    gc.collect()
    started = time.perf_counter()
    for doc in docs:
        work(doc)
    return time.perf_counter() - started


def best_of(repeat: int, docs: list[str], jobs: dict[str, Callable[[str], object]]
            ) -> dict[str, float]:
    """The best time of each job over ``repeat`` rounds, the jobs taking turns within each
    round, so that a burst of load from elsewhere on the machine hits them alike."""
    best = {name: float("inf") for name in jobs}
    for _ in range(repeat):
        for name, work in jobs.items():
            best[name] = min(best[name], one_pass(docs, work))
    return best


def speed(corpus: str, docs: list[str], found: list[Candidate], repeat: int) -> None:
    megabytes = sum(len(doc.encode()) for doc in docs) / 1e6
    print(f"\n### Speed: {corpus} ({len(docs):,} documents, {megabytes:.2f} MB), "
          f"best of {repeat}, load average before {os.getloadavg()[0]:.2f}\n")
    jobs: dict[str, Callable[[str], object]] = {"blocks": markup.parse_blocks}
    for candidate in found:
        jobs[f"{candidate.name} parse"] = candidate.parse
        jobs[f"{candidate.name} render"] = candidate.render
        jobs[f"{candidate.name} clean"] = (
            lambda doc, render=candidate.render: markup.sanitize(render(doc)))
    walk = pyromark_blocks()
    if walk is not None:
        jobs["walk"] = walk
    best = best_of(repeat, docs, jobs)
    print("| parser | parse | parse + render | + nh3 sanitize | parse speed-up | "
          "render speed-up |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    base: tuple[float, float] | None = None
    for candidate in found:
        parse, render, clean = (best[f"{candidate.name} {stage}"]
                                for stage in ("parse", "render", "clean"))
        base = base or (parse, render)
        print(f"| {candidate.name} | {parse:.3f} s | {render:.3f} s | {clean:.3f} s | "
              f"{base[0] / parse:.1f}x | {base[1] / render:.1f}x |")
    blocks = best["blocks"]
    print(f"| markdown-it-py, block tokens only (``markup.parse_blocks``, what ``check`` "
          f"runs) | {blocks:.3f} s | | | | |")
    if walk is not None:
        walked = best["walk"]
        print(f"| pyromark events_with_range + a Python walk into blocks with line ranges "
              f"and text pieces (an adapter's cost) | {walked:.3f} s | | | "
              f"{blocks / walked:.1f}x vs parse_blocks | |")
    print("\n" + "; ".join(f"{c.name}: {c.note}" for c in found))


# --- HTML -------------------------------------------------------------------------------

def show_diff(old: str, new: str, lines: int = 14) -> str:
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), "markdown-it-py",
                                     "candidate", n=0, lineterm=""))[2:]
    more = f"\n    ... {len(diff) - lines} more lines" if len(diff) > lines else ""
    return "\n".join("    " + line for line in diff[:lines]) + more


_BETWEEN_TAGS = re.compile(r">\s+<")


def layout_only(old: str, new: str) -> bool:
    """The two differ only in whitespace between tags, and in ``style`` spacing (pyromark
    writes ``text-align: center``): what a browser shows is the same."""
    def squeeze(html: str) -> str:
        return _BETWEEN_TAGS.sub("><", html).replace(": ", ":").strip()
    return squeeze(old) == squeeze(new)


def same_html(corpus: str, docs: list[str], found: list[Candidate], show: int) -> None:
    unique = list(dict.fromkeys(docs))
    print(f"\n### HTML against markdown-it-py: {corpus} ({len(unique)} distinct documents)\n")
    reference = [markup.render(markup.parse(doc)) for doc in unique]
    clean_reference = [markup.sanitize(html) for html in reference]
    for candidate in found[1:]:
        raw = [candidate.render(doc) for doc in unique]
        raw_differ = sum(a != b for a, b in zip(reference, raw, strict=True))
        clean = [markup.sanitize(html) for html in raw]
        differ = [i for i, (a, b) in enumerate(zip(clean_reference, clean, strict=True))
                  if a != b]
        layout = sum(layout_only(clean_reference[i], clean[i]) for i in differ)
        print(f"- {candidate.name}: raw HTML differs in {raw_differ} of {len(unique)}; "
              f"after markup.sanitize in {len(differ)} of {len(unique)} ({layout} of them "
              "only in whitespace between tags)")
        for index in differ[:show]:
            print(f"  document {index}:\n{show_diff(clean_reference[index], clean[index])}")


def spec(path: Path, found: list[Candidate], show: int) -> None:
    examples = json.loads(path.read_text(encoding="utf-8"))
    print(f"\n### CommonMark spec examples ({len(examples)}, {path.name})\n")
    print("| parser | = spec HTML | = markdown-it-py raw | = markdown-it-py sanitized |")
    print("| --- | ---: | ---: | ---: |")
    reference = [markup.render(markup.parse(ex["markdown"])) for ex in examples]
    clean_reference = [markup.sanitize(html) for html in reference]
    differing: dict[str, list[tuple[dict, str, str]]] = {}
    for candidate in found:
        html = [candidate.render(ex["markdown"]) for ex in examples]
        clean = [markup.sanitize(h) for h in html]
        passed = sum(h == ex["html"] for h, ex in zip(html, examples, strict=True))
        raw_same = sum(a == b for a, b in zip(reference, html, strict=True))
        clean_same = sum(a == b for a, b in zip(clean_reference, clean, strict=True))
        print(f"| {candidate.name} | {passed} | {raw_same} | {clean_same} |")
        differing[candidate.name] = [(ex, a, b) for ex, a, b in
                                     zip(examples, clean_reference, clean, strict=True)
                                     if a != b and not layout_only(a, b)]
    for name, rows in list(differing.items())[1:]:
        sections: dict[str, int] = {}
        for ex, _a, _b in rows:
            sections[ex["section"]] = sections.get(ex["section"], 0) + 1
        by_section = ", ".join(f"{section} {count}" for section, count in
                               sorted(sections.items(), key=lambda item: -item[1]))
        print(f"\n{name}: sanitized HTML differs from markdown-it-py's, beyond whitespace "
              f"between tags, in {len(rows)} examples, by section: {by_section or '-'}")
        for ex, a, b in rows[:3 * show]:
            print(f"  example {ex['example']} ({ex['section']}): {ex['markdown']!r}\n"
                  f"{show_diff(a, b, 8)}")


# --- positions ---------------------------------------------------------------------------

def line_column(source: bytes, starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    index = bisect_right(starts, offset) - 1
    return index + 1, len(source[starts[index]:offset].decode("utf-8", "replace")) + 1


def positions(corpus: str, docs: list[str], found: list[Candidate]) -> None:
    unique = list(dict.fromkeys(docs))
    print(f"\n### Inline text positions: {corpus} ({len(unique)} distinct documents)\n")
    print("| parser | text pieces | with a range | range text == piece | entity or escape "
          "(range = the reference) | other | example |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for candidate in found:
        total = ranged = exact = reference = 0
        others: list[str] = []
        example = ""
        for doc in unique:
            source = doc.encode()
            starts = [0] + [i + 1 for i, byte in enumerate(source) if byte == 10]
            for text, span in candidate.texts(doc):
                total += 1
                if span is None:
                    continue
                ranged += 1
                spanned = source[span[0]:span[1]].decode("utf-8", "replace")
                if spanned != text:
                    if spanned[:1] in ("&", "\\") and len(text) == 1:
                        reference += 1
                    else:
                        others.append(f"{text!r} <- {spanned!r}")
                    continue
                if spanned == text:
                    exact += 1
                    if not example and len(text) > 12 and "é" not in text and span[0] > 200:
                        line, column = line_column(source, starts, span[0])
                        example = f"{text[:20]!r} at body line {line}, column {column}"
        share = f"{100 * exact / ranged:.2f}%" if ranged else "-"
        print(f"| {candidate.name} | {total:,} | {ranged:,} | {exact:,} ({share}) | "
              f"{reference:,} | {len(others):,} | {example} |")
        if others:
            print(f"|   {candidate.name}, other: {'; '.join(others[:4])} | | | | | | |")


# --- share of check and build -------------------------------------------------------------

MARKUP_ENTRY_POINTS = ("parse", "parse_blocks", "parse_inline", "inline_children", "render")


class Wrapped:
    """Time spent inside pipeline.markup's markdown-it entry points (outermost calls only),
    and in ``markup.sanitize`` (nh3), by wrapping them: no profiler overhead."""

    def __init__(self) -> None:
        self.seconds = {name: 0.0 for name in (*MARKUP_ENTRY_POINTS, "sanitize")}
        self.depth = 0
        self.saved: dict[str, Callable] = {}

    def __enter__(self) -> Wrapped:
        for name in self.seconds:
            original = getattr(markup, name)
            self.saved[name] = original
            setattr(markup, name, self.wrap(name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self.saved.items():
            setattr(markup, name, original)

    def wrap(self, name: str, original: Callable) -> Callable:
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            if self.depth:
                return original(*args, **kwargs)
            self.depth += 1
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started
                self.depth -= 1
        return timed

    @property
    def markdown_it(self) -> float:
        return sum(self.seconds[name] for name in MARKUP_ENTRY_POINTS)


def profiled_share(stats: pstats.Stats, package: str) -> float:
    """Seconds (cumulative) spent in ``package``'s functions when called from outside it."""
    total = 0.0
    for func, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if package not in func[0]:
            continue
        for caller, edge in callers.items():
            if package not in caller[0]:
                total += edge[3]
    return total


def share(folder: Path, scratch: Path) -> None:
    from pipeline.build import build
    from pipeline.checks.runner import check_paths
    from pipeline.config import Config

    config = Config()
    output = scratch / "output"

    def run_check() -> None:
        check_paths([folder], config, jobs=1)

    def run_build() -> None:
        shutil.rmtree(output, ignore_errors=True)
        build(folder, output, config, jobs=1, use_cache=False, today=dt.date(2030, 1, 1))

    run_check()  # warm: imports, rule loading, regex compilation
    print("\n### Share of markdown-it-py in serial check and build (generated corpus)\n")
    print("| run | wall | in markdown-it-py (wrapped entry points) | nh3 sanitize | "
          "cProfile: wall | cProfile: in markdown_it | cProfile: in checks.prose "
          "scanning |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    sep = os.sep
    for name, run in (("check_paths(jobs=1)", run_check), ("build(jobs=1, no cache)", run_build)):
        gc.collect()
        with Wrapped() as wrapped:
            started = time.perf_counter()
            run()
            wall = time.perf_counter() - started
        profile = cProfile.Profile()
        gc.collect()
        started = time.perf_counter()
        profile.enable()
        run()
        profile.disable()
        profiled_wall = time.perf_counter() - started
        stats = pstats.Stats(profile)
        in_markdown_it = profiled_share(stats, f"{sep}markdown_it{sep}")
        in_prose = profiled_share(stats, f"checks{sep}prose.py")
        print(f"| {name} | {wall:.2f} s | {wrapped.markdown_it:.2f} s "
              f"({100 * wrapped.markdown_it / wall:.0f}%) | {wrapped.seconds['sanitize']:.2f} s"
              f" ({100 * wrapped.seconds['sanitize'] / wall:.0f}%) | {profiled_wall:.2f} s | "
              f"{in_markdown_it:.2f} s ({100 * in_markdown_it / profiled_wall:.0f}%) | "
              f"{in_prose:.2f} s ({100 * in_prose / profiled_wall:.0f}%) |")
        detail = ", ".join(f"{key} {value:.2f} s" for key, value in wrapped.seconds.items()
                           if value)
        print(f"|   ({name}: {detail}) | | | | | | |")


# --- main ---------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--golden-bytes", type=int, default=1_000_000)
    parser.add_argument("--show", type=int, default=3, help="diffs shown per parser and corpus")
    parser.add_argument("--spec", type=Path, help="CommonMark spec.json to compare on")
    parser.add_argument("--share", action="store_true",
                        help="also measure markdown-it-py's share of check and build")
    parser.add_argument("--no-speed", action="store_true", help="skip the timing loops")
    args = parser.parse_args()

    found = candidates()
    scratch = Path(tempfile.mkdtemp(prefix="parsers-bench-"))
    try:
        folder = generate(scratch / "articles", args.count, args.seed)
        generated = bodies(folder)
        golden = bodies(GOLDEN)
        golden_big = repeated(golden, args.golden_bytes)
        print(f"Python {sys.version.split()[0]}; {len(os.sched_getaffinity(0))} cores, "
              f"load average {os.getloadavg()[0]:.2f}; parsers: "
              + ", ".join(c.name for c in found))
        corpora = [(f"benchmarks/corpus.py, {args.count} articles", generated),
                   (f"golden publication ({len(golden)} articles) repeated", golden_big)]
        if not args.no_speed:
            for name, docs in corpora:
                speed(name, docs, found, args.repeat)
        for name, docs in corpora:
            same_html(name, docs, found, args.show)
        for name, docs in corpora:
            positions(name, docs, found)
        if args.spec:
            spec(args.spec, found, args.show)
            examples = json.loads(args.spec.read_text(encoding="utf-8"))
            positions("CommonMark spec examples", [ex["markdown"] for ex in examples], found)
        if args.share:
            share(folder, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
