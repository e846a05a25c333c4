"""image-alt: every image needs text for readers who cannot see it; image: every local image
an article shows can be published.

``image`` has no check here: its findings come from reading the image files, which the build
does anyway to publish them (``pipeline.assets``), so they are made there, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.articles import Article
from pipeline.checks import Rule, article_rule, finding, register
from pipeline.checks.prose import prose_of
from pipeline.config import Config
from pipeline.findings import Finding, Severity

IMAGE_ALT = Rule(
    "image-alt", Severity.ERROR,
    "An image has no alt text (in the body, or 'image' in the front matter without "
    "'image_alt').",
    "Screen readers read an image's alt text aloud, and many email clients show it while "
    "images are blocked. Every body image needs it (![a description](photo.jpg)), and the "
    "front-matter 'image' needs 'image_alt'. Alt text that is only a file name or a word like "
    "'image' or 'photo' says nothing and is reported too. In raw HTML an explicit alt=\"\" "
    "marks a purely decorative image and is accepted.\n"
    "Fix: describe what the image shows in a short phrase, e.g. ![A therapist easing a "
    "client's shoulder](images/shoulder.jpg), or add 'image_alt: ...' below 'image:'.",
)

IMAGE = register(Rule(
    "image", Severity.ERROR,
    "An image the article shows cannot be published.",
    "Images named by the front matter 'image' key or in the body (![alt](path) or <img src>) "
    "with a relative path are copied into the web archive beside the article's page. The path "
    "is relative to the article file, must stay inside its folder (no '..', no leading '/', no "
    "symbolic links), must name an existing file, and the file must be a JPEG, PNG, GIF, WebP "
    "or AVIF image whose content matches its extension.\n"
    "Fix: put the image next to the article (e.g. articles/images/photo.jpg) and write "
    "'image: images/photo.jpg', or use a full https:// URL.",
    configurable=False,
))

_GENERIC_ALT = frozenset({
    "image", "photo", "picture", "img", "pic", "graphic", "alt", "alt text", "placeholder",
    "screenshot", "thumbnail", "banner", "figure", "icon", "untitled",
})
_FILE_NAME = re.compile(r"^[\w\- .]+\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.IGNORECASE)


def alt_problem(alt: str | None, *, html: bool = False) -> str | None:
    if alt is None:
        return "image has no alt attribute: add alt=\"a short description\""
    text = " ".join(alt.split())
    if not text:
        if html and alt == "":
            return None  # alt="" deliberately marks a decorative image
        return "image has no alt text: describe it, e.g. ![A walker on a hill path](...)"
    if text.lower().strip(".") in _GENERIC_ALT or _FILE_NAME.match(text):
        return f"alt text '{text}' does not describe the image: say what it shows"
    return None


@article_rule(IMAGE_ALT)
def check_image_alt(article: Article, config: Config) -> Iterator[Finding]:
    if article.image:
        problem = None
        if not (article.image_alt or "").strip():
            problem = (f"the front-matter image '{article.image}' has no 'image_alt': add a "
                       "line 'image_alt: what the image shows'")
        else:
            problem = alt_problem(article.image_alt)
        if problem:
            line = article.key_lines.get("image_alt" if article.image_alt else "image", 1)
            yield finding(article, IMAGE_ALT, line, 1, problem)
    for block in prose_of(article).body_blocks:
        for image in block.images:
            problem = alt_problem(image.alt, html=image.kind == "html")
            if problem:
                line, col = block.source_position(image.start)
                end_line, end_col = block.source_end_position(image.end)
                yield finding(article, IMAGE_ALT, line, col, problem, end_line=end_line,
                              end_col=end_col)
