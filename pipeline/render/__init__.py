"""Renderers: one module per output kind. Each takes a ``RenderContext`` and yields the files it
makes, one ``(relative path, bytes)`` at a time (or a ``Stored`` file an earlier build made
from the same inputs), from two generators: ``render_articles(ctx, share)``, the files of
each article in ``share`` alone (a build runs it in worker processes), and ``render(ctx)``,
the files of the whole publication. None of them reads articles or config files itself, or
another kind's files.
Each also declares, in ``proofs``, how pipeline.verify reads its files back to prove they
carry the disclaimers (see ``proof``)."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.output import Stored
    from pipeline.render.context import RenderContext

# Every output kind. The build and the proofs both go through this list, so a new kind cannot
# ship files that nothing checks.
KINDS = ("email", "feeds", "social", "site")


def renderers() -> list[ModuleType]:
    return [importlib.import_module(f"pipeline.render.{kind}") for kind in KINDS]


def every_file(renderer: ModuleType, ctx: RenderContext
               ) -> Iterator[tuple[str, bytes | Stored]]:
    """Every file of one kind, in this process: each article's, then the publication's
    (a build spreads the articles' files over its workers instead)."""
    files = {path: data if isinstance(data, bytes) else data.make()
             for path, data in renderer.render_articles(ctx, range(len(ctx.articles)))}
    yield from files.items()
    yield from renderer.render(dataclasses.replace(ctx, written=_Files(files)))


class _Files(dict[str, bytes]):
    def read(self, relative: str) -> bytes:
        return self[relative]

    def digest(self, relative: str) -> bytes:
        from pipeline.output import digest_of

        return digest_of(self[relative])
