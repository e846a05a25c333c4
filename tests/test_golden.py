"""Issue 16, golden output: a small publication (tests/fixtures/golden/: fourteen articles with
tags, local and remote images, a draft, a scheduled post, Unicode names and text, a second
disclaimer and overridden templates) builds to exactly the files in its expected/ folder,
byte for byte, whether built serially or in parallel, cold or from the cache.

A change to any output is then a change to expected/, reviewed in the diff. To accept an
intended change, regenerate the folder and commit it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from pipeline import workers
from pipeline.build import BuildResult, build
from pipeline.config import load_config
from tests.helpers import FIXTURES

GOLDEN = FIXTURES / "golden"
EXPECTED = GOLDEN / "expected"
TODAY = dt.date(2026, 6, 1)  # the scheduled post (2026-07-15) is not yet due
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def build_golden(output: Path, *, jobs: int = 1, use_cache: bool = False) -> BuildResult:
    """``pipeline build`` as the CLI runs it from tests/fixtures/golden/ (its pipeline.toml
    and templates/), on a fixed day."""
    return build(GOLDEN / "articles", output, load_config(GOLDEN / "pipeline.toml",
                                                          required=True),
                 templates_dir=GOLDEN / "templates", today=TODAY, jobs=jobs,
                 use_cache=use_cache)


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    if UPDATE:
        fresh = tmp_path_factory.mktemp("golden") / "output"
        build_golden(fresh)
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(fresh, EXPECTED)
    if not EXPECTED.is_dir():
        pytest.fail(f"{EXPECTED} is missing: UPDATE_GOLDEN=1 .venv/bin/python -m pytest "
                    "tests/test_golden.py makes it")
    return files_of(EXPECTED)


def assert_same(output: Path, expected: dict[str, bytes]) -> None:
    """Every file, and only those, with the expected bytes; a readable diff when not."""
    actual = files_of(output)
    assert sorted(actual) == sorted(expected), "files written differ from expected/"
    differing = [name for name in expected if actual[name] != expected[name]]
    report = []
    for name in differing[:3]:
        try:
            old, new = expected[name].decode(), actual[name].decode()
        except UnicodeDecodeError:
            report.append(f"{name}: binary content differs")
            continue
        report += list(difflib.unified_diff(old.splitlines(), new.splitlines(),
                                            f"expected/{name}", f"built/{name}", n=1,
                                            lineterm=""))[:40]
    assert differing == [], "\n".join(report) + (
        "\nIf the change is intended: UPDATE_GOLDEN=1 .venv/bin/python -m pytest "
        "tests/test_golden.py, then review and commit expected/")


def test_serial_cold_build_is_the_golden_output(expected: dict[str, bytes],
                                                tmp_path: Path) -> None:
    result = build_golden(tmp_path / "output", jobs=1)
    assert not result.up_to_date
    assert_same(tmp_path / "output", expected)


def test_parallel_cold_build_is_the_golden_output(expected: dict[str, bytes], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Fourteen articles are below the size for worker processes: lower it so that two really
    # share the articles (forked; where fork is missing the build is serial anyway).
    monkeypatch.setattr(workers, "PER_WORKER", 1)
    shares: list[int] = []
    real_start = workers._Worker.start

    def counting_start(function, share):  # type: ignore[no-untyped-def]
        shares.append(len(share))
        return real_start(function, share)

    monkeypatch.setattr(workers._Worker, "start", staticmethod(counting_start))
    build_golden(tmp_path / "output", jobs=2)
    if "fork" in multiprocessing.get_all_start_methods():
        # One worker process checked half of the articles, then another rendered half of
        # their files; this one did the rest.
        assert len(shares) == 2 and all(shares), shares
    assert_same(tmp_path / "output", expected)


def test_cached_builds_are_the_golden_output(expected: dict[str, bytes], tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = build_golden(output, use_cache=True)  # cold: fills .pipeline-cache/ beside it
    assert not first.up_to_date
    assert_same(output, expected)
    again = build_golden(output, use_cache=True)  # nothing changed: nothing rewritten
    assert again.up_to_date
    assert_same(output, expected)
    shutil.rmtree(output)  # every file again, all of it from the cache's entries
    warm = build_golden(output, use_cache=True)
    assert not warm.up_to_date
    assert_same(output, expected)


def test_the_golden_output_shows_what_the_publication_was_built_to_show(
        expected: dict[str, bytes]) -> None:
    """The snapshot itself is right, checked against the fixture's design rather than trusted:
    golden tests otherwise only compare the pipeline with its own earlier output."""
    articles = GOLDEN / "articles"
    pages = {name for name in expected if name.startswith("site/") and name.endswith(
        "/index.html") and name.count("/") == 2 and not name.startswith(("site/tags/",
                                                                          "site/page/",
                                                                          "site/newsletter/"))}
    assert len(pages) == 12  # fourteen articles less the draft and the scheduled post
    # The newsletter's archive holds the one edition the build composed.
    assert "site/newsletter/1/index.html" in expected
    assert "site/trigger-points-draft/index.html" not in expected
    assert "site/massage-after-surgery/index.html" not in expected
    # File names with spaces, accents and dashes become slugs; their images go beside them.
    assert "site/shiatsu-gentle-pressure/index.html" in pages
    assert expected["site/etirements-doux-apres-l-effort/images/walk.webp"] == (
        articles / "2026" / "images" / "walk.webp").read_bytes()
    assert expected["site/remedial-massage-for-lower-back-pain/images/lower-back.png"] == (
        articles / "images" / "lower-back.png").read_bytes()
    # Remote images are linked, never copied.
    assert b"https://images.quiet-muscles.example.org/pacing-notebook.jpg" in expected[
        "site/pacing-with-persistent-pain/index.html"]
    # Unicode survives: a CJK tag gets a hashed name, the accented one a readable one.
    assert "指圧" in expected["site/shiatsu-gentle-pressure/index.html"].decode()
    assert "feeds/tags/bien-etre--2f719a52a0d0.xml" in expected
    # The overridden templates are the ones used.
    assert b"This page has stretched a little too far" in expected["site/404.html"]
    assert expected["social/pacing-with-persistent-pain.json"].decode().count(
        "Read it on Quiet Muscles: ") == 1
    # The second disclaimer reaches the massage articles, the standard one the others.
    massage = "Massage is not suitable for everyone."
    assert massage in expected["site/shiatsu-gentle-pressure/index.html"].decode()
    assert massage not in expected["site/sleep-and-pain/index.html"].decode()
    # Later pages exist for the index and for a tag with more articles than fit a page.
    assert {"site/page/4/index.html", "site/tags/massage/page/2/index.html"} <= set(expected)
