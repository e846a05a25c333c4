"""Issue 16: the build cache and the check cache are keyed on the Python that runs the pipeline
and on the installed version of every dependency, so an upgrade of markdown-it-py or
mjml-python never reuses what the old version made."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipeline import cache
from pipeline.build import build
from pipeline.checks import runner
from pipeline.checks.runner import check_paths
from pipeline.config import Config
from tests.helpers import write_article

TODAY = dt.date(2026, 6, 1)


def _forget_fingerprints() -> None:
    for memo in (cache.dependency_versions, cache.package_fingerprint):
        memo.cache_clear()


@pytest.fixture
def upgrade(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[str], None]]:
    """``upgrade(name)``: from now on the installed metadata says ``name`` is at version 99.0,
    as after ``pip install -U name`` (its metadata folder copied with only the version bumped,
    so the real metadata reader reads it)."""
    real = cache._installed()
    site = tmp_path / "site-packages"

    def bump(name: str) -> None:
        folder = real[name]
        text = (folder / "METADATA").read_text(encoding="utf-8")
        old = importlib.metadata.version(name)
        assert f"\nVersion: {old}\n" in text
        newer = site / folder.name.replace(old, "99.0")
        newer.mkdir(parents=True)
        (newer / "METADATA").write_text(text.replace(f"\nVersion: {old}\n", "\nVersion: 99.0\n"),
                                        encoding="utf-8")
        monkeypatch.setattr(cache, "_installed", lambda: {**real, name: newer})
        _forget_fingerprints()

    _forget_fingerprints()
    yield bump
    monkeypatch.undo()
    _forget_fingerprints()  # the next test sees the real installation again


@pytest.fixture
def articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "articles"
    write_article(folder, "walk.md", title="A daily walk", extra="summary: Walk.")
    write_article(folder, "neck.md", title="Neck stretches", extra="summary: Stretch.")
    return folder


def test_the_fingerprint_lists_each_dependency_at_its_installed_version() -> None:
    # importlib.metadata is the oracle: the fingerprint reads the metadata files itself.
    found = dict(cache.dependency_versions())
    for name in ("markdown-it-py", "mjml-python", "jinja2", "feedgen", "mdurl", "markupsafe",
                 "pydantic-core", "lxml"):  # direct, and dependencies of dependencies
        assert found[name] == importlib.metadata.version(name), name
    assert "pytest" not in found and "hypothesis" not in found  # test tools are not inputs


def test_the_dependency_walk_runs_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = cache._installed

    def counting() -> dict[str, Path]:
        calls.append(1)
        return real()

    monkeypatch.setattr(cache, "_installed", counting)
    _forget_fingerprints()
    try:
        first = cache.package_fingerprint(), cache.runtime_fingerprint()
        assert (cache.package_fingerprint(), cache.runtime_fingerprint()) == first
        assert calls == [1]
    finally:
        monkeypatch.undo()
        _forget_fingerprints()


@pytest.mark.parametrize("dependency", ["markdown-it-py", "mjml-python"])
def test_a_dependency_upgrade_reuses_nothing_the_build_cached(
        articles: Path, tmp_path: Path, upgrade: Callable[[str], None],
        monkeypatch: pytest.MonkeyPatch, dependency: str) -> None:
    output = tmp_path / "output"
    build(articles, output, Config(), today=TODAY)
    assert build(articles, output, Config(), today=TODAY).up_to_date  # the cache works

    checked: list[Path] = []
    real_check_all = runner._check_all

    def check_all(paths: list[Path], config: Config, jobs: int,  # type: ignore[no-untyped-def]
                  views: bool):
        checked.extend(paths)
        return real_check_all(paths, config, jobs, views)

    hits: list[bytes] = []
    made: set[bytes] = set()  # put by this build, and then looked up again by it: not stale
    real_get, real_put = cache.Store.get, cache.Store.put

    def get(self: cache.Store, key: bytes) -> object:
        value = real_get(self, key)
        if value is not None and key not in made:
            hits.append(key)
        return value

    def put(self: cache.Store, key: bytes, value: object) -> None:
        made.add(key)
        real_put(self, key, value)

    monkeypatch.setattr(runner, "_check_all", check_all)
    monkeypatch.setattr(cache.Store, "get", get)
    monkeypatch.setattr(cache.Store, "put", put)
    upgrade(dependency)
    result = build(articles, output, Config(), today=TODAY)
    assert not result.up_to_date
    assert sorted(checked) == sorted(articles.glob("*.md"))  # every article parsed again
    # Only what the output and the spare tree hold (compared by their bytes) may be looked up.
    manifests = {cache.digest(name, str(output.resolve())) for name in ("last-output", "spare")}
    assert set(hits) <= manifests


def _checked_files(articles: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = runner.check_article

    def counting(result, config):  # type: ignore[no-untyped-def]
        seen.append(Path(result.display_path).name)
        return real(result, config)

    with monkeypatch.context() as patch:
        patch.setattr(runner, "check_article", counting)
        check_paths([articles], Config(), cache_folder=articles.parent)
    return sorted(seen)


@pytest.mark.parametrize("dependency", ["markdown-it-py", "mjml-python"])
def test_a_dependency_upgrade_reuses_nothing_the_check_cached(
        articles: Path, upgrade: Callable[[str], None], monkeypatch: pytest.MonkeyPatch,
        dependency: str) -> None:
    everything = sorted(path.name for path in articles.glob("*.md"))
    assert _checked_files(articles, monkeypatch) == everything
    assert _checked_files(articles, monkeypatch) == []  # the cache works
    upgrade(dependency)
    assert _checked_files(articles, monkeypatch) == everything


def test_another_python_reuses_nothing_either(articles: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "output"
    _forget_fingerprints()
    try:
        build(articles, output, Config(), today=TODAY)
        _checked_files(articles, monkeypatch)
        monkeypatch.setattr(sys, "version", sys.version.replace(".", ".9", 1))
        _forget_fingerprints()
        assert not build(articles, output, Config(), today=TODAY).up_to_date
        assert _checked_files(articles, monkeypatch) == ["neck.md", "walk.md"]
    finally:
        monkeypatch.undo()
        _forget_fingerprints()
