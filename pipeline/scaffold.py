"""Starting a publication and its articles: `pipeline init`, `pipeline new`, template copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.articles import slug_from_filename
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.render.templates import default_templates_dir

CONFIG_TEMPLATE = '''\
# pipeline.toml: settings for this publication. Every key is optional; delete what you
# don't need. `pipeline config` shows the value in force for every key and where it came from.

[site]
title = "{title}"
url = "https://example.com"          # where the articles are published: <url>/<slug>/
author = "{author}"                  # default author of articles without one
email = "editors@example.com"        # shown with the author in feeds
description = "Evidence-minded writing on pain, movement and recovery."
language = "en"
timezone = "UTC"                     # decides when a dated article is published

[newsletter]
max_articles = 5                     # at most this many new articles in each edition
editions = "editions"                # records of the sent editions (commit them)
from_address = "newsletter@example.com"
postal_address = "Your publication, street, town, country"   # required by anti-spam law
unsubscribe_url = "{{{{unsubscribe_url}}}}"   # your email provider's merge field

[social]
short_disclaimer = "General information, not medical advice."

# The disclaimer every article must carry, word for word. Add more ids as needed and name
# them in an article's front matter with `disclaimer: <id>`.
# [disclaimers.standard]
# text = "..."
'''

EXAMPLE_ARTICLE = '''\
---
title: Welcome to {title}
date: {date}
author: {author}
summary: What this publication is about, and how to write the next article.
tags: [welcome]
---

This is your first article. Edit it, or write another with `pipeline new "A title"`.

## Writing articles

Articles are Markdown files in this folder. The lines between the `---` marks at the top are
the front matter: the title, the date, and optional details such as tags.

Run `pipeline check` to lint the articles and `pipeline build` to make the newsletter, the
feeds and the social posts in `output/`.

**Disclaimer:** {disclaimer}
'''

ARTICLE_TEMPLATE = '''\
---
title: {title}
date: {date}
author: {author}
summary:
tags: [{tags}]
draft: true
---

Write your article here.

**Disclaimer:** {disclaimer}
'''


def _yaml_text(value: str) -> str:
    """A YAML scalar that stays text, whatever characters a title holds."""
    import json

    return json.dumps(value, ensure_ascii=False)


def _refuse_existing(paths: list[Path]) -> None:
    existing = [str(path) for path in paths if path.exists()]
    if existing:
        raise UsageError("refusing to overwrite " + ", ".join(existing)
                         + "; move them away or choose another folder")


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": never replace an existing file
        handle.write(text)


def init_project(folder: Path, today: dt.date, title: str = "Wellness Notes") -> list[Path]:
    config = Config()
    config_path = folder / "pipeline.toml"
    article_path = folder / "articles" / "welcome.md"
    _refuse_existing([config_path, article_path])
    _write_new(config_path, CONFIG_TEMPLATE.format(title=title, author=config.site.author))
    _write_new(article_path, EXAMPLE_ARTICLE.format(
        title=title, date=today.isoformat(), author=config.site.author,
        disclaimer=config.disclaimers["standard"].text))
    return [config_path, article_path]


def new_article(articles_dir: Path, title: str, tags: list[str], config: Config,
                today: dt.date) -> Path:
    title = " ".join(title.split())
    slug = slug_from_filename(title)
    if not slug:
        raise UsageError(f"cannot make a file name from the title {title!r}; use more letters")
    path = articles_dir / f"{slug}.md"
    _refuse_existing([path])
    _write_new(path, ARTICLE_TEMPLATE.format(
        title=_yaml_text(title), date=today.isoformat(), author=_yaml_text(config.site.author),
        tags=", ".join(_yaml_text(tag.strip()) for tag in tags if tag.strip()),
        disclaimer=config.disclaimers["standard"].text))
    return path


def default_template_names() -> list[str]:
    root = default_templates_dir()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def copy_templates(names: list[str], destination: Path) -> list[Path]:
    """Copy default templates out (all of them when no name is given) to start overriding."""
    available = default_template_names()
    chosen = names or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        raise UsageError(f"no default template named {', '.join(unknown)}; "
                         "see 'pipeline templates list'")
    targets = [destination / name for name in chosen]
    _refuse_existing(targets)
    root = default_templates_dir()
    for name, target in zip(chosen, targets, strict=True):
        _write_new(target, (root / name).read_text(encoding="utf-8"))
    return targets
