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
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
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


def write_tree(output: Path, files: dict[str, bytes], spare: Path | None = None,
               spare_manifest: Manifest | None = None) -> tuple[Manifest, int]:
    """Make a folder hold exactly ``files``, then swap it in place of ``output`` in one step.

    That folder is ``spare`` when it is given and usable: the tree of the build before the
    current one, described by ``spare_manifest``. Only the files whose bytes differ from what
    it holds are written (a one-article edit rewrites a few dozen files of thousands), and the
    previous output then becomes the spare. Without a usable spare the folder starts empty.
    Returns the new output's manifest and how many files were written.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    _recover(output)
    staging, holds = _staging(output, spare, spare_manifest or {})
    try:
        manifest, written = _patch(staging, files, holds)
        _swap_in(staging, output, spare)
    except OSError as exc:
        if staging != spare:
            shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"could not write {output}: {exc.strerror or exc}; the previous output "
                          "is unchanged") from None
    except BaseException:
        if staging != spare:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest, written


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


def _patch(root: Path, files: dict[str, bytes],
           holds: dict[str, tuple[int, int, bytes] | None]) -> tuple[Manifest, int]:
    """Delete what ``root`` holds beyond ``files``, then write each file it lacks or holds
    other bytes of. A file is written beside its place and renamed over it, never changed in
    place: a killed build leaves each file old or new, which the next scan sorts out."""
    wanted = {relative: safe_relative(relative) for relative in files}
    emptied: set[Path] = set()
    for relative in holds.keys() - wanted.keys() - {MARKER}:
        os.unlink(root / relative)
        emptied.add((root / relative).parent)
    _prune(root, emptied)
    made: set[Path] = {root}
    resolved = root.resolve()
    manifest: Manifest = {}
    written = 0
    for relative, data in sorted(files.items()):
        digest = digest_of(data)
        known = holds.get(relative)
        if known is not None and known[0] == len(data) and known[2] == digest:
            manifest[relative] = known
            continue
        target = root.joinpath(*wanted[relative].parts)
        if target.parent not in made:  # thousands of files share a few folders
            # Checked once per folder: a plain file name inside it cannot lead elsewhere.
            if not target.parent.resolve().is_relative_to(resolved):
                raise UsageError(f"refusing to write {relative!r} outside the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        info = target.stat()
        manifest[relative] = (info.st_size, info.st_mtime_ns, digest)
        written += 1
    if MARKER not in holds:
        (root / MARKER).write_text("Made by pipeline build; replaced on every build.\n")
    root.chmod(0o755)
    return manifest, written


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
