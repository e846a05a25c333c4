"""Images that articles reference, checked in the articles folder for the web archive.

Renderers never read files: an image is checked here (its first bytes), and read only when
the build writes it (``Asset.read``).
A path is resolved against the article's own folder, the way a Markdown editor's preview
resolves it, and lands beside the article's page: ``articles/2026/images/a.png`` named as
``images/a.png`` by ``articles/2026/post.md`` becomes ``<slug>/images/a.png`` under the web
root, which is exactly where the page's relative ``src`` (and ``image_url``) points.

Nothing outside the article's folder is ever read: ``..``, absolute paths, symbolic links
and anything that is not a regular file are refused with a finding (rule ``image``, in
pipeline.checks.image_rules) naming file and line.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from pipeline.articles import Article
from pipeline.checks import finding
from pipeline.checks.image_rules import IMAGE
from pipeline.findings import Finding

# Extension -> magic-byte test. SVG is left out on purpose: it can carry script, and the
# archive is served from the publication's own origin.
_SIGNATURES = {
    ".jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    ".jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    ".png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    ".gif": lambda head: head[:6] in (b"GIF87a", b"GIF89a"),
    ".webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    ".avif": lambda head: head[4:12] in (b"ftypavif", b"ftypavis"),
}


@dataclass(frozen=True)
class Asset:
    """An image to publish: its file and size (a feed's enclosure gives the size). The bytes
    are read when the build writes it, one image at a time: an archive of photos is never
    held in memory."""

    source: Path
    size: int
    # Its bytes' digest as the build read them (``output.digest_of``): known, the build takes
    # the file from the previous output instead of reading and writing it again.
    digest: bytes | None = None

    def read(self) -> bytes:
        return self.source.read_bytes()


@dataclass
class Assets:
    files: dict[str, Asset] = field(default_factory=dict)  # by web-root path
    findings: list[Finding] = field(default_factory=list)


def local_path(src: str) -> PurePosixPath | None:
    """The file path a relative image source names, or None for URLs served by others."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return PurePosixPath(unquote(parts.path))


def _problem(relative: PurePosixPath, raw: str, folder: Path) -> str | None:
    if raw.startswith(("/", "\\")) or relative.is_absolute():
        return "is an absolute path; write it relative to the article file"
    if ".." in relative.parts or "\\" in raw or "\x00" in raw:
        return "leaves the article's folder ('..' or '\\'); move the image beside the article"
    if not relative.parts:
        return "names no file"
    current = folder
    for part in relative.parts:
        current = current / part
        try:
            info = os.lstat(current)
        except OSError:
            return "does not exist; check the file name and folder (names are case-sensitive)"
        if stat.S_ISLNK(info.st_mode):
            return "is (or passes through) a symbolic link; copy the file there instead"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    suffix = relative.suffix.lower()
    if suffix == ".svg":
        return "is an SVG, which can carry script; export it as PNG or WebP"
    if suffix not in _SIGNATURES:
        return "is not a supported image type; use .jpg, .png, .gif, .webp or .avif"
    return None


def collect(articles: list[Article]) -> Assets:
    """Read every local image the articles reference; findings for the ones that cannot be."""
    result = Assets()
    for article in articles:
        folder = article.path.parent
        seen: set[PurePosixPath] = set()
        for src, line in article.image_references():
            relative = local_path(src)
            if relative is None or relative in seen:
                continue
            seen.add(relative)
            problem = _problem(relative, unquote(src), folder)
            head, size = b"", 0
            source = folder.joinpath(*relative.parts)
            if problem is None:
                try:
                    with source.open("rb") as stream:
                        head, size = stream.read(16), os.fstat(stream.fileno()).st_size
                except OSError as exc:
                    problem = f"cannot be read ({exc.strerror})"
            if problem is None and not _SIGNATURES[relative.suffix.lower()](head):
                problem = f"is not a {relative.suffix.lower()[1:].upper()} file (its content " \
                          "does not match the extension); re-export it"
            if problem:
                result.findings.append(finding(article, IMAGE, line, 1, f"image '{src}' {problem}"))
                continue
            result.files[f"{article.slug}/{'/'.join(relative.parts)}"] = Asset(source, size)
    return result
