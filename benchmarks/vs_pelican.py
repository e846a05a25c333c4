"""Pelican 4.12, side by side: its own venv, the corpus in its metadata format, minimal settings.

Pelican reads Markdown metadata as ``Key: value`` lines (the Markdown "meta" format); YAML
front matter would need a plugin, so the corpus is converted. Settings are Pelican's defaults
(notmyidea theme, category and author feeds) plus what a comparable site needs: all-articles
Atom and RSS feeds, per-tag Atom and RSS feeds, pages of 10 like ours, and the content cache.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "pelican-requirements.txt"
CACHE = "cache"  # Pelican's CACHE_PATH, relative to its project folder
SETTINGS = f'''\
AUTHOR = "The Editors"
SITENAME = "Wellness Notes"
SITEURL = "https://example.com"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{{slug}}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{{slug}}.rss.xml"
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "{CACHE}"
'''


def ensure_venv(folder: Path) -> Path:
    """Pelican's own venv (never the project's); created once, reused while the pins match."""
    stamp = folder / ".installed"
    pins = REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.exists() and stamp.read_text(encoding="utf-8") == pins:
        return folder / "bin" / "pelican"
    print(f"  installing Pelican into {folder} ...", file=sys.stderr, flush=True)
    shutil.rmtree(folder, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    result = subprocess.run(
        [folder / "bin" / "python", "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", "-r", REQUIREMENTS],
        capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"could not install Pelican:\n{result.stdout}{result.stderr}")
    stamp.write_text(pins, encoding="utf-8")
    return folder / "bin" / "pelican"


def version(pelican: Path) -> str:
    out = subprocess.run([pelican, "--version"], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def convert(article: str, slug: str) -> str:
    """One corpus article (YAML front matter) as a Pelican Markdown file."""
    _, front, body = article.split("---\n", 2)
    meta = yaml.safe_load(front)
    date = meta["date"]
    lines = [
        f"Title: {meta['title']}",
        f"Date: {date.isoformat() if isinstance(date, dt.date) else date}",
        f"Author: {meta['author']}",
        f"Summary: {meta['summary']}",
        f"Tags: {', '.join(meta['tags'])}",
        f"Slug: {slug}",
        f"Image: {meta['image']}",
    ]
    return "\n".join(lines) + "\n" + body


def make_project(corpus: Path, project: Path) -> None:
    shutil.rmtree(project, ignore_errors=True)
    content = project / "content"
    content.mkdir(parents=True)
    shutil.copytree(corpus / "images", content / "images")
    for source in sorted(corpus.glob("*.md")):
        text = convert(source.read_text(encoding="utf-8"), source.stem)
        (content / source.name).write_text(text, encoding="utf-8")
    (project / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")


def command(pelican: Path) -> list[str]:
    return [str(pelican), "content", "-s", "pelicanconf.py", "-o", "output", "-q",
            "--fatal", "errors", "--log-handler", "plain"]


def clean(project: Path) -> None:
    for name in ("output", CACHE):
        shutil.rmtree(project / name, ignore_errors=True)


def check_output(project: Path, count: int) -> None:
    pages = len(list((project / "output").glob("notes-*.html")))
    feeds = project / "output" / "feeds"
    if pages != count or not (feeds / "all.atom.xml").is_file() \
            or not any((feeds / "tag").glob("*.rss.xml")):
        raise RuntimeError(f"Pelican wrote {pages} of {count} article pages or missed its feeds; "
                           f"see {project}")
