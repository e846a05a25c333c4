"""Issue 8 in a real browser: Debian's Chromium driven by Playwright (tests/browser.py), one
browser for the whole module. Skips locally without Chromium; fails under $CI instead.

The built archive is served by the standard library's static file server, the way any web
server would; the live preview by `pipeline serve`'s own server (in this process).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.build import build
from pipeline.config import STANDARD_DISCLAIMER, Config, SiteConfig
from tests.browser import has_horizontal_overflow, launched
from tests.helpers import write_article
from tests.test_serve import make_project as make_serve_project
from tests.test_serve import serving
from tests.test_site import make_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
RELOAD_WITHIN_MS = 2000  # the promise: an edit shows in the open tab within 2 s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched() as browser:
        yield browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """A folder on a local static server, the way any web server would serve it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                     daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The built archive of tests/test_site.py's project, on a local static server."""
    project = make_project(tmp_path_factory.mktemp("site"))
    output = project / "output"
    build(project / "articles", output, Config(site=SiteConfig(per_page=3)),
          today=dt.date(2026, 6, 1))
    root = output / "site"
    with served(root) as base:
        yield base, root


def page_urls(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)).removesuffix("index.html")
                  for p in root.rglob("*.html"))


def open_page(browser: Browser, url: str, width: int = 375, *, dark: bool = False
              ) -> tuple[Page, list[str]]:
    """A page with every console error and uncaught exception collected."""
    page = browser.new_page(viewport={"width": width, "height": 800},
                            color_scheme="dark" if dark else "light")
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page, errors


def check_pages_load_cleanly_and_fit(browser: Browser, base: str, paths: list[str]) -> None:
    """No console error or uncaught exception, no sideways scrolling and no broken image, on
    a phone and on a desktop."""
    for width in (375, 1280):
        page, errors = open_page(browser, base, width)
        for path in paths:
            page.goto(base + path, wait_until="load")
            assert errors == [], (path, width, errors)
            assert not has_horizontal_overflow(page), f"{path} scrolls sideways at {width} px"
            broken = page.evaluate(
                "[...document.images].filter(i => !i.complete || !i.naturalWidth).length")
            assert broken == 0, f"{path}: broken images"
        page.close()


def check_disclaimer_is_visible(browser: Browser, base: str, paths: list[str],
                                text: str = STANDARD_DISCLAIMER) -> None:
    """On each page, one paragraph of the main content shows the disclaimer, readably."""
    words = " ".join(text.split()[:12])
    page, _ = open_page(browser, base)
    for path in paths:
        page.goto(base + path, wait_until="load")
        paragraph = page.locator("main p", has_text=words)
        assert paragraph.count() == 1 and paragraph.is_visible(), path
        box = paragraph.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 20, path
        style = paragraph.evaluate("e => { const s = getComputedStyle(e); "
                                   "return [s.visibility, s.opacity, s.fontSize] }")
        assert style[0] == "visible" and float(style[1]) == 1 and float(style[2][:-2]) >= 12
    page.close()


def check_axe(browser: Browser, base: str, paths_by_width: list[tuple[int, list[str]]],
              dark: bool) -> None:
    """axe-core finds no serious or critical accessibility violation on any of the pages."""
    if not AXE.is_file():
        from tests.browser import require_tool

        require_tool("axe-core (npm)", "")
    for width, paths in paths_by_width:
        page, _ = open_page(browser, base, width, dark=dark)
        for path in paths:
            page.goto(base + path, wait_until="load")
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("async () => await axe.run()")
            serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                       for v in result["violations"] if v["impact"] in ("serious", "critical")]
            assert serious == [], (path, width, serious)
        page.close()


def test_every_page_loads_cleanly_and_fits_a_phone(browser: Browser,
                                                   site: tuple[str, Path]) -> None:
    base, root = site
    urls = page_urls(root)
    assert len(urls) > 10
    check_pages_load_cleanly_and_fit(browser, base, urls)


def test_disclaimer_is_visible_on_every_article_page(browser: Browser,
                                                     site: tuple[str, Path]) -> None:
    base, root = site
    articles = [path for path in page_urls(root)
                if path.count("/") == 1
                and path.split("/")[0] not in ("tags", "page", "newsletter")]
    assert len(articles) == 6
    check_disclaimer_is_visible(browser, base, articles)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_accessibility_violations(browser: Browser, site: tuple[str, Path],
                                                       dark: bool) -> None:
    base, _ = site
    every = ["", "page/2/", "with-images/", "post-1/", "tags/", "tags/sleep/", "404.html"]
    # Every kind of page on a phone; the colours of dark mode and the desktop layout on the
    # pages that differ most (the list, the article with images, table and code).
    check_axe(browser, base, [(375, every if not dark else ["", "with-images/", "tags/sleep/"]),
                              (1280, ["", "with-images/"])], dark)


def test_editing_an_article_updates_the_open_page(browser: Browser, tmp_path: Path) -> None:
    project = make_serve_project(tmp_path)
    with serving(project) as served:
        page, errors = open_page(browser, f"http://127.0.0.1:{served.port}/first-post/")
        heading = page.locator("h1")
        assert heading.inner_text() == "First post"
        started = time.monotonic()
        write_article(project / "articles", "first-post.md", title="Edited while open",
                      date="2026-01-05")
        page.wait_for_function("() => document.querySelector('h1').innerText === "
                               "'Edited while open'", timeout=RELOAD_WITHIN_MS)
        print(f"edit shown after {time.monotonic() - started:.2f} s")
        assert errors == []
        page.close()


def test_broken_article_shows_its_errors_and_a_fix_brings_the_page_back(
        browser: Browser, tmp_path: Path) -> None:
    project = make_serve_project(tmp_path)
    article = project / "articles" / "first-post.md"
    good = article.read_text()
    with serving(project) as served:
        page, errors = open_page(browser, f"http://127.0.0.1:{served.port}/first-post/")
        article.write_text(good.replace("**Disclaimer:**", "Disclaimer:").replace(
            "is not a substitute", "is a substitute"))
        overlay = page.locator("[data-pipeline-error]")
        overlay.wait_for(state="visible", timeout=RELOAD_WITHIN_MS)
        text = overlay.inner_text()
        assert "Build failed" in text and "first-post.md:" in text
        assert "disclaimer-altered" in text and "[-not-]" in text
        assert page.locator("h1").inner_text() == "First post", "the last good build stays"
        article.write_text(good.replace("Gentle movement", "Fixed gentle movement"))
        page.get_by_text("Fixed gentle movement").wait_for(timeout=RELOAD_WITHIN_MS)
        assert overlay.count() == 0
        assert errors == []
        page.close()


def test_newsletter_preview_in_the_browser(browser: Browser, tmp_path: Path) -> None:
    with serving(make_serve_project(tmp_path)) as served:
        page, errors = open_page(browser, f"http://127.0.0.1:{served.port}/_email/", 600)
        assert page.get_by_text("First post").first.is_visible()
        assert errors == []
        page.close()
