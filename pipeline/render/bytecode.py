"""Jinja's compiled templates kept between runs, signed like every cache file."""

from __future__ import annotations

import contextlib
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache

from pipeline.cache import read_signed, write_signed


class SignedBytecode(BytecodeCache):
    """Loading compiled code runs it, so a file planted in the cache folder (committed to a
    repository for CI, say) is never loaded: each is signed with this user's cache key.
    Jinja itself drops code compiled from another version of the template or by another
    Python (the bucket's checksum and magic)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: Bucket) -> None:
        data = read_signed(self.folder / bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a cache, never a reason to fail
            write_signed(self.folder / bucket.key, bucket.bytecode_to_string())
