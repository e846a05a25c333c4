"""Issue 16: every page of the web archive is valid HTML by the standard's own validator, the Nu
HTML Checker (vnu-jar from npm, run with Java from Debian's default-jre-headless; both
installed by scripts/system-deps). Skips locally without them; fails under $CI instead.

The email's HTML is exempt: Outlook needs markup and CSS the standard does not allow.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import subprocess
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.config import Config, SiteConfig
from tests.browser import require_tool
from tests.test_site import make_project

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TODAY = dt.date(2026, 6, 1)

# Every .html file under the web root is validated, whatever writes it. Each kind of page named
# here must also be among them, so that a page that stops being written cannot pass by absence.
# The hook for newsletter archive pages: add their pattern here once the site writes them.
REQUIRED_PAGES = {
    "index": "index.html",
    "index, later page": "page/2/index.html",
    "article": "post-1/index.html",
    "article with images, table and code": "with-images/index.html",
    "tag list": "tags/index.html",
    "tag": "tags/sleep/index.html",
    "tag, later page": "tags/sleep/page/2/index.html",
    "404": "404.html",
}


def vnu_command() -> list[str]:
    java = require_tool("java", hint="scripts/system-deps (Debian's default-jre-headless)")
    if not VNU.is_file():
        require_tool("vnu-jar (npm)", "")
    return [java, "-jar", str(VNU)]


def validate(files: list[Path]) -> list[dict[str, object]]:
    """The checker's messages about these files (HTML, and CSS for .css files)."""
    result = subprocess.run([*vnu_command(), "--format", "json", "--also-check-css",
                             *map(str, files)], capture_output=True, text=True, timeout=300,
                            check=False)
    # Its report goes to stderr; exit status 1 means "errors found", anything else a failure.
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return json.loads(result.stderr)["messages"]


def errors(messages: list[dict[str, object]]) -> list[str]:
    """Errors (and files it could not read); warnings and information are allowed."""
    return [f"{str(m.get('url', '')).rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: "
            f"{m.get('message')}" for m in messages if m.get("type") != "info"]


@pytest.fixture(scope="module")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/test_site.py's project (posts, tags with hostile names, images, a table, code),
    three articles a page so that the index and tags have later pages."""
    vnu_command()  # skip before building if the checker is missing
    project = make_project(tmp_path_factory.mktemp("html-standard"))
    build(project / "articles", project / "output", Config(site=SiteConfig(per_page=3)),
          today=TODAY)
    return project / "output" / "site"


def site_files(root: Path) -> list[Path]:
    return sorted([*root.rglob("*.html"), *root.rglob("*.css")])


def test_every_page_of_the_archive_is_valid_html(web_root: Path) -> None:
    files = site_files(web_root)
    pages = [str(path.relative_to(web_root)) for path in files]
    missing = {kind: pattern for kind, pattern in REQUIRED_PAGES.items()
               if not fnmatch.filter(pages, pattern)}
    assert missing == {}
    assert errors(validate(files)) == []


def test_the_bundled_articles_build_valid_pages(tmp_path: Path) -> None:
    vnu_command()
    output = tmp_path / "output"
    build(REPO / "articles", output, Config(), today=dt.date(2099, 1, 1))  # all published
    files = site_files(output / "site")
    assert len([path for path in files if path.parent.parent == output / "site"]) >= 5
    assert errors(validate(files)) == []


def test_the_checker_reports_what_it_should(web_root: Path, tmp_path: Path) -> None:
    """The oracle can fail: the favicon as it was (a data: URL with raw spaces) is an error."""
    page = (web_root / "404.html").read_text(encoding="utf-8")
    old_favicon = page.replace("%3Csvg%20xmlns=", "%3Csvg xmlns=", 1)
    assert old_favicon != page
    (tmp_path / "old.html").write_text(old_favicon, encoding="utf-8")
    found = errors(validate([tmp_path / "old.html"]))
    assert len(found) == 1 and "Space is not allowed" in found[0], found


def test_the_golden_publication_is_valid_html() -> None:
    """tests/fixtures/golden/expected/: Unicode titles and tags, images, a second disclaimer
    and an overridden 404 page, as committed."""
    root = REPO / "tests" / "fixtures" / "golden" / "expected" / "site"
    files = site_files(root)
    assert {"index.html", "404.html", "tags/index.html", "shiatsu-gentle-pressure/index.html",
            "tags/massage/page/2/index.html"} <= {str(p.relative_to(root)) for p in files}
    assert errors(validate(files)) == []
