"""A content-hash cache that lets a rebuild skip work whose inputs did not change.

It is an optimisation only. Every entry is keyed by a hash of everything its value depends
on (the pipeline's own code and data, the Python that runs it and the installed versions of
its dependencies, the configuration, the templates, the input bytes), so a stale entry can
never be used; a missing, corrupt or foreign cache file only means the work is done again,
and the outputs are the same bytes either way.

The cache lives in a hidden folder beside the output (``.pipeline-cache/<output name>``), and
is written only after a build succeeded.

Cache files are pickles, and unpickling runs code: a cache file committed to a repository (or
planted in a pull request) would run in CI. So every file is signed with a secret kept
outside the project, in the user's cache folder (``$XDG_CACHE_HOME/pipeline/cache-key``,
made on first use, readable only by its owner), and a file whose signature does not match is
ignored without being unpickled. Without a usable key nothing is cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import itertools
import os
import pickle
import re
import secrets
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
CACHE_DIR = ".pipeline-cache"
FORMAT = b"pipeline-cache-2\n"  # then a 32-byte HMAC-SHA256 of the pickle that follows
# A store's file: this, then chunks, each an 8-byte length, the 32-byte HMAC-SHA256 of the
# records that follow, and the records, each a pickled (key, value) on its own.
LOG = b"pipeline-cache-log-1\n"
_CHUNK_HEAD = 8 + 32
_SIGNATURE = 32


def digest(*parts: object) -> bytes:
    """A stable key for any picklable parts (dataclasses, paths, bytes, strings, dates)."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else _pickled(part)
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.digest()


def _pickled(value: object) -> bytes:
    """The same bytes for equal values. A plain pickle refers back to an object it has
    already written, so its bytes also depend on which equal strings happen to be one object:
    a disclaimer shared by 999 views loaded from the cache and a fresh copy in the edited one
    gave a different key every build, and re-proved every file of a 1,000-article archive."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no back-references (the values are trees, never cycles)
    pickler.dump(value)
    return buffer.getvalue()


def file_digest(path: Path) -> bytes:
    return hashlib.blake2b(path.read_bytes(), digest_size=20).digest()


def tree_digests(folder: Path | None) -> dict[str, bytes]:
    """Every regular file under a folder (symlinks not followed), by relative path."""
    found: dict[str, bytes] = {}
    if folder is None or not folder.is_dir():
        return found
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            if path.is_symlink() or not path.is_file():
                continue
            try:
                found[str(path.relative_to(folder))] = file_digest(path)
            except OSError:
                continue  # unreadable: the build itself reports it
    return found


class FolderDigests:
    """``tree_digests`` of each folder, read once: ``pipeline build`` asks whether anything
    changed and then builds, and would otherwise read every article twice."""

    def __init__(self) -> None:
        self._read: dict[Path | None, dict[str, bytes]] = {}

    def of(self, folder: Path | None) -> dict[str, bytes]:
        if folder not in self._read:
            self._read[folder] = tree_digests(folder)
        return self._read[folder]


DISTRIBUTION = "wellness-pipeline"  # this package's name on PyPI (pyproject.toml)
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA_MARKER = re.compile(r"""\bextra\s*==\s*["']([^"']+)["']""")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def _requirements(requires: list[str] | None, extras: frozenset[str]
                  ) -> list[tuple[str, frozenset[str]]]:
    """(name, extras) of each requirement that applies with these extras. Other markers
    (platform, Python version) are not evaluated: a requirement that does not apply here is
    simply not installed, and is then recorded as missing, which is stable."""
    found = []
    for line in requires or []:
        spec, _, marker = line.partition(";")
        wanted = _EXTRA_MARKER.findall(marker)
        if wanted and not extras.intersection(map(_canonical, wanted)):
            continue  # an optional extra nobody asked for (test tools, docs, ...)
        match = _REQUIREMENT.match(spec)
        if match:
            extra_names = frozenset(_canonical(e) for e in (match.group(2) or "").split(",")
                                    if e.strip())
            found.append((_canonical(match.group(1)), extra_names))
    return found


def _installed() -> dict[str, Path]:
    """Each installed distribution's metadata folder, by canonical name, as Python finds them:
    the first on ``sys.path`` wins. ``importlib.metadata`` would answer the same, but importing
    it (and the email parser it reads headers with) costs about 40 ms, a tenth of a no-op
    build; listing the folders costs well under a millisecond."""
    found: dict[str, Path] = {}
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            continue  # a zip file or a missing folder: it holds no installed distribution
        for name in names:
            # "{name}-{version}.dist-info", or "{name}-{version}[-pyX.Y].egg-info" (setuptools')
            if name.endswith((".dist-info", ".egg-info")):
                found.setdefault(_canonical(name.partition("-")[0]), Path(entry or ".", name))
    return found


def _version_and_requires(folder: Path) -> tuple[str, list[str]]:
    """The Version and Requires-Dist headers of one distribution's metadata."""
    version, requires = "", []
    try:
        if folder.is_dir():
            headers = folder / ("METADATA" if folder.suffix == ".dist-info" else "PKG-INFO")
            text = headers.read_text(encoding="utf-8", errors="replace")
        else:
            text = folder.read_text(encoding="utf-8", errors="replace")  # an .egg-info file
    except OSError:
        return "(unreadable)", []
    for line in text.split("\n\n", 1)[0].splitlines():  # the headers end at a blank line
        key, _, value = line.partition(":")
        if key == "Version":
            version = value.strip()
        elif key == "Requires-Dist":
            requires.append(value.strip())
    if folder.suffix == ".egg-info" and (folder / "requires.txt").is_file():
        # setuptools keeps them apart: unconditional ones first, then "[extra]" sections.
        lines = (folder / "requires.txt").read_text(encoding="utf-8", errors="replace")
        requires += [line.strip() for line in lines.split("\n[", 1)[0].splitlines()
                     if line.strip()]
    return version, requires


