"""`pipeline check` reuses the results of unchanged files, and only of unchanged files: a
re-run reports exactly what a fresh run reports, whatever changed in between."""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import cache, workers
from pipeline.build import build
from pipeline.cache import CACHE_DIR
from pipeline.checks import runner
from pipeline.checks.runner import check_paths
from pipeline.cli import cli
from pipeline.config import Config, load_config
from tests.helpers import FIXTURES, write_article

PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Articles with findings of every kind; files count as settled as soon as written."""
    articles = tmp_path / "articles"
    (articles / "images").mkdir(parents=True)
    (articles / "images" / "walk.png").write_bytes(PIXEL)
    write_article(articles, "claims.md", body="This tea cures colds. Click here to book.")
    write_article(articles, "image.md", body="![A walker on a hill](images/walk.png)")
    write_article(articles, "one.md", extra="slug: same")
    write_article(articles, "two.md", extra="slug: same")
    write_article(articles, "quoted.md", body="<!-- pipeline-disable-next-line medical-claim: "
                                               "a reader's words -->\nIt cured my back.")
    write_article(articles, "missing.md", disclaimer=False)
    (articles / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    for name in os.listdir(FIXTURES / "checks"):
        if name.endswith(".md"):
            (articles / name).write_bytes((FIXTURES / "checks" / name).read_bytes())
    return articles


def checked(folder: Path, config: Config | None = None, *, cache: bool = True,
            jobs: int = 1) -> list[tuple[object, ...]]:
    result = check_paths([folder], config or Config(), jobs=jobs,
                         cache_folder=folder.parent if cache else None)
    return [(f.path, f.line, f.col, f.rule, f.severity, f.message) for f in result.findings]


@pytest.fixture
def checks_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually checked (not taken from the cache), in each run."""
    seen: list[str] = []
    real = runner.check_article

    def counting(result, config):
        seen.append(Path(result.display_path).name)
        return real(result, config)

    monkeypatch.setattr(runner, "check_article", counting)
    return seen


def test_rerun_reports_the_same_and_checks_nothing(folder: Path, checks_run: list[str]) -> None:
    fresh = checked(folder, cache=False)
    assert {f[3] for f in fresh} >= {
        "medical-claim", "dangling-link-text", "duplicate-slug", "disclaimer-missing",
        "front-matter", "suppression", "link", "image-alt"}
    checks_run.clear()
    first = checked(folder)
    assert len(checks_run) == len(list(folder.glob("*.md")))
    checks_run.clear()
    second = checked(folder)
    assert checks_run == []
    assert first == second == fresh
    cache_folder = folder.parent / CACHE_DIR
    assert sorted(os.listdir(cache_folder)) == [".gitignore", "check.pickle"]
    assert (cache_folder / ".gitignore").read_text() == "*\n"


