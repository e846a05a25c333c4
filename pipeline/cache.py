"""A content-hash cache that lets a rebuild skip work whose inputs did not change.

It is an optimisation only. Every entry is keyed by a hash of everything its value depends
on (the pipeline's own code and data, the configuration, the templates, the input bytes), so
a stale entry can never be used; a missing, corrupt or foreign cache file only means the
work is done again, and the outputs are the same bytes either way.

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
import os
import pickle
import secrets
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
CACHE_DIR = ".pipeline-cache"
FORMAT = b"pipeline-cache-2\n"  # then a 32-byte HMAC-SHA256 of the pickle that follows
_SIGNATURE = 32


def digest(*parts: object) -> bytes:
    """A stable key for any picklable parts (dataclasses, paths, bytes, strings, dates)."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else pickle.dumps(part, protocol=5)
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.digest()


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


@cache
def package_fingerprint() -> bytes:
    """The pipeline's own code and data files (what checking an article depends on)."""
    from pipeline import __version__

    package = Path(__file__).resolve().parent
    # Bytecode is left out: Python writes it on first use, which must not void every entry.
    sources = {name: value for name, value in tree_digests(package).items()
               if "__pycache__" not in Path(name).parts}
    return digest(__version__, sorted(sources.items()))


@cache
def code_fingerprint() -> bytes:
    """The pipeline's own code, data files and default templates: a new version of any of them
    invalidates everything."""
    from pipeline.render.templates import default_templates_dir

    return digest(package_fingerprint(), sorted(tree_digests(default_templates_dir()).items()))


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
    payload = memoryview(raw)[start:]  # not copied: a build cache can be hundreds of MB
    if not raw.startswith(FORMAT) or not hmac.compare_digest(
            raw[len(FORMAT):start], _signature(key, payload)):
        # Never unpickled: it may come from anywhere (a commit, another user, an old version).
        return None, f"cache {path} is corrupt or was not written here; rebuilding it"
    try:
        value = pickle.loads(payload)
        if not isinstance(value, kind):
            raise ValueError("unexpected content")
    except Exception as exc:  # any damage at all: start afresh, never fail the build
        return None, f"cache {path} is corrupt ({type(exc).__name__}); rebuilding it"
    return value, None


class BuildCache:
    """A key -> value store loaded on first use during a build and saved at its end.

    Only the entries a build used are saved, so the file never grows beyond one build's worth.
    Beside it, a small "summary" (the last build's inputs and output manifest) is read on its
    own, so that finding out that nothing changed never loads the large store.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._old: dict[bytes, Any] | None = None if path is not None else {}
        self._used: dict[bytes, Any] = {}
        self._summary: Any = None
        self.warning: str | None = None

    @classmethod
    def disabled(cls) -> BuildCache:
        return cls(None)

    @classmethod
    def open(cls, output_dir: Path) -> BuildCache:
        return cls(output_dir.parent / CACHE_DIR / f"{output_dir.name}.pickle")

    def _read(self, path: Path, kind: type) -> Any:
        value, warning = read_pickle(path, kind)
        self.warning = warning or self.warning
        return value

    def _entries(self) -> dict[bytes, Any]:
        if self._old is None:
            assert self.path is not None
            self._old = self._read(self.path, dict) or {}
        return self._old

    def summary(self) -> Any:
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

    def memo(self, key: bytes, compute: Callable[[], T]) -> T:
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value

    def save(self) -> None:
        if self.path is None:
            return
        try:
            write_atomically(self.path, self._used)
            if self._summary is not None:
                write_atomically(self.path.with_suffix(".summary"), self._summary)
        except OSError:
            pass  # a cache that cannot be saved costs speed next time, never correctness


class _Signing:
    """A binary stream that signs what passes through it: the pickle is streamed to disk, never
    held whole in memory (hundreds of megabytes for a large archive's build cache)."""

    def __init__(self, stream: BinaryIO, key: bytes) -> None:
        self.stream = stream
        self.mac = hmac.new(key, digestmod=hashlib.sha256)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.stream.write(data)


def write_atomically(path: Path, value: Any) -> None:
    """Replace a cache file in one step, signed, creating its folder (git-ignored) if need be.
    Without a signing key nothing is written (it could never be read back)."""
    key = signing_key()
    if key is None:
        return
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Like .pytest_cache and .ruff_cache: a project that does not ignore it yet never
        # sees it as a new file to commit.
        (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(FORMAT + bytes(_SIGNATURE))  # the signature goes here once known
            signing = _Signing(stream, key)
            pickle.dump(value, signing, protocol=5)
            stream.seek(len(FORMAT))
            stream.write(signing.mac.digest())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
