"""Renderers: one module per output kind. Each takes a ``RenderContext`` and yields the files it
makes, one ``(relative path, bytes)`` at a time (or a ``Stored`` file an earlier build made
from the same inputs); none of them reads articles or config files itself.
Each also declares, in ``proofs``, how pipeline.verify reads its files back to prove they
carry the disclaimers (see ``proof``)."""

from __future__ import annotations

import importlib
from types import ModuleType

# Every output kind, in the order a build renders them: the site last, since its pages
# announce the feeds the build made. The build and the proofs both go through this list, so
# a new kind cannot ship files that nothing checks.
KINDS = ("email", "feeds", "social", "site")


def renderers() -> list[ModuleType]:
    return [importlib.import_module(f"pipeline.render.{kind}") for kind in KINDS]
