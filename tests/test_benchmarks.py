"""The benchmark's parts that must be right for its numbers to mean anything (no timings)."""

from __future__ import annotations

import sys
from pathlib import Path

from click.testing import CliRunner

from benchmarks import corpus, procs, vs_pelican
from benchmarks.ours import Project
from pipeline.cli import cli


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def check(folder: Path) -> str:
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def test_corpus_is_deterministic_and_passes_check(tmp_path: Path) -> None:
    first = files(corpus.generate(tmp_path / "a", 3, seed=7))
    again = files(corpus.generate(tmp_path / "b", 3, seed=7))
    other = files(corpus.generate(tmp_path / "c", 3, seed=8))
    assert sorted(p for p in first if p.endswith(".md")) == [
        "notes-00000.md", "notes-00001.md", "notes-00002.md"]
    assert first == again
    assert first != other
    assert "3 files checked: 0 errors, 0 warnings" in check(tmp_path / "a")
    for name, data in first.items():
        if name.endswith(".md"):
            body = data.decode().split("---\n", 2)[2]
            assert 700 <= len(body.split()) <= 900, name  # "about 800 words"


def test_benchmark_edit_is_a_real_change_that_still_passes_check(tmp_path: Path) -> None:
    project = Project(tmp_path / "project", caches=())
    project.make(corpus.generate(tmp_path / "corpus", 3, seed=1))
    before = files(project.articles)
    marker = project.edit(1, run=1)
    after = files(project.articles)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["notes-00001.md"]
    assert marker in after["notes-00001.md"]
    assert "0 errors" in check(project.articles)


def test_pelican_conversion_keeps_metadata_and_body(tmp_path: Path) -> None:
    source = corpus.generate(tmp_path / "corpus", 1, seed=1) / "notes-00000.md"
    text = source.read_text(encoding="utf-8")
    converted = vs_pelican.convert(text, "notes-00000")
    header, body = converted.split("\n\n", 1)
    meta = dict(line.split(": ", 1) for line in header.splitlines())
    assert meta["Slug"] == "notes-00000"
    assert meta["Date"] == "2016-01-04"
    assert meta["Tags"].count(",") in (0, 1)
    assert text.endswith(body)


def sampled_fork(tmp_path: Path, megabytes: int, *, before_fork: bool) -> procs.Run:
    """A parent and a forked child that live together for a moment, with a block of
    ``megabytes`` made before the fork (shared) or after it (one each), sampled."""
    block = f"block = b'x' * {megabytes * 1_000_000}\n"
    script = ("import os, time\n" + (block if before_fork else "") + "pid = os.fork()\n"
              + ("" if before_fork else block) + "time.sleep(0.5)\n"
              "if pid == 0:\n    os._exit(0)\n" "os.waitpid(pid, 0)\n")
    return procs.run([sys.executable, "-c", script], cwd=tmp_path, log=tmp_path / "log",
                     sample_memory=True)


def test_memory_of_a_process_tree_is_summed(tmp_path: Path) -> None:
    # Parent and child each touch 60 MB of their own at the same time: the sampled tree peak
    # must count both, while wait4's ru_maxrss sees only the larger one.
    run = sampled_fork(tmp_path, 60, before_fork=False)
    assert run.tree_peak is not None
    assert run.tree_peak >= 120_000_000
    assert run.max_rss < 110_000_000
    assert run.peak_memory == run.tree_peak


def test_pages_a_forked_child_shares_count_once(tmp_path: Path) -> None:
    # The child shares the parent's 80 MB copy-on-write: summed RSS counts those pages twice;
    # the tree's PSS, which the benchmark reports, once.
    run = sampled_fork(tmp_path, 80, before_fork=True)
    assert run.tree_rss_peak is not None and run.tree_peak is not None
    assert run.tree_rss_peak >= 160_000_000
    assert 80_000_000 <= run.tree_peak < 120_000_000


def test_a_small_command_is_not_charged_for_its_large_parent(tmp_path: Path) -> None:
    # Linux carries the spawning process's RSS high-water mark into a new program's
    # ru_maxrss; the launcher keeps that floor small even when the caller is large.
    ballast = b"x" * 150_000_000
    run = procs.run(["true"], cwd=tmp_path, log=tmp_path / "log")
    assert len(ballast) and run.max_rss < 40_000_000


def test_a_failing_command_fails_the_benchmark(tmp_path: Path) -> None:
    try:
        procs.run([sys.executable, "-c", "print('boom'); raise SystemExit(3)"], cwd=tmp_path,
                  log=tmp_path / "log")
    except procs.CommandFailed as exc:
        assert "status 3" in str(exc) and "boom" in str(exc)
    else:
        raise AssertionError("a failing command was measured as if it had worked")