@cache
def dependency_versions() -> tuple[tuple[str, str], ...]:
    """Name and version of every installed distribution the pipeline depends on, transitively
    (markdown-it-py, mjml-python, their own dependencies, ...): a new version of any of them
    can change what a check finds or the bytes a renderer writes.

    Read once per process from the installed metadata (about 2 ms for the 28 distributions
    here). Run from a source tree where the pipeline itself is not installed, every installed
    distribution counts: an unrelated upgrade then costs a rebuild, never a stale output."""
    installed = _installed()
    root = installed.get(DISTRIBUTION)
    if root is None:
        return tuple(sorted((name, _version_and_requires(folder)[0])
                            for name, folder in installed.items()))
    versions: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = _requirements(_version_and_requires(root)[1], frozenset())
    while pending:
        name, extras = pending.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        folder = installed.get(name)
        if folder is None:
            versions[name] = "(not installed)"  # e.g. a backport this Python does not need
            continue
        version, requires = _version_and_requires(folder)
        versions[name] = version
        pending.extend(_requirements(requires, extras))
    return tuple(sorted(versions.items()))


def runtime_fingerprint() -> bytes:
    """The interpreter (its exact build, as ``sys.version`` names it) and every dependency's
    version: pickled results and rendered bytes made under one may not hold under another."""
    return digest(sys.version, sys.implementation.cache_tag, dependency_versions())


@cache
def package_fingerprint() -> bytes:
    """Everything checking an article depends on besides the article and the configuration:
    the pipeline's own code and data files, the Python that runs it and its dependencies'
    versions."""
    from pipeline import __version__

    package = Path(__file__).resolve().parent
    # Bytecode is left out: Python writes it on first use, which must not void every entry.
    sources = {name: value for name, value in tree_digests(package).items()
               if "__pycache__" not in Path(name).parts}
    return digest(__version__, sorted(sources.items()), runtime_fingerprint())


