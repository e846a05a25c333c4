"""Writing a build: a folder is made to hold the new tree, then swapped with the output.

That folder is the spare (the tree of the build before the last one) patched with only the
files that differ, or a new folder when there is no usable spare. A failed or interrupted
build therefore never leaves a half-written output folder, a one-article edit writes a few
dozen files instead of the whole archive, and no path a renderer returns can land outside
the output folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.errors import OutputError, UsageError

MARKER = ".pipeline-output"
LOCK_WAIT_SECONDS = 30.0
_RENAME_EXCHANGE = 2


def safe_relative(path: str) -> PurePosixPath:
    """Reject any artifact path that could escape the output folder."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(part in ("..", ".", "") for part in pure.parts) \
            or "\\" in path or "\x00" in path:
        raise UsageError(f"refusing to write {path!r}: not a plain path inside the output folder")
    return pure


def check_output_dir(output: Path, protected: list[Path]) -> None:
    """Refuse output folders whose replacement would destroy something that is not ours."""
    target = output.resolve()
    dangerous = {Path("/").resolve(), Path.home().resolve(), Path.cwd().resolve()}
    dangerous.update(path.resolve() for path in protected)
    if target in dangerous or any(path.resolve().is_relative_to(target) for path in protected):
        raise UsageError(f"refusing to use {output} as the output folder: it holds other files "
                         "(articles, templates or the project itself); choose e.g. output/")
    if target.is_file():
        raise UsageError(f"--output {output} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).exists():
        raise UsageError(
            f"refusing to replace {output}: it is not empty and was not made by pipeline build "
            f"(no {MARKER} file); remove it yourself or choose another --output")


@contextlib.contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """One build at a time per output folder; a second one waits, then fails clearly.

    The lock is taken on the parent folder itself, so that no lock file is left beside the
    output and the lock survives the swap of the output folder.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(output.parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise UsageError(
                        f"another build is writing {output}; try again when it has finished"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def _recover(output: Path) -> None:
    """Undo a swap interrupted between its two renames, and drop stale temporary folders."""
    leftovers = sorted(output.parent.glob(f".{output.name}.old-*"))
    if not output.exists() and leftovers:
        leftovers[-1].rename(output)
        leftovers = leftovers[:-1]
    for stale in [*leftovers, *output.parent.glob(f".{output.name}.tmp-*")]:
        shutil.rmtree(stale, ignore_errors=True)


Manifest = dict[str, tuple[int, int, bytes]]  # relative path -> (size, mtime_ns, digest)


def digest_of(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


@dataclass(frozen=True, slots=True)
class Stored:
    """A file an earlier build made from the same inputs, known by its size and digest: its
    bytes are on disk (in the output or the spare), not in memory. ``make`` gives them again
    where neither holds them any more."""

    size: int
    digest: bytes
    make: Callable[[], bytes]


class Tree:
    """The folder the next output is made in, one file at a time, then swapped in whole.

    It is ``spare`` when that is usable: the output of the build before the current one,
    described by ``spare_manifest``. Only files whose bytes differ from what it holds are
    written (a one-article edit rewrites a few dozen files of thousands); at the swap the
    previous output becomes the spare. Without a usable spare the folder starts empty. A file
    known only by its digest (``Stored``) is taken from the spare, or linked from the current
    output (``output_manifest`` says what that holds), and made again only where neither
    has it. Files are written beside their place and renamed over it, never changed in
    place, so a killed build leaves each file old or new, which the next scan sorts out.
    """

    def __init__(self, output: Path, spare: Path | None = None,
                 spare_manifest: Manifest | None = None,
                 output_manifest: Manifest | None = None) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        _recover(output)
        self.output = output
        self.spare = spare
        self.root, self.holds = _staging(output, spare, spare_manifest or {})
        self.resolved = self.root.resolve()
        self.current = output_manifest or {}
        self.manifest: Manifest = {}
        self.written = 0
        self._made: set[str] = {str(self.root)}

    def add(self, relative: str, data: bytes | Stored) -> None:
        """Make ``relative`` hold ``data``."""
        target = self.root.joinpath(*safe_relative(relative).parts)
        try:
            if isinstance(data, Stored):
                if self._has(relative, data.digest) or self._link(relative, data, target):
                    return
                data = data.make()
            digest = digest_of(data)
            if self._has(relative, digest):
                return
            self._folder(relative, target.parent)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            temporary.write_bytes(data)
            self._replace(temporary, target)
            info = target.stat()
            self.manifest[relative] = (info.st_size, info.st_mtime_ns, digest)
            self.written += 1
        except OSError as exc:
            self.abandon()
            raise self._failed(exc) from None
        except BaseException:
            self.abandon()
            raise

    def _has(self, relative: str, digest: bytes) -> bool:
        """The spare holds these bytes there already."""
        known = self.holds.get(relative)
        if known is not None and known[2] == digest:
            self.manifest[relative] = known
            return True
        return False

    def _link(self, relative: str, data: Stored, target: Path) -> bool:
        """The current output holds these bytes, as written: share its file (it is never
        changed in place, only replaced)."""
        known = self.current.get(relative)
        source = self.output / relative
        if known is None or known[2] != data.digest or not untouched(source, known):
            return False
        self._folder(relative, target.parent)
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        try:
            os.link(source, temporary)
        except OSError:
            return False  # another file system, or links not allowed: write it instead
        self._replace(temporary, target)
        self.manifest[relative] = known
        return True

    def _folder(self, relative: str, folder: Path) -> None:
        # Kept as text, not paths: at 10,000 articles a set of paths held 5 MB per process.
        name = str(folder)
        if name in self._made:  # the files of a folder (an article's page, its images)
            return
        # Checked once per folder: a plain file name inside it cannot lead elsewhere.
        if not folder.resolve().is_relative_to(self.resolved):
            raise UsageError(f"refusing to write {relative!r} outside the output folder")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            # The spare has a file where this build needs a folder: it is not wanted.
            for parent in reversed(folder.relative_to(self.root).parents[:-1] or ()):
                self._drop_file(self.root / parent)
            self._drop_file(folder)
            folder.mkdir(parents=True, exist_ok=True)
        self._made.add(name)

    def _drop_file(self, path: Path) -> None:
        if path.is_file() or path.is_symlink():
            path.unlink()
            self.holds.pop(str(path.relative_to(self.root)), None)

    def _replace(self, temporary: Path, target: Path) -> None:
        if target.is_dir() and not target.is_symlink():
            # The spare has a folder where this build needs a file: none of it is wanted.
            prefix = str(target.relative_to(self.root)) + "/"
            shutil.rmtree(target)
            for stale in [path for path in self.holds if path.startswith(prefix)]:
                del self.holds[stale]
        os.replace(temporary, target)

    def mark(self) -> tuple[int, int]:
        """A point in the build, for ``since``."""
        return len(self.manifest), self.written

    def since(self, mark: tuple[int, int]) -> tuple[Manifest, int]:
        """The files added after ``mark`` and how many of them were written: what a worker
        process patched into the folder, for the process that swaps it in."""
        entries = dict(itertools.islice(self.manifest.items(), mark[0], None))
        return entries, self.written - mark[1]

    def merge(self, added: tuple[Manifest, int]) -> None:
        self.manifest.update(added[0])
        self.written += added[1]

    def read(self, relative: str) -> bytes:
        return (self.root / relative).read_bytes()

    def digest(self, relative: str) -> bytes:
        return self.manifest[relative][2]

    def finish(self) -> None:
        """Delete what the folder holds beyond the files added, and the folders left empty."""
        try:
            emptied: set[Path] = set()
            for relative in self.holds.keys() - self.manifest.keys() - {MARKER}:
                # A worker may have dropped it already (a file where a folder now goes).
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.root / relative)
                emptied.add((self.root / relative).parent)
            _prune(self.root, emptied)
            if MARKER not in self.holds:
                (self.root / MARKER).write_text(
                    "Made by pipeline build; replaced on every build.\n")
            self.root.chmod(0o755)
        except OSError as exc:
            self.abandon()
            raise self._failed(exc) from None

    def swap(self) -> None:
        """Put the folder in place of the output; the previous output becomes the spare."""
        try:
            _swap_in(self.root, self.output, self.spare)
        except OSError as exc:
            self.abandon()
            raise self._failed(exc) from None

    def abandon(self) -> None:
        """Give up: a new folder is deleted; a spare stays a spare (the next build scans it)."""
        if self.root != self.spare:
            shutil.rmtree(self.root, ignore_errors=True)

    def _failed(self, exc: OSError) -> OutputError:
        return OutputError(f"could not write {self.output}: {exc.strerror or exc}; the "
                           "previous output is unchanged")


def untouched(path: Path, known: tuple[int, int, bytes]) -> bool:
    """The file still has the size and modification time a manifest recorded for it."""
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_size, info.st_mtime_ns) == known[:2]


def _staging(output: Path, spare: Path | None, known: Manifest
             ) -> tuple[Path, dict[str, tuple[int, int, bytes] | None]]:
    """The folder to patch, and what each file in it holds: its manifest entry where the file
    is still as recorded, None where it is not (a build killed while patching, a hand edit)."""
    if spare is not None and spare.is_dir() and not spare.is_symlink() \
            and os.stat(spare.parent).st_dev == os.stat(output.parent).st_dev:
        found = _scan(spare)
        if found is not None:
            return spare, {path: known[path] if path in known and known[path][:2] == stat
                           else None for path, stat in found.items()}
        shutil.rmtree(spare, ignore_errors=True)  # something odd in it: start afresh
    return Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent)), {}


def _scan(root: Path) -> dict[str, tuple[int, int]] | None:
    """Size and modification time of every file under ``root``, by relative path; None if it
    holds anything but regular files and folders that hold something (the patch never leaves
    an empty one). About 16 ms for 3,300 files in 2,300 folders, which is what makes
    checking the whole spare on every build affordable."""
    found: dict[str, tuple[int, int]] = {}
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            empty = True
            for entry in entries:
                empty = False
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, relative + "/"))
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    found[relative] = (info.st_size, info.st_mtime_ns)
                else:
                    return None
            if empty and prefix:
                return None
    return found


def _prune(root: Path, folders: set[Path]) -> None:
    """Remove the folders that deleting files left empty (an article renamed or unpublished),
    and their parents that are then empty too."""
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        while folder != root and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _swap_in(staging: Path, output: Path, spare: Path | None) -> None:
    """Put ``staging`` in place of ``output`` in one step; the previous output becomes
    ``spare`` (or is deleted without one)."""
    if not output.exists():
        staging.rename(output)
        return
    if _exchange(staging, output):
        previous = staging  # it now holds the previous build
    else:
        previous = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
        previous.rmdir()
        output.rename(previous)
        staging.rename(output)
    if spare is None:
        shutil.rmtree(previous, ignore_errors=True)
    elif previous != spare:
        shutil.rmtree(spare, ignore_errors=True)
        previous.rename(spare)