def test_a_changed_file_is_checked_again_even_at_the_same_size(folder: Path,
                                                              checks_run: list[str]) -> None:
    checked(folder)
    path = folder / "claims.md"
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    path.write_text(text.replace("cures colds", "eases lists"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as a restore tool would
    assert path.stat().st_size == stat.st_size
    checks_run.clear()
    findings = checked(folder)
    assert checks_run == ["claims.md"]
    assert findings == checked(folder, cache=False)
    assert not any(f[0].endswith("claims.md") and f[3] == "medical-claim" for f in findings)


def test_image_files_are_looked_at_every_time(folder: Path, checks_run: list[str]) -> None:
    assert not [f for f in checked(folder) if f[3] == "image"]
    (folder / "images" / "walk.png").unlink()
    checks_run.clear()
    findings = checked(folder)
    assert checks_run == []
    assert [f[0] for f in findings if f[3] == "image"] == [str(folder / "image.md")]
    assert findings == checked(folder, cache=False)


def test_other_configuration_or_code_means_checking_again(
        folder: Path, checks_run: list[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    checked(folder)
    toml = tmp_path / "pipeline.toml"
    toml.write_text('[check]\nclaim_phrases = ["to book"]\n', encoding="utf-8")
    other = load_config(toml, required=True)
    checks_run.clear()
    with_other = checked(folder, other)
    assert len(checks_run) == len(list(folder.glob("*.md")))
    assert with_other == checked(folder, other, cache=False)
    assert any(f[0].endswith("claims.md") and "to book" in str(f[5]) for f in with_other)
    checked(folder)  # the default configuration again: its entries were replaced
    monkeypatch.setattr(runner, "package_fingerprint", lambda: b"another version")
    checks_run.clear()
    checked(folder)
    assert len(checks_run) == len(list(folder.glob("*.md")))


def test_findings_carry_the_path_as_given(folder: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    relative = checked(Path("articles"))
    absolute = checked(folder)
    assert relative[0][0].startswith("articles/") and absolute[0][0].startswith(str(folder))
    assert [f[1:] for f in relative] == [
        (*f[1:5], f[5].replace(f"{folder}/", "articles/")) for f in absolute]


def test_parallel_workers_fill_and_use_the_cache(folder: Path, checks_run: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PER_WORKER", 2)
    fresh = checked(folder, cache=False)
    assert checked(folder, jobs=2) == fresh
    checks_run.clear()
    assert checked(folder, jobs=2) == fresh
    assert checks_run == []


@pytest.mark.parametrize("damage", ["garbage", "folder-is-a-file", "foreign"])
def test_a_damaged_or_unwritable_cache_costs_nothing_but_time(folder: Path, damage: str) -> None:
    fresh = checked(folder, cache=False)
    cache_folder = folder.parent / CACHE_DIR
    if damage == "folder-is-a-file":
        cache_folder.write_text("not a folder")
    else:
        checked(folder)
        content = b"\x80garbage" * 50 if damage == "garbage" else b"pipeline-cache-1\n\x80\x05N."
        (cache_folder / "check.pickle").write_bytes(content)
    assert checked(folder) == fresh
    assert checked(folder) == fresh


def test_cli_reuses_results_and_no_cache_writes_none(folder: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plain = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", "articles"])
    assert not (tmp_path / CACHE_DIR).exists()
    first = CliRunner().invoke(cli, ["check", "--format", "json", "articles"])
    second = CliRunner().invoke(cli, ["check", "--format", "json", "articles"])
    assert (tmp_path / CACHE_DIR / "check.pickle").is_file()
    assert plain.exit_code == first.exit_code == second.exit_code == 1
    assert json.loads(plain.stdout) == json.loads(first.stdout) == json.loads(second.stdout)


class _Planted:
    """Unpickling this creates a file: what a cache file committed to a repository could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("header", [b"pipeline-cache-1\n", b"pipeline-cache-2\n" + bytes(32)],
                         ids=["older-format", "forged-signature"])
def test_a_planted_cache_file_is_never_unpickled(folder: Path, tmp_path: Path,
                                                 header: bytes) -> None:
    """As if a pull request committed .pipeline-cache/ files for CI to run check and build."""
    fresh = checked(folder, cache=False)
    marker = tmp_path / "code-ran"
    (tmp_path / CACHE_DIR).mkdir()
    for name in ("check.pickle", "output.pickle", "output.summary"):
        (tmp_path / CACHE_DIR / name).write_bytes(header + pickle.dumps(_Planted(marker)))
    assert checked(folder) == fresh
    write_article(tmp_path / "clean", "walk.md", extra="summary: A walk.")
    result = build(tmp_path / "clean", tmp_path / "output", Config(), today=dt.date(2026, 6, 1))
    assert (tmp_path / "output" / "site" / "walk" / "index.html").is_file()
    assert any("was not written here" in note for note in result.notes)
    assert not marker.exists()


def test_cache_files_are_signed_with_a_private_key(folder: Path, tmp_path: Path,
                                                   checks_run: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def use_key_in(home: Path) -> None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(home))
        cache.signing_key.cache_clear()

    try:
        use_key_in(tmp_path / "xdg")
        checked(folder)
        key = tmp_path / "xdg" / "pipeline" / "cache-key"
        assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
        checks_run.clear()
        checked(folder)
        assert checks_run == []
        use_key_in(tmp_path / "other")  # another user: finds the file, cannot use it
        checked(folder)
        assert len(checks_run) == len(list(folder.glob("*.md")))
    finally:
        monkeypatch.delenv("XDG_CACHE_HOME")
        cache.signing_key.cache_clear()


def test_a_corpus_finding_is_not_kept_with_the_unchanged_file(tmp_path: Path) -> None:
    """Duplicate slugs are a finding about two files: fixing one of them clears both, though
    the other file's own results come from the cache."""
    folder = tmp_path / "articles"
    write_article(folder, "one.md", extra="slug: same")
    write_article(folder, "two.md", extra="slug: same")
    assert {f[0] for f in checked(folder) if f[3] == "duplicate-slug"} == {
        str(folder / "one.md"), str(folder / "two.md")}
    write_article(folder, "two.md", extra="slug: other")
    assert [f for f in checked(folder) if f[3] == "duplicate-slug"] == []
    assert checked(folder) == checked(folder, cache=False)
