"""An article's body (its HTML and visible text blocks), kept in the build's cache.

The body is most of what the renderers know of an article. Views hold it in memory for a
build without a cache; with one, each body waits in a signed file of the cache until a
renderer needs it, so the views of a whole archive stay small.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from pipeline.markup import Block


class CacheDamaged(Exception):
    """A body the cache names cannot be read back: the build starts again without the cache."""


class Body:
    """An article's HTML and visible text blocks: most of its view's size. Held here, or,
    in a build with a cache, in a signed file of the cache (``Body.folder``), read when a
    renderer needs it: the views of a 10,000-article archive then fit in a few megabytes,
    where their bodies took 250 MB."""

    __slots__ = ("_content", "key")
    folder: ClassVar[Path | None] = None  # where this process's builds keep bodies

    def __init__(self, html: str = "", blocks: tuple[Block, ...] = ()) -> None:
        self.key: bytes | None = None
        self._content: tuple[str, tuple[Block, ...]] | None = (html, blocks)

    @classmethod
    def stored(cls, key: bytes) -> Body:
        body = cls.__new__(cls)
        body.key, body._content = key, None
        return body

    @classmethod
    def keep(cls, html: str, blocks: tuple[Block, ...]) -> Body:
        """In ``Body.folder`` if there is one, else in memory."""
        if cls.folder is None:
            return cls(html, blocks)
        from pipeline.cache import digest, write_atomically

        key = digest(html, blocks)
        path = cls.folder / key.hex()
        if not path.exists():
            write_atomically(path, (html, blocks))
        return cls.stored(key)

    @property
    def content(self) -> tuple[str, tuple[Block, ...]]:
        if self._content is not None:
            return self._content
        assert self.key is not None
        return _read_body(self.key)

    def __reduce__(self) -> tuple[object, ...]:
        if self.key is not None:
            return Body.stored, (self.key,)
        return Body, self.content

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Body) and (
            self.key == other.key if self.key is not None and other.key is not None
            else self.content == other.content)

    def __hash__(self) -> int:
        return hash(self.key if self.key is not None else self.content[0])


@lru_cache(maxsize=64)  # an article's page, posts and feed entry read it in turn
def _read_body(key: bytes) -> tuple[str, tuple[Block, ...]]:
    from pipeline.cache import read_pickle

    if Body.folder is None:
        raise CacheDamaged("no folder of article bodies")
    value, _warning = read_pickle(Body.folder / key.hex(), tuple)
    if value is None or len(value) != 2:
        raise CacheDamaged(f"article body {key.hex()} is missing from {Body.folder}")
    return value
