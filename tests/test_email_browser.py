"""The newsletter as a reader sees it: rendered by headless Chromium at phone and desktop
widths, in light and dark mode."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pipeline.render.site import SITE_DIR
from tests.browser import has_horizontal_overflow, launched, open_page
from tests.test_email import ARTICLES, build_newsletter

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DISCLAIMER_START = "This article is for general information only"
# A title with a word longer than a phone is wide: it must wrap, not widen the email.
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-other-very-long-words"

# WCAG contrast of an element's text against the first opaque background behind it.
CONTRAST_JS = """element => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => v / 255).map(
      v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = element, bg = null;
  while (node && node.nodeType === 1) {
    const value = rgb(getComputedStyle(node).backgroundColor);
    if (value.length === 3 || (value.length === 4 && value[3] > 0)) { bg = value; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const fg = rgb(getComputedStyle(element).color);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {ratio: (a + 0.05) / (b + 0.05), background: lum(bg)};
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched() as browser:
        yield browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    articles = [*ARTICLES, ("long.md", f"Why {LONG_WORD} matter", "2026-09-01", "")]
    return build_newsletter(tmp_path_factory.mktemp("browser"), """
[site]
logo = "logo.png"
[newsletter]
max_articles = 10
""", articles=articles)


@pytest.mark.parametrize("width", [375, 600])
def test_fits_the_screen_and_shows_the_disclaimer(browser: Browser, built: Path,
                                                  width: int) -> None:
    page = open_page(browser, built / "newsletter.html", width)
    assert not has_horizontal_overflow(page)
    disclaimer = page.get_by_text(DISCLAIMER_START)
    assert disclaimer.count() == 1
    assert disclaimer.is_visible()
    box = disclaimer.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    font_size = float(disclaimer.evaluate("e => getComputedStyle(e).fontSize").rstrip("px"))
    assert font_size >= 12
    page.close()


@pytest.mark.parametrize(("width", "card_width"), [(375, 375), (600, 600)])
def test_one_column_full_width_on_a_phone_600px_on_desktop(browser: Browser, built: Path,
                                                           width: int, card_width: int) -> None:
    page = open_page(browser, built / "newsletter.html", width)
    buttons = page.get_by_role("link", name="Read more")
    assert buttons.count() == 4
    boxes = [buttons.nth(i).bounding_box() for i in range(4)]
    assert len({round(box["x"]) for box in boxes if box}) == 1  # stacked: one column
    titles = page.locator("h2")
    lefts = [titles.nth(i).bounding_box()["x"] for i in range(4)]  # type: ignore[index]
    cards = page.locator("h2").first.evaluate(
        "e => e.closest('table[role=presentation]').closest('div').getBoundingClientRect().width")
    assert abs(cards - card_width) <= 1
    assert all(left == lefts[0] for left in lefts)
    page.close()


def test_wide_desktop_window_keeps_the_email_600px(browser: Browser, built: Path) -> None:
    page = open_page(browser, built / "newsletter.html", 1200)
    width = page.locator("h1").evaluate(
        "e => e.closest('table[role=presentation]').closest('div').getBoundingClientRect().width")
    assert width == 600
    page.close()


@pytest.mark.parametrize("dark", [False, True])
def test_text_stays_readable_in_light_and_dark_mode(browser: Browser, built: Path,
                                                    dark: bool) -> None:
    page = open_page(browser, built / "newsletter.html", 375, dark=dark)
    samples = {
        "disclaimer": page.get_by_text(DISCLAIMER_START),
        "summary": page.get_by_text("Small breaks and a better screen height may ease neck "
                                    "ache.", exact=True),
        "title": page.locator("h2 a").first,
        "unsubscribe": page.get_by_role("link", name="Unsubscribe"),
        "button": page.get_by_role("link", name="Read more").first,
    }
    for name, locator in samples.items():
        result = locator.evaluate(CONTRAST_JS)
        assert result["ratio"] >= 4.5, (name, dark, result)
    body = page.get_by_text(DISCLAIMER_START).evaluate(CONTRAST_JS)
    assert (body["background"] < 0.05) if dark else (body["background"] > 0.8)
    page.close()


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    rows = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0,
                                                                0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_site_images_come_from_the_build_and_nothing_from_the_network(
        browser: Browser, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "photo.png").write_bytes(_png(40, 20))
    articles = [("local.md", "A local picture", "2026-11-01",
                 "image: images/photo.png\nimage_alt: Shoulders at rest"),
                ("remote.md", "A remote picture", "2026-10-01",
                 "image: https://cdn.example.org/x.png\nimage_alt: Remote")]
    out = build_newsletter(tmp_path, articles=articles)
    page = open_page(browser, out / "newsletter.html", 600,
                     serve={"https://example.com/": out.parent / SITE_DIR})
    loaded = page.evaluate("""() => Object.fromEntries([...document.images].map(
        img => [img.alt, img.naturalWidth]))""")
    assert loaded == {"Shoulders at rest": 40, "Remote": 0}
    page.close()
