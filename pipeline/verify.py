"""Proof, after rendering, that every artifact a reader sees carries its articles' disclaimers.

Templates are user-editable, so a template that drops the disclaimer must fail the build
rather than ship. Each renderer declares in its ``proofs`` how each of its files is read back,
the way a reader's client would see it, and which articles it must cover
(pipeline.render.proof); this module gathers those proofs and runs them over the files as
written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from pipeline.errors import ArtifactError
from pipeline.render.context import RenderContext
from pipeline.render.proof import Proofs, Scope


def proofs(files: Collection[str], ctx: RenderContext) -> Proofs:
    """Which check reads which artifact, and which articles that artifact must cover."""
    from pipeline.render import renderers

    table: Proofs = {}
    for renderer in renderers():
        table.update(renderer.proofs(files, ctx))
    return table


def verify_artifacts(files: Mapping[str, bytes], ctx: RenderContext) -> None:
    """``prove`` for files held in memory."""
    from pipeline.output import digest_of

    prove({path: (len(data), 0, digest_of(data)) for path, data in files.items()}, ctx,
          files.__getitem__)


def prove(written: Mapping[str, tuple[int, int, bytes]], ctx: RenderContext,
          read: Callable[[str], bytes]) -> None:
    """Raise ArtifactError naming every artifact that lacks a disclaimer it must carry.

    ``written`` holds each file's size, modification time and digest, ``read`` its bytes as
    written. A file whose bytes an earlier build already proved (same path, same digest,
    same articles to cover) is not read again: ``ctx.memo`` remembers the proof.
    """
    from pipeline.cache import digest

    problems = []
    coverage: dict[Scope, bytes] = {}
    for path, (verifier, scope) in sorted(proofs(written, ctx).items()):
        if path not in written:
            continue
        scoped = scope(ctx)
        if scope not in coverage:
            # Digested once: thousands of artifacts share the whole-site scope, and hashing
            # its 1,000 disclaimers into each one's key cost 0.3 s per 1,000-article build.
            coverage[scope] = digest(tuple((a.slug, a.url, a.disclaimer)
                                           for a in scoped.articles))
        found = ctx.memo(("verified", path, written[path][2], coverage[scope]),
                         lambda verifier=verifier, path=path, scoped=scoped:
                         tuple(verifier(read(path), scoped)))
        problems += [f"{path}: missing {what}" for what in found or []]
    if problems:
        raise ArtifactError(
            "a template dropped the medical disclaimer; nothing was written:\n  "
            + "\n  ".join(problems))