@cache
def signing_key() -> bytes | None:
    """This user's secret for signing cache files, made on first use; None if impossible."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(home) / "pipeline" / "cache-key"
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as stream:
                stream.write(secrets.token_bytes(_SIGNATURE))
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == _SIGNATURE else None


def _signature(key: bytes, payload: bytes | memoryview) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()  # as _Signing computes it


SIGNED = b"pipeline-cache-bytes-1\n"  # then a 32-byte HMAC-SHA256 of the bytes that follow


def write_signed(path: Path, data: bytes) -> None:
    """Bytes that only this user's pipeline may read back (``read_signed``)."""
    key = signing_key()
    if key is not None:
        _replace(path, lambda stream: stream.write(SIGNED + _signature(key, data) + data))


def read_signed(path: Path) -> bytes | None:
    """What ``write_signed`` wrote; None if missing, damaged or signed by anyone else."""
    key = signing_key()
    try:
        raw = path.read_bytes() if key is not None else b""
    except OSError:
        return None
    start = len(SIGNED) + _SIGNATURE
    if key is None or not raw.startswith(SIGNED) or not hmac.compare_digest(
            raw[len(SIGNED):start], _signature(key, raw[start:])):
        return None
    return raw[start:]


def _foreign(path: Path) -> str:
    # Never unpickled: it may come from anywhere (a commit, another user, an old version).
    return f"cache {path} is corrupt or was not written here; rebuilding it"


def read_pickle(path: Path, kind: type) -> tuple[Any, str | None]:
    """A pickle this user's pipeline wrote (or None), and a warning if the file was damaged."""
    key = signing_key()
    if key is None:
        return None, None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        return None, f"cache {path} unreadable ({exc.strerror}); rebuilding it"
    start = len(FORMAT) + _SIGNATURE
    payload = memoryview(raw)[start:]
    if not raw.startswith(FORMAT) or not hmac.compare_digest(
            raw[len(FORMAT):start], _signature(key, payload)):
        return None, _foreign(path)
    try:
        value = pickle.loads(payload)
        if not isinstance(value, kind):
            raise ValueError("unexpected content")
    except Exception as exc:  # any damage at all: start afresh, never fail the build
        return None, f"cache {path} is corrupt ({type(exc).__name__}); rebuilding it"
    return value, None


