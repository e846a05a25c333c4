"""Per-file results of the last ``pipeline check``, so a re-run checks only what changed.

An entry is used only when the file's stat signature (size, modification and change times
in nanoseconds, inode, device) is the one recorded, and the pipeline's code and the
configuration are those of the run that made it; anything else means checking the file
again. The change time cannot be set by tools that copy or restore files, so an edit always
shows. A file changed within ``RACY_SECONDS`` before a run is not recorded: a second edit in
the same clock tick could leave its signature unchanged (git's "racy" index entries).

Findings of the image rule are never cached: they depend on image files, not the article.
The cache is an optimisation only: a missing, corrupt or unwritable file costs time, never a
finding. It lives in ``.pipeline-cache/check.pickle`` in the project folder.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from pipeline.articles import LoadResult
from pipeline.cache import CACHE_DIR, digest, package_fingerprint, read_pickle, write_atomically
from pipeline.checks import ArticleReport
from pipeline.config import Config

Entry = tuple[LoadResult, ArticleReport]
Signature = tuple[int, int, int, int, int]
RACY_SECONDS = 2


def signature(path: Path) -> Signature | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev


class CheckCache:
    def __init__(self, path: Path, config: Config) -> None:
        self.path = path
        self.header = digest(package_fingerprint(), config.model_dump_json())
        self.started_ns = time.time_ns()
        self._old: dict[str, tuple[Signature, Entry]] = {}
        self._new: dict[str, tuple[Signature, Entry]] = {}
        self._signatures: dict[Path, Signature | None] = {}
        stored, _damage = read_pickle(path, tuple)
        if stored is not None and len(stored) == 2 and stored[0] == self.header:
            self._old = stored[1]

    @classmethod
    def in_folder(cls, folder: Path, config: Config) -> CheckCache:
        return cls(folder / CACHE_DIR / "check.pickle", config)

    def _key(self, path: Path) -> str:
        return os.path.abspath(path)

    def lookup(self, paths: list[Path]) -> dict[Path, Entry]:
        """The recorded results of the files that did not change."""
        found: dict[Path, Entry] = {}
        for path in paths:
            current = self._signatures[path] = signature(path)
            known = self._old.get(self._key(path))
            if current is not None and known is not None and known[0] == current \
                    and known[1][0].display_path == str(path):
                found[path] = known[1]
        return found

    def record(self, path: Path, entry: Entry) -> None:
        current = self._signatures.get(path) or signature(path)
        if current is None:
            return
        newest = max(current[1], current[2])
        if self.started_ns - newest < RACY_SECONDS * 1_000_000_000:
            return  # just edited: its signature may not change with its next edit
        self._new[self._key(path)] = (current, entry)

    def save(self) -> None:
        """Keep every entry still valid (files checked in other runs too), add the new ones."""
        if not self._new:
            return  # nothing new: a re-run writes nothing
        merged: dict[str, Any] = {key: value for key, value in self._old.items()
                                  if key not in self._new and os.path.exists(key)}
        merged.update(self._new)
        # A read-only checkout (CI) cannot keep it: checking is slower next time, nothing else.
        with contextlib.suppress(OSError):
            write_atomically(self.path, (self.header, merged))
