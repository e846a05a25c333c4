"""`pipeline preview`: screenshots of the built newsletter at phone and desktop widths.

Playwright drives the system's Chromium (Debian's ``chromium`` package): nothing is
downloaded. The screenshots go next to the HTML they show, in the build's output folder, so
the next build removes them with the rest and a stale picture never outlives its email.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from pipeline.errors import UsageError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

WIDTHS = (375, 600)
CHROMIUM_ENV = "PIPELINE_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking"]
# True when the page is wider than the window: the reader would have to scroll sideways.
OVERFLOW_JS = "document.documentElement.scrollWidth > window.innerWidth"


def find_chromium() -> str | None:
    """The Chromium to drive: $PIPELINE_CHROMIUM, else the first one on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block; UsageError when there is none."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise UsageError("previews need Playwright: pip install 'wellness-pipeline[preview]'"
                         ) from None
    executable = find_chromium()
    if executable is None:
        raise UsageError("previews need Chromium: install Debian's package (apt-get install "
                         f"chromium) or set {CHROMIUM_ENV} to a Chromium executable")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "no details"
            raise UsageError(f"could not start Chromium ({executable}): {first_line}") from None
        try:
            yield browser
        finally:
            browser.close()


def _local_file(url: str, serve: dict[str, Path]) -> Path | None:
    """The file under a served folder that a URL names, never one outside that folder."""
    for prefix, folder in serve.items():
        if url.startswith(prefix):
            relative = unquote(urlsplit(url).path[len(urlsplit(prefix).path):])
            root = folder.resolve()
            candidate = (root / relative).resolve()
            if candidate.is_relative_to(root) and candidate.is_file():
                return candidate
    return None


def open_page(browser: Browser, html_path: Path, width: int, *, dark: bool = False,
              height: int = 800, serve: dict[str, Path] | None = None) -> Page:
    """A page of the given width showing a local HTML file. The network is cut off, so a
    remote image or font can neither slow the page nor tell anyone it was opened; URLs under
    a ``serve`` prefix (the site's own images, say) are answered from the local folder."""
    page = browser.new_page(viewport={"width": width, "height": height},
                            color_scheme="dark" if dark else "light")

    def answer(route: Route) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        elif (local := _local_file(url, serve or {})) is not None:
            route.fulfill(path=str(local))
        else:
            route.abort()

    page.route("**/*", answer)
    page.goto(html_path.resolve().as_uri(), wait_until="load")
    return page


@dataclass(frozen=True)
class Shot:
    width: int
    dark: bool
    path: Path
    overflows: bool


def screenshots(html_path: Path, dest: Path, *, dark: bool = False,
                serve: dict[str, Path] | None = None) -> list[Shot]:
    """Full-page PNGs of ``html_path`` at each of WIDTHS (and in dark mode when asked)."""
    if not html_path.is_file():
        raise UsageError(f"{html_path} not found: run `pipeline build` first")
    dest.mkdir(parents=True, exist_ok=True)
    shots = []
    with chromium() as browser:
        for scheme in (False, True) if dark else (False,):
            for width in WIDTHS:
                page = open_page(browser, html_path, width, dark=scheme, serve=serve)
                path = dest / f"preview-{width}{'-dark' if scheme else ''}.png"
                overflows = bool(page.evaluate(OVERFLOW_JS))
                page.screenshot(path=str(path), full_page=True)
                page.close()
                shots.append(Shot(width, scheme, path, overflows))
    return shots