class Store:
    """A key -> value store, loaded on first use and saved at the end of a run;
    ``pipeline build`` keeps one beside its output, ``pipeline check`` one of its own.

    Saving appends what the run added or changed to the file, as one signed chunk: a
    one-article rebuild no longer pickles the whole archive's entries again (0.19 s of 0.22 s
    its save took at 1,000 articles). Entries the run did not use are dropped when the file
    is written afresh, which happens once what no run uses would outweigh the rest, so the
    file stays within about two runs' worth. Beside it, a small "summary" (the last build's
    inputs and output manifest) is read on its own, so that finding out that nothing changed
    never loads the large store.
    """

    def __init__(self, path: Path | None, *, resident: bool = False) -> None:
        self.path = path
        self.resident = resident
        self._old: dict[bytes, Any] | None = None if path is not None else {}
        self._sizes: dict[bytes, int] = {}  # each loaded entry's bytes in the file
        self._end = 0  # where the file's last sound chunk ends; 0: write it afresh
        self._used: dict[bytes, Any] = {}
        self._changed: set[bytes] = set()  # put by this run: what saving must write
        self._summary: Any = None
        self.warning: str | None = None

    @classmethod
    def disabled(cls) -> Store:
        """Remembers within one run only."""
        return cls(None)

    @classmethod
    def in_memory(cls) -> Store:
        """Kept in this process from one run to the next, never on disk: for ``pipeline
        serve``, which would otherwise read and write the whole cache on every edit."""
        return cls(None, resident=True)

    @property
    def enabled(self) -> bool:
        return self.path is not None or self.resident

    @classmethod
    def open(cls, output_dir: Path) -> Store:
        return cls(output_dir.parent / CACHE_DIR / f"{output_dir.name}.pickle")

    def _read(self, path: Path, kind: type) -> Any:
        value, warning = read_pickle(path, kind)
        self.warning = warning or self.warning
        return value

    def _entries(self) -> dict[bytes, Any]:
        if self._old is None:
            assert self.path is not None
            self._old, self._sizes, self._end, warning = _read_log(self.path)
            self.warning = warning or self.warning
        return self._old

    def summary(self) -> Any:
        if self.resident:
            return self._summary
        if self.path is None:
            return None
        return self._read(self.path.with_suffix(".summary"), tuple)

    def set_summary(self, value: tuple[Any, ...]) -> None:
        self._summary = value

    def get(self, key: bytes) -> Any | None:
        if key in self._used:
            return self._used[key]
        value = self._entries().get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: bytes, value: Any) -> None:
        self._used[key] = value
        self._changed.add(key)

    def memo(self, key: bytes, compute: Callable[[], T]) -> T:
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def mark(self) -> int:
        """A point in this run, for ``since``."""
        return len(self._used)

    def since(self, mark: int) -> tuple[dict[bytes, Any], set[bytes]]:
        """What was used or added after ``mark``, and which of it was put: a worker's share
        of the run, sent back to the process that saves the store (entries are never
        removed, so order tells)."""
        entries = dict(itertools.islice(self._used.items(), mark, None))
        return entries, self._changed & entries.keys()

    def merge(self, share: tuple[dict[bytes, Any], set[bytes]]) -> None:
        entries, changed = share
        self._used.update(entries)
        self._changed |= changed

    def save(self, *, partial: bool = False) -> None:
        """Keep what this run used and made for the next one. ``partial``: the run stopped
        early (a build whose check failed), so the entries it never reached are still the
        last complete build's and are kept too."""
        if partial:
            self._used = {**self._entries(), **self._used}
        if self.resident:  # what this run used is what the next one may reuse
            self._old, self._used, self._changed = self._used, {}, set()
            return
        if self.path is None:
            return
        self._entries()  # a run that used nothing still decides what the file keeps
        kept = [key for key in self._used if key in self._sizes and key not in self._changed]
        new = {key: value for key, value in self._used.items()
               if key in self._changed or key not in self._sizes}
        try:
            # Mostly new (a first build, an upgrade): written afresh, streamed, never held
            # whole in memory (44 MB at 10,000 articles).
            records = _records(new) if self._end and len(new) <= len(kept) else None
            live = sum(self._sizes[key] for key in kept)
            unused = self._end - len(LOG) - live  # entries no run needs any more
            if records is not None and unused <= live + len(records):
                _append_chunk(self.path, self._end, records)
            else:
                _write_log(self.path, self._used)
            if self._summary is not None:
                write_atomically(self.path.with_suffix(".summary"), self._summary)
        except OSError:
            pass  # a cache that cannot be saved costs speed next time, never correctness


def _records(entries: dict[bytes, Any]) -> bytes:
    return b"".join(map(_record, entries.items()))


def _record(item: tuple[bytes, Any]) -> bytes:
    # A pickler of its own per record: the record reads without the ones before it, and no
    # memo carries over (one pickler cleared after each record walked its whole memo table,
    # grown by the largest record, every time: 0.29 s of a 1,000-article save).
    return pickle.dumps(item, protocol=5)


def _chunk(key: bytes, records: bytes) -> bytes:
    return len(records).to_bytes(8, "little") + _signature(key, records) + records


def _read_log(path: Path) -> tuple[dict[bytes, Any], dict[bytes, int], int, str | None]:
    """A store file's entries (later records win), each one's size, where its last sound
    chunk ends (0 if it must be written afresh), and a warning if it was damaged. A chunk
    cut short (a run killed while appending) ends the file quietly."""
    key = signing_key()
    try:
        raw = path.read_bytes() if key is not None else b""
    except FileNotFoundError:
        raw = b""
    except OSError as exc:
        return {}, {}, 0, f"cache {path} unreadable ({exc.strerror}); rebuilding it"
    if not raw or key is None:
        return {}, {}, 0, None
    if not raw.startswith(LOG):
        # The previous version's store is expected after an upgrade, and worth no note.
        return {}, {}, 0, None if raw.startswith(b"pipeline-cache-r\n") else _foreign(path)
    entries: dict[bytes, Any] = {}
    sizes: dict[bytes, int] = {}
    view = memoryview(raw)  # not copied: a build cache can be hundreds of MB
    end = len(LOG)
    while end + _CHUNK_HEAD <= len(raw):
        length = int.from_bytes(raw[end:end + 8], "little")
        records = view[end + _CHUNK_HEAD:end + _CHUNK_HEAD + length]
        if len(records) < length:
            break  # cut short
        if not hmac.compare_digest(raw[end + 8:end + _CHUNK_HEAD], _signature(key, records)):
            return {}, {}, 0, _foreign(path)
        try:
            stream = io.BytesIO(records)
            while stream.tell() < length:
                start = stream.tell()
                name, value = pickle.load(stream)
                entries[name], sizes[name] = value, stream.tell() - start
        except Exception as exc:  # any damage at all: start afresh, never fail the build
            return {}, {}, 0, f"cache {path} is corrupt ({type(exc).__name__}); rebuilding it"
        end += _CHUNK_HEAD + length
    return entries, sizes, end if end == len(raw) else 0, None


