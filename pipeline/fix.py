"""``pipeline check --fix``: append the configured disclaimer to articles that lack one.

Only an article with a ``disclaimer-missing`` finding is touched; one with a reworded
(``disclaimer-altered``) disclaimer never is, because which wording is right is an editor's
call. The new file is written beside the old one, checked to carry the disclaimer, then
renamed over it, so a crash leaves either the old file or the new one, never half of one.
Line endings and a byte-order mark are kept as they were.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.articles import LoadResult, load_article
from pipeline.checks import disclaimer_rules
from pipeline.config import Config
from pipeline.findings import Finding

_LABEL = re.compile(r"^\W*(?:medical\s+|health\s+|important\s+)?disclaimer\b", re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    path: Path
    message: str
    changed: bool


def disclaimer_paragraph(text: str) -> str:
    """The paragraph to append: the text under a bold label, unless it has its own label."""
    return text if _LABEL.match(text) else f"**Disclaimer:** {text}"


def appended(raw: bytes, paragraph: str) -> bytes:
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    body = raw
    if body and not body.endswith(b"\n"):
        body += newline
    if body.strip() and not body.endswith(newline * 2):
        body += newline  # a blank line, so the disclaimer is a paragraph of its own
    return body + paragraph.encode("utf-8") + newline


def write_atomically(path: Path, data: bytes, accept: Callable[[Path], bool]) -> bool:
    """Write ``data`` over ``path`` via a hidden file beside it, if ``accept(hidden file)``.

    The hidden name starts with a dot, so a check running at the same time skips it.
    """
    target = path.resolve()  # replace the file a symlink points at, not the link
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".md.tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        if not accept(Path(temp_name)):
            Path(temp_name).unlink()
            return False
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


def fix_missing_disclaimers(results: list[LoadResult], findings: list[Finding],
                            config: Config) -> list[Change]:
    """Append the disclaimer to each article with a ``disclaimer-missing`` finding."""
    missing = {f.path for f in findings if f.rule == "disclaimer-missing"}
    altered = {f.path for f in findings if f.rule == "disclaimer-altered"}
    changes = []
    for result in results:
        if result.display_path not in missing or result.article is None:
            continue
        path = result.path
        if result.display_path in altered:
            changes.append(Change(path, "left alone: it has a reworded disclaimer", False))
            continue
        disclaimer_id = result.article.disclaimer_id
        text = config.disclaimers[disclaimer_id].text
        try:
            new = appended(path.read_bytes(), disclaimer_paragraph(text))
            if not write_atomically(path, new, lambda probe, t=text: _carries(probe, t, config)):
                changes.append(Change(path, "left alone: appending the disclaimer would not "
                                            "make it readable (is a code block left open at "
                                            "the end?)", False))
                continue
        except OSError as exc:
            changes.append(Change(path, f"could not be fixed: {exc.strerror or exc}", False))
            continue
        changes.append(Change(path, f"appended the '{disclaimer_id}' disclaimer", True))
    return changes


def _carries(probe: Path, text: str, config: Config) -> bool:
    """Whether the new content, loaded like any article, shows the disclaimer."""
    loaded = load_article(probe, config)
    if loaded.article is None:
        return False
    return disclaimer_rules.inspect(loaded.article, text).present
