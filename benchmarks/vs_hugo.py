"""Hugo, side by side, where Debian's ``hugo`` package installs.

Hugo reads the corpus's YAML front matter as is. It ships no theme, so it gets minimal
layouts that do comparable work: a page per article (with its image and tag links), paginated
lists of 10 for the home page, the section and every tag, and an RSS feed with full content of
the newest 50 for the site and for every tag (Hugo's default outputs). Hugo has no rebuild
cache, so only cold builds are measured.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CACHE = ".hugo-cache"  # --cacheDir, inside the project so that a cold build can delete it
CONFIG = """\
baseURL = "https://example.com/"
title = "Wellness Notes"
languageCode = "en"
paginate = 10
"""
HEAD = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>{{ .Title }} | {{ .Site.Title }}</title>"
        '{{ with .OutputFormats.Get "rss" }}<link rel="alternate" '
        'type="application/rss+xml" href="{{ .Permalink }}">{{ end }}</head><body>\n')
LAYOUTS = {
    "single.html": HEAD + """\
<article><h1>{{ .Title }}</h1><p>{{ .Params.author }}, {{ .Date.Format "2 January 2006" }}</p>
{{ with .Params.image }}<img src="{{ . | absURL }}" alt="{{ $.Params.image_alt }}">{{ end }}
{{ .Content }}
<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>\
{{ end }}</ul></article></body></html>
""",
    "list.html": HEAD + """\
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range (.Paginate $pages).Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a>\
</h2><p>{{ .Date.Format "2 January 2006" }}: {{ .Summary }}</p></article>
{{ end }}{{ template "_internal/pagination.html" . }}</body></html>
""",
    "rss.xml": """\
{{- printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
<rss version="2.0"><channel><title>{{ .Site.Title }}: {{ .Title }}</title>\
<link>{{ .Permalink }}</link><description>{{ .Site.Title }}</description>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ range first 50 $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>\
<guid>{{ .Permalink }}</guid><pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}\
</pubDate><description>{{ .Content | html }}</description></item>
{{ end }}</channel></rss>
""",
}


def ensure_hugo() -> tuple[str | None, str]:
    """The hugo binary, installing Debian's package when we are root; else (None, why not)."""
    found = shutil.which("hugo")
    if found:
        return found, ""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "hugo is not installed and installing it needs root and apt-get"
    print("  installing Debian's hugo package ...", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "hugo"]
    result = subprocess.run(install, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:  # stale package lists are the usual cause: refresh once
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env, check=False)
        result = subprocess.run(install, capture_output=True, text=True, env=env, check=False)
    found = shutil.which("hugo")
    if result.returncode != 0 or not found:
        return None, f"apt-get install hugo failed: {result.stderr.strip()[-300:]}"
    return found, ""


def version(hugo: str) -> str:
    out = subprocess.run([hugo, "version"], capture_output=True, text=True, check=True)
    return out.stdout.split()[1] if out.stdout.strip() else "unknown"


def make_project(corpus: Path, project: Path) -> None:
    shutil.rmtree(project, ignore_errors=True)
    posts = project / "content" / "posts"
    posts.mkdir(parents=True)
    shutil.copytree(corpus / "images", project / "static" / "images")
    for source in sorted(corpus.glob("*.md")):
        shutil.copyfile(source, posts / source.name)
    layouts = project / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    (project / "hugo.toml").write_text(CONFIG, encoding="utf-8")


def command(hugo: str, project: Path) -> list[str]:
    return [hugo, "--source", str(project), "--destination", "public",
            "--cacheDir", str(project / CACHE), "--quiet", "--noBuildLock"]


def clean(project: Path) -> None:
    for name in ("public", "resources", CACHE):
        shutil.rmtree(project / name, ignore_errors=True)


def check_output(project: Path, count: int) -> None:
    public = project / "public"
    pages = len(list((public / "posts").glob("notes-*/index.html")))
    if pages != count or not (public / "index.xml").is_file() \
            or not list((public / "tags").glob("*/index.xml")):
        raise RuntimeError(f"Hugo wrote {pages} of {count} article pages or missed its feeds; "
                           f"see {project}")
