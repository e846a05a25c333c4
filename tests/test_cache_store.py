"""The store's file: a run appends what it put, signed; what no run uses is dropped when the
file is written afresh; a damaged or cut file costs time, never a wrong entry."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from pipeline import cache
from pipeline.cache import Store


def run(path: Path, used: dict[bytes, object], put: dict[bytes, object]) -> Store:
    """One run: reads ``used`` (asserting the values), puts ``put``, saves."""
    store = Store(path)
    for key, value in used.items():
        assert store.get(key) == value
    for key, value in put.items():
        store.put(key, value)
    store.save()
    return store


def entries(path: Path) -> dict[bytes, object]:
    found, _sizes, _end, warning = cache._read_log(path)
    assert warning is None
    return found


def test_a_run_appends_only_what_it_put(tmp_path: Path) -> None:
    path = tmp_path / "store.pickle"
    many = {bytes([n]) * 20: ("value", n, "x" * 500) for n in range(200)}
    run(path, {}, many)
    size = path.stat().st_size
    changed = {b"k" * 20: "new"}
    run(path, many, changed)
    assert size < path.stat().st_size < size + 200  # one small chunk, not the whole store
    assert entries(path) == {**many, **changed}


def test_what_no_run_uses_is_dropped_and_the_file_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "store.pickle"
    kept = {bytes([n]) * 20: "x" * 500 for n in range(100)}
    run(path, {}, kept)
    fresh = path.stat().st_size
    for number in range(30):  # each run replaces a large entry, as a build's manifest
        run(path, kept, {b"m" * 20: ("manifest", number, "y" * 20_000)})
        assert path.stat().st_size < 2 * (fresh + 20_000) + 1000
    final = entries(path)
    assert final[b"m" * 20] == ("manifest", 29, "y" * 20_000)
    run(path, {b"m" * 20: ("manifest", 29, "y" * 20_000)}, {})  # the kept entries unused
    run(path, {}, {b"z" * 20: "a"})
    assert set(entries(path)) <= {b"m" * 20, b"z" * 20}


def test_a_chunk_cut_short_ends_the_file_quietly(tmp_path: Path) -> None:
    path = tmp_path / "store.pickle"
    first = {b"a" * 20: "first"}
    run(path, {}, first)
    run(path, first, {b"b" * 20: "second" * 100})
    whole = path.read_bytes()
    path.write_bytes(whole[:-50])  # a run killed while appending
    store = run(path, first, {b"c" * 20: "third"})
    assert store.warning is None
    assert entries(path) == {**first, b"c" * 20: "third"}


@pytest.mark.parametrize("where", ["first", "appended"])
def test_a_chunk_not_signed_here_is_never_unpickled(tmp_path: Path, where: str) -> None:
    """As if a pull request committed a store file, or added a chunk to one, for CI to run."""
    path = tmp_path / "store.pickle"
    marker = tmp_path / "code-ran"
    planted = pickle.dumps((b"p" * 20, _Planted(marker)))
    forged = len(planted).to_bytes(8, "little") + bytes(32) + planted
    if where == "first":
        path.write_bytes(cache.LOG + forged)
    else:
        run(path, {}, {b"a" * 20: "first"})
        path.write_bytes(path.read_bytes() + forged)
    store = Store(path)
    assert store.get(b"a" * 20) is None and store.get(b"p" * 20) is None
    assert store.warning and "was not written here" in store.warning
    assert not marker.exists()


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))
