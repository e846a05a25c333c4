"""Writing a build: everything into a temporary folder beside the output, then one swap.

A failed or interrupted build therefore never leaves a half-written output folder, and no
path a renderer returns can land outside the output folder.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
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


def write_tree(output: Path, files: dict[str, bytes],
               reuse: Callable[[str, bytes], Path | None] | None = None) -> None:
    """Write every file into a fresh folder, then swap it in place of ``output``.

    ``reuse(path, data)`` may name a file of the current output that already holds exactly
    ``data``: it is hard-linked instead of written again (much faster for a large archive).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    _recover(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
    made: set[Path] = {staging}
    root = staging.resolve()
    try:
        for relative, data in sorted(files.items()):
            target = staging.joinpath(*safe_relative(relative).parts)
            if target.parent not in made:  # thousands of files share a few folders
                # Checked once per folder: a plain file name inside it cannot lead elsewhere.
                if not target.parent.resolve().is_relative_to(root):
                    raise UsageError(f"refusing to write {relative!r} outside the output folder")
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            same = reuse(relative, data) if reuse is not None else None
            if same is not None:
                try:
                    os.link(same, target)
                    continue
                except OSError:
                    pass  # another file system, or links not allowed: write it instead
            target.write_bytes(data)
        (staging / MARKER).write_text("Made by pipeline build; replaced on every build.\n")
        staging.chmod(0o755)
        _swap_in(staging, output)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"could not write {output}: {exc.strerror or exc}; the previous output "
                          "is unchanged") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap_in(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the previous build
        return
    old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    old.rmdir()
    output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)