def _append_chunk(path: Path, end: int, records: bytes) -> None:
    key = signing_key()
    if key is None or not records:
        return
    with path.open("r+b") as stream:
        stream.seek(end)
        stream.write(_chunk(key, records))
        stream.truncate()


def make_folder(folder: Path) -> None:
    """A cache folder, made with a ``.gitignore`` that ignores everything in it: like
    .pytest_cache and .ruff_cache, a project that does not ignore it yet never sees it as
    something new to commit."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text("*\n", encoding="utf-8")


def cache_folder(output_dir: Path, kind: str) -> Path:
    """A folder of the build's cache beside ``output_dir``, made if missing."""
    make_folder(output_dir.parent / CACHE_DIR)
    folder = output_dir.parent / CACHE_DIR / f"{output_dir.name}.{kind}"
    folder.mkdir(exist_ok=True)
    return folder


def prune(folder: Path, keep: set[str]) -> None:
    """Delete the files of ``folder`` not named in ``keep``: a cache holds one build's worth."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name not in keep and name != ".gitignore":
            with contextlib.suppress(OSError):
                os.unlink(folder / name)


def spare_folder(output_dir: Path) -> Path:
    """Where the build before the current one is kept, to be patched into the next (see
    pipeline.output): in the cache folder, so that deleting it deletes the spare too."""
    folder = output_dir.parent / CACHE_DIR
    make_folder(folder)
    return folder / f"{output_dir.name}.spare"


class _Signing:
    """A binary stream that signs what passes through it: the pickle is streamed to disk, never
    held whole in memory (hundreds of megabytes for a large archive's build cache)."""

    def __init__(self, stream: BinaryIO, key: bytes) -> None:
        self.stream = stream
        self.mac = hmac.new(key, digestmod=hashlib.sha256)
        self.length = 0

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        self.length += len(data)
        return self.stream.write(data)


def write_atomically(path: Path, value: tuple[Any, ...]) -> None:
    """Replace a cache file in one step, signed, creating its folder (git-ignored) if need be.
    Without a signing key nothing is written (it could never be read back)."""
    key = signing_key()
    if key is None:
        return

    def write(stream: BinaryIO) -> None:
        stream.write(FORMAT + bytes(_SIGNATURE))  # the signature goes here once known
        signing = _Signing(stream, key)
        pickle.Pickler(signing, protocol=5).dump(value)
        stream.seek(len(FORMAT))
        stream.write(signing.mac.digest())

    _replace(path, write)


def _write_log(path: Path, entries: dict[bytes, Any]) -> None:
    """A store file afresh: one chunk, streamed, as the whole store would not fit twice in
    memory at 10,000 articles."""
    key = signing_key()
    if key is None:
        return

    def write(stream: BinaryIO) -> None:
        stream.write(LOG + bytes(_CHUNK_HEAD))  # the length and signature go here once known
        signing = _Signing(stream, key)
        for item in entries.items():
            signing.write(_record(item))
        stream.seek(len(LOG))
        stream.write(signing.length.to_bytes(8, "little") + signing.mac.digest())

    _replace(path, write)


def _replace(path: Path, write: Callable[[BinaryIO], None]) -> None:
    make_folder(path.parent)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
