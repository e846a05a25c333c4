"""Issue 9: the cache and the worker processes are optimisations only. Cached, parallel and
serial builds give byte-identical outputs; a corrupt cache is rebuilt with a warning."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from benchmarks.corpus import generate
from pipeline.build import build, default_template_digests
from pipeline.cache import CACHE_DIR
from pipeline.config import CheckConfig, Config, SiteConfig
from pipeline.render import templates
from tests.helpers import tree_digest

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Enough articles for the build to use worker processes (100 per process).
    return generate(tmp_path_factory.mktemp("corpus") / "articles", count=240, seed=3)


def run(articles: Path, output: Path, **options: object):  # type: ignore[no-untyped-def]
    return build(articles, output, Config(), today=TODAY, **options)


def test_serial_parallel_and_cached_builds_are_identical(corpus: Path, tmp_path: Path) -> None:
    serial = tmp_path / "serial" / "output"
    run(corpus, serial, use_cache=False, jobs=1)
    parallel = tmp_path / "parallel" / "output"
    run(corpus, parallel, use_cache=False, jobs=2)
    cached = tmp_path / "cached" / "output"
    first = run(corpus, cached)
    assert not first.up_to_date
    again = run(corpus, cached)
    assert again.up_to_date
    assert tree_digest(serial) == tree_digest(parallel) == tree_digest(cached)


def test_one_edited_article_rebuilds_to_the_same_bytes_as_a_cold_build(
        corpus: Path, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    warm = tmp_path / "warm" / "output"
    run(articles, warm)
    edited = sorted(articles.glob("*.md"))[7]
    edited.write_text(edited.read_text().replace("## What may help", "## What can help", 1))
    result = run(articles, warm)
    assert not result.up_to_date
    cold = tmp_path / "cold" / "output"
    run(articles, cold, use_cache=False)
    assert tree_digest(warm) == tree_digest(cold)
    assert b"What can help" in (warm / "site" / edited.stem / "index.html").read_bytes()


def test_template_changes_invalidate(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    run(corpus, output)
    templates = tmp_path / "templates" / "social"
    templates.mkdir(parents=True)
    (templates / "x.txt.j2").write_text("NEW {{ title }} {{ link }}\n{{ short_disclaimer }}\n")
    result = build(corpus, output, Config(), today=TODAY, templates_dir=tmp_path / "templates")
    assert not result.up_to_date
    assert b'"x": "NEW ' in next((output / "social").glob("*.json")).read_bytes()


def test_default_template_changes_invalidate(corpus: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # The packaged defaults, as a new version of the pipeline ships them: the build reads
    # them once per process, so the new version is a fresh read.
    defaults = tmp_path / "defaults"
    shutil.copytree(templates.default_templates_dir(), defaults)
    monkeypatch.setattr(templates, "default_templates_dir", lambda: defaults)
    default_template_digests.cache_clear()
    try:
        output = tmp_path / "output"
        run(corpus, output)
        assert run(corpus, output).up_to_date
        (defaults / "social" / "x.txt.j2").write_text(
            "NEW {{ title }} {{ link }}\n{{ short_disclaimer }}\n")
        default_template_digests.cache_clear()
        result = run(corpus, output)
        assert not result.up_to_date
        posts = [path.read_bytes() for path in (output / "social").glob("*.json")]
        assert posts and all(b'"x": "NEW ' in post for post in posts)
    finally:
        monkeypatch.undo()
        default_template_digests.cache_clear()


def test_config_changes_invalidate(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = run(corpus, output)
    assert not any(f.rule == "readability" for f in first.findings)
    # A setting the renderers read: every page carries the new title, as a cold build's do.
    renamed = Config(site=SiteConfig(title="Quiet Muscles Weekly"))
    result = build(corpus, output, renamed, today=TODAY)
    assert not result.up_to_date
    assert b"Quiet Muscles Weekly" in (output / "site" / "index.html").read_bytes()
    cold = tmp_path / "cold" / "output"
    build(corpus, cold, renamed, today=TODAY, use_cache=False)
    assert tree_digest(output) == tree_digest(cold)
    # A setting only the checks read: the cached findings of the other one are not reused.
    strict = Config(check=CheckConfig(readability_floor=121))
    result = build(corpus, output, strict, today=TODAY)
    assert not result.up_to_date
    flagged = {f.path for f in result.findings if f.rule == "readability"}
    assert len(flagged) == len(list(corpus.glob("*.md")))


def test_corrupt_cache_is_rebuilt_with_a_warning(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    run(corpus, output)
    expected = tree_digest(output)
    cache_file = next((tmp_path / CACHE_DIR).glob("*.pickle"))
    cache_file.write_bytes(b"pipeline-cache-1\n" + b"\x80garbage" * 100)
    shutil.rmtree(output)
    result = run(corpus, output)
    assert result.notes and "corrupt" in result.notes[0]
    assert tree_digest(output) == expected
    assert run(corpus, output).notes == []  # the rebuilt cache is sound


def test_deleted_cache_or_touched_output_changes_no_byte(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "output"
    run(corpus, output)
    expected = tree_digest(output)
    shutil.rmtree(tmp_path / CACHE_DIR)
    assert not run(corpus, output).up_to_date
    assert tree_digest(output) == expected
    page = next((output / "site").glob("*/index.html"))
    page.write_text("tampered")
    assert not run(corpus, output).up_to_date  # a changed output file is never trusted
    assert tree_digest(output) == expected


def test_a_failed_build_keeps_what_it_checked(corpus: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor fixes the one wrong article and builds again: only that file is checked
    anew, and the previous build's output and cached files stay as they were."""
    from pipeline.checks import runner
    from pipeline.errors import ContentError

    articles = tmp_path / "articles"
    shutil.copytree(corpus, articles)
    output = tmp_path / "output"
    run(articles, output, jobs=1)
    expected = tree_digest(output)
    victim = sorted(articles.glob("*.md"))[5]
    good = victim.read_text(encoding="utf-8")
    victim.write_text(good.replace("medical advice", "medical tips"), encoding="utf-8")
    checked: list[Path] = []
    real = runner.check_one

    def counting(path: Path, config: Config, views: bool):  # type: ignore[no-untyped-def]
        checked.append(path)
        return real(path, config, views)

    monkeypatch.setattr(runner, "check_one", counting)
    for _attempt in range(2):
        with pytest.raises(ContentError) as stopped:
            run(articles, output, jobs=1)
        assert {f.path for f in stopped.value.findings if f.severity == "error"} == {str(victim)}
        assert tree_digest(output) == expected
    assert checked == [victim]  # the second failed run checked nothing anew
    victim.write_text(good + "\nOne more line.\n", encoding="utf-8")
    result = run(articles, output, jobs=1)
    assert checked == [victim, victim]
    assert 0 < result.written < len(result.files) / 10  # the edited article's files
    cold = tmp_path / "cold" / "output"
    run(articles, cold, use_cache=False, jobs=1)
    assert tree_digest(output) == tree_digest(cold)
