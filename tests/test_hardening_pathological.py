"""Issue 16, hostile input: articles built to make a parser or scanner quadratic (unclosed link
destinations, bracket, backtick and emphasis runs, unclosed HTML, 1 MB lines) each go through
`pipeline check` in a child process that must finish within a deadline.

The deadline guards against hangs, not speed: each input takes well under a second here, and
took from 6.6 s (16 KB of '[a](') to forever (a 1 MB word) before issue 16. They come from
``benchmarks/hostile.py``, which prints the times (``--repeats 4000,16000``).
"""

from __future__ import annotations

import json
import multiprocessing
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.hostile import HOSTILE, ONE_MEGABYTE_LINES, article
from pipeline import markup
from pipeline.checks.link_rules import _Ranges
from pipeline.checks.prose import scan_block
from pipeline.cli import cli

DEADLINE = 20.0  # seconds; on a slow CI host the slowest input takes about 2 s
REPEATS = 16_000  # enough that a quadratic path needs minutes, as the old scanner did

INPUTS = {f"{name}-x{REPEATS}": make(REPEATS) for name, make in HOSTILE.items()}
INPUTS.update(ONE_MEGABYTE_LINES)


def _check_in_child(path: str, results: multiprocessing.connection.Connection) -> None:
    outcome = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", path])
    error = repr(outcome.exception) if outcome.exception and \
        not isinstance(outcome.exception, SystemExit) else None
    results.send((outcome.exit_code, outcome.stdout, error))


def check_within_deadline(path: Path) -> tuple[int, list[dict[str, object]]]:
    """``pipeline check --format json path`` in a forked child (it inherits the imported
    pipeline): its exit code and findings, or a failure if it is still running at the
    deadline (a hang in C code, such as a regex, cannot be interrupted in-process)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_check_in_child, args=(str(path), send))
    child.start()
    send.close()
    try:
        if not receive.poll(DEADLINE):
            pytest.fail(f"pipeline check of {path.name} still running after {DEADLINE:.0f} s")
        code, stdout, error = receive.recv()
    finally:
        child.kill()
        child.join()
    assert error is None, error
    return code, json.loads(stdout)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="fork")
@pytest.mark.parametrize("name", sorted(INPUTS))
def test_hostile_article_is_checked_before_the_deadline(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.md"
    path.write_text(article(INPUTS[name]), encoding="utf-8")
    assert path.stat().st_size < 5_000_000  # under the size limit: a real article could
    code, findings = check_within_deadline(path)
    assert code in (0, 1)
    assert all(finding["path"] == str(path) and finding["line"] >= 1 for finding in findings)


def test_a_finding_after_a_hostile_run_keeps_its_exact_place(tmp_path: Path) -> None:
    # The linear scans must not shift positions: a claim after 16,000 unclosed destinations
    # is still reported at its own line and column.
    body = "[a](" * REPEATS + "\n\nThis tea cures colds."
    path = tmp_path / "place.md"
    path.write_text(article(body), encoding="utf-8")
    _code, findings = check_within_deadline(path)
    claims = [(f["line"], f["column"]) for f in findings if f["rule"] == "medical-claim"]
    line = article(body).split("\n").index("This tea cures colds.") + 1
    assert claims == [(line, len("This tea ") + 1)]


def _markdown_it_hrefs(source: str) -> list[str]:
    tokens = markup.parse(source)
    return [child.attrGet("href") for token in tokens if token.type == "inline"
            for child in token.children or [] if child.type == "link_open"]


@pytest.mark.parametrize("depth", [1, 31, 32, 33, 40])
def test_nested_parentheses_in_a_destination_end_where_markdown_its_do(depth: int) -> None:
    # markdown-it gives up beyond 32 levels (CommonMark allows a limit); the scanner follows,
    # which is also what keeps it linear on '[a](' repeated.
    source = "[a](x" + "(" * depth + "y" + ")" * depth + ")"
    found = [_as_href(link.url) for link in scan_block("paragraph", source, {}).links]
    assert found == _markdown_it_hrefs(source)
    assert (found != []) == (depth <= 32)


@pytest.mark.parametrize("source", [
    "[a](<b c>) [d](<e\nf>) [g](<h<i>)",
    "[a](b) <!-- c --> [d](e) <!--> [f](g) <!---> [h](i) <!-- unclosed [j](k)",
    "x <?pi [a](b) ?> [c](d) <!DOCTYPE x> [e](f) <![CDATA[ [g](h) ]]> [i](j) <? [k](l)",
    "[a](https://x [b](y) [c]: no",
])
def test_looked_up_closers_find_what_a_search_would(source: str) -> None:
    # The scanner looks closing marks up in per-block lists instead of searching from each
    # opener; markdown-it, searching, is the oracle for which links exist.
    found = [_as_href(link.url) for link in sorted(scan_block("paragraph", source, {}).links,
                                                   key=lambda link: link.start)]
    assert found == _markdown_it_hrefs(source)


def _as_href(url: str) -> str:
    """A destination as markdown-it writes it into href (percent-encoded)."""
    return markup.parse(f"[x](<{url}>)")[1].children[0].attrGet("href")


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12)).map(
    lambda pair: (pair[0], pair[0] + pair[1])), max_size=8)


@settings(max_examples=400, deadline=None)
@given(spans, st.integers(0, 45), st.integers(0, 12))
def test_ranges_answer_as_asking_each_range_would(ranges: list[tuple[int, int]], start: int,
                                                  length: int) -> None:
    end = start + length
    found = _Ranges(ranges)
    assert found.holds(start) == any(s <= start < e for s, e in ranges)
    assert found.covers(start, end) == any(s <= start and end <= e for s, e in ranges)
    assert found.overlaps(start, end) == any(s < end and start < e for s, e in ranges)


def test_every_input_is_distinct_and_named_once() -> None:
    bodies = sorted(INPUTS.values(), key=len)
    assert all(a != b for a, b in pairwise(bodies))
