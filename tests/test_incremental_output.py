"""Issue 16: a rebuild writes only the files whose bytes change, into the spare tree (the build
before the current one), and swaps it in whole. Whatever happened to the spare or the output
in between, the result is byte for byte what a build from nothing writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest

import pipeline.body
from pipeline import cache
from pipeline.build import build
from pipeline.config import Config
from pipeline.render import social
from tests.helpers import tree_digest, write_article

TODAY = dt.date(2026, 6, 1)


def make_corpus(folder: Path, count: int = 12) -> None:
    for index in range(count):
        write_article(folder, f"post-{index:02d}.md", title=f"Stretch note {index}",
                      date=f"2026-05-{1 + index:02d}", extra="tags: [neck, sleep]",
                      body=f"Gentle movement {index} may ease stiffness for some people.")


def edit(folder: Path, index: int, words: str) -> None:
    write_article(folder, f"post-{index:02d}.md", title=f"Stretch note {index}",
                  date=f"2026-05-{1 + index:02d}", extra="tags: [neck, sleep]",
                  body=f"Gentle movement {index} may ease stiffness for some people. {words}")


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fresh(articles: Path, tmp_path: Path) -> dict[str, str]:
    """The oracle: a build from nothing, without any cache, into a folder of its own."""
    other = tmp_path / "fresh" / "output"
    build(articles, other, Config(), today=TODAY, use_cache=False)
    return tree_digest(other)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    articles, output = tmp_path / "articles", tmp_path / "output"
    make_corpus(articles)
    build(articles, output, Config(), today=TODAY)
    return articles, output


def test_an_edit_writes_only_what_differs_from_the_spare(project: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    articles, output = project
    first = contents(output)
    first_times = {path: (output / path).stat().st_mtime_ns for path in first}
    edit(articles, 3, "A first edit.")
    second = build(articles, output, Config(), today=TODAY)
    # No spare yet: a new folder, with the files the edit left alone linked from the output.
    assert 0 < second.written < len(second.files)
    middle = contents(output)
    middle_times = {path: (output / path).stat().st_mtime_ns for path in middle}
    assert not set(middle) - set(first)
    edit(articles, 5, "A second edit.")
    third = build(articles, output, Config(), today=TODAY)
    now = contents(output)
    # The spare held the first build, the output the second: exactly the files that differ
    # from both were written; those the second edit left alone were linked from the output.
    differ = {path for path, data in now.items() if first.get(path) != data}
    new = {path for path in differ if middle.get(path) != now[path]}
    assert 0 < third.written == len(new - {".pipeline-output"}) < len(now) // 2
    for path in set(now) - differ:
        assert (output / path).stat().st_mtime_ns == first_times[path], path
    for path in differ - new:
        assert (output / path).stat().st_mtime_ns == middle_times[path], path
    assert tree_digest(output) == fresh(articles, tmp_path)


def test_a_removed_article_leaves_no_file_or_empty_folder(project: tuple[Path, Path],
                                                          tmp_path: Path) -> None:
    articles, output = project
    edit(articles, 1, "Edited.")
    build(articles, output, Config(), today=TODAY)
    (articles / "post-04.md").unlink()
    build(articles, output, Config(), today=TODAY)  # patches the spare, which had post-04
    assert not (output / "site" / "post-04").exists()
    assert tree_digest(output) == fresh(articles, tmp_path)
    empty = [root for root, dirs, files in os.walk(output) if not dirs and not files]
    assert empty == []


@pytest.mark.parametrize("damage", ["edited", "planted", "deleted", "symlink", "folder"])
def test_a_spare_changed_by_hand_is_patched_or_replaced(project: tuple[Path, Path],
                                                        tmp_path: Path, damage: str) -> None:
    articles, output = project
    edit(articles, 1, "Edited.")
    build(articles, output, Config(), today=TODAY)
    spare = cache.spare_folder(output)
    assert spare.is_dir()
    page = spare / "site" / "post-07" / "index.html"
    outside = tmp_path / "outside"
    outside.mkdir()
    if damage == "edited":
        data = page.read_bytes()
        page.write_bytes(data.replace(b"Gentle", b"Gentlx"))  # same size
        os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns - 10**9))
    elif damage == "planted":
        (spare / "site" / "planted.html").write_text("<script>alert(1)</script>")
    elif damage == "deleted":
        page.unlink()
    elif damage == "symlink":
        (spare / "site" / "post-07" / "images").symlink_to(outside)
    else:
        (spare / "site" / "extra" / "deep").mkdir(parents=True)
    edit(articles, 2, "Edited too.")
    build(articles, output, Config(), today=TODAY)
    assert tree_digest(output) == fresh(articles, tmp_path)
    assert list(outside.iterdir()) == []
    assert [root for root, dirs, files in os.walk(output) if not dirs and not files] == []


def test_an_output_edited_by_hand_is_rebuilt_as_it_should_be(project: tuple[Path, Path],
                                                             tmp_path: Path) -> None:
    articles, output = project
    (output / "site" / "index.html").write_text("defaced")
    edit(articles, 1, "Edited.")
    build(articles, output, Config(), today=TODAY)
    edit(articles, 2, "Edited.")
    build(articles, output, Config(), today=TODAY)  # the defaced tree is now the spare
    assert tree_digest(output) == fresh(articles, tmp_path)


def test_without_the_cache_no_spare_is_kept(project: tuple[Path, Path], tmp_path: Path) -> None:
    articles, output = project
    edit(articles, 1, "Edited.")
    result = build(articles, output, Config(), today=TODAY, use_cache=False)
    assert result.written == len(result.files)
    assert not cache.spare_folder(output).exists()
    assert tree_digest(output) == fresh(articles, tmp_path)


def test_the_spare_is_kept_where_git_and_the_output_never_see_it(
        project: tuple[Path, Path]) -> None:
    articles, output = project
    edit(articles, 1, "Edited.")
    build(articles, output, Config(), today=TODAY)
    spare = cache.spare_folder(output)
    assert spare.parent.name == cache.CACHE_DIR
    assert (spare.parent / ".gitignore").read_text() == "*\n"
    assert sorted(p.name for p in output.parent.iterdir()) == [
        cache.CACHE_DIR, "articles", "output"]


def test_equal_values_have_equal_keys_whichever_objects_hold_them() -> None:
    shared = "x" * 100
    copy = "".join(["x" * 50, "x" * 50])
    assert shared == copy and shared is not copy
    assert cache.digest((shared, shared)) == cache.digest((shared, copy))


def test_an_edit_proves_only_the_files_it_changed(project: tuple[Path, Path],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The proof that each artifact carries its disclaimers is reused for unchanged bytes:
    an edit to one article reads back one article's posts, not every article's."""
    articles, output = project
    read: list[bytes] = []
    real = social.verify_json

    def counting(data: bytes, ctx):  # type: ignore[no-untyped-def]
        read.append(data)
        return real(data, ctx)

    monkeypatch.setattr(social, "verify_json", counting)
    edit(articles, 1, "Edited.")
    build(articles, output, Config(), today=TODAY)
    assert len(read) == 1


def test_an_image_replaced_with_one_of_the_same_size_is_published(tmp_path: Path) -> None:
    """Images are compared by their bytes, never by size or time."""
    articles, output = tmp_path / "articles", tmp_path / "output"
    make_corpus(articles, 3)
    (articles / "images").mkdir()
    red = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a3ee2ad30000000049454e44ae426082")
    blue = red.replace(bytes.fromhex("63f8cfc0f01f"), bytes.fromhex("630000c0ff1f"))
    assert len(red) == len(blue) and red != blue
    image = articles / "images" / "walk.png"
    image.write_bytes(red)
    write_article(articles, "post-00.md", title="Stretch note 0", date="2026-05-01",
                  extra="image: images/walk.png\nimage_alt: A walk")
    for data in (red, blue, red, blue):
        image.write_bytes(data)
        os.utime(image, ns=(0, 0))
        build(articles, output, Config(), today=TODAY)
        assert (output / "site" / "post-00" / "images" / "walk.png").read_bytes() == data


def test_article_bodies_wait_in_the_cache_and_a_damaged_one_costs_one_slow_build(
        project: tuple[Path, Path], tmp_path: Path) -> None:
    articles, output = project
    bodies = output.parent / cache.CACHE_DIR / "output.bodies"
    assert len(list(bodies.iterdir())) == len(list(articles.glob("*.md")))
    for body in bodies.iterdir():
        body.write_bytes(b"pipeline-cache-2\n" + b"\x00" * 32 + b"not what was kept")
    pipeline.body._read_body.cache_clear()  # as in a new process: nothing read yet
    templates = tmp_path / "templates" / "site"
    templates.mkdir(parents=True)
    (templates / "404.html.j2").write_text("<!doctype html><title>Gone</title><p>Gone.</p>\n")
    # Another template: every page is rendered again and needs its article's body.
    result = build(articles, output, Config(), today=TODAY, templates_dir=tmp_path / "templates")
    assert any("damaged" in note for note in result.notes)
    other = tmp_path / "fresh" / "output"
    build(articles, other, Config(), today=TODAY, use_cache=False,
          templates_dir=tmp_path / "templates")
    assert tree_digest(output) == tree_digest(other)
    edit(articles, 2, "Edited.")
    again = build(articles, output, Config(), today=TODAY, templates_dir=tmp_path / "templates")
    assert not any("damaged" in note for note in again.notes)
    assert len(list(bodies.iterdir())) == len(list(articles.glob("*.md")))


def test_a_deleted_body_store_is_made_again(project: tuple[Path, Path], tmp_path: Path) -> None:
    articles, output = project
    shutil.rmtree(output.parent / cache.CACHE_DIR / "output.bodies")
    edit(articles, 4, "Edited.")
    result = build(articles, output, Config(), today=TODAY)
    assert result.notes == []
    assert tree_digest(output) == fresh(articles, tmp_path)


def test_the_summary_says_how_many_files_an_edit_wrote(project: tuple[Path, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli

    articles, _output = project
    monkeypatch.chdir(articles.parent)
    edit(articles, 6, "Edited.")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    written = re.search(r"([\d,]+) files \([^)]*, ([\d,]+) of them written\)", result.output)
    assert written, result.output
    assert 0 < int(written[2]) < int(written[1])


def test_an_edit_renders_only_the_feeds_that_show_the_article(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.render import rss

    config = Config.model_validate({"feeds": {"max_items": 3}})
    articles, output = tmp_path / "articles", tmp_path / "output"
    make_corpus(articles)
    build(articles, output, config, today=TODAY)
    titles: list[str] = []
    real = rss.render

    def counting(channel, items, self_url):  # type: ignore[no-untyped-def]
        titles.append(channel.title)
        return real(channel, items, self_url)

    monkeypatch.setattr(rss, "render", counting)
    edit(articles, 0, "An old article, in no feed's newest three.")
    build(articles, output, config, today=TODAY)
    assert titles == []
    edit(articles, 11, "The newest article, in every feed.")
    build(articles, output, config, today=TODAY)
    assert len(titles) == 3  # the site's feed and its two topics' (neck, sleep)
    other = tmp_path / "fresh" / "output"
    build(articles, other, config, today=TODAY, use_cache=False)
    assert tree_digest(output) == tree_digest(other)


def test_a_lead_image_of_a_new_size_changes_the_feeds_enclosure(tmp_path: Path) -> None:
    """An enclosure's length is the image file's size: the article file does not change."""
    import feedparser

    articles, output = tmp_path / "articles", tmp_path / "output"
    make_corpus(articles, 3)
    (articles / "images").mkdir()
    image = articles / "images" / "walk.png"
    write_article(articles, "post-02.md", title="Stretch note 2", date="2026-05-03",
                  extra="image: images/walk.png\nimage_alt: A walk")
    for size in (70, 140):
        image.write_bytes(bytes.fromhex("89504e470d0a1a0a") + bytes(size - 8))
        build(articles, output, Config(), today=TODAY)
        feed = feedparser.parse((output / "feeds" / "rss.xml").read_bytes())
        enclosures = [link for entry in feed.entries for link in entry.links
                      if link.get("rel") == "enclosure"]
        assert [int(link["length"]) for link in enclosures] == [size]


def test_the_posts_spreadsheet_is_made_again_only_when_a_post_changes(
        project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles, output = project
    made: list[int] = []
    real = social._spreadsheet

    def counting(ctx):  # type: ignore[no-untyped-def]
        made.append(len(ctx.articles))
        return real(ctx)

    monkeypatch.setattr(social, "_spreadsheet", counting)

    def write(title: str, words: str) -> None:
        # A summary and two headings: the posts quote those, not the paragraphs below them.
        write_article(articles, "post-03.md", title=title, date="2026-05-04",
                      extra="tags: [neck, sleep]\nsummary: Three gentle stretches.",
                      body=f"## Morning\n\nRoll the shoulders. {words}\n\n## Evening\n\nWalk.")

    write("Stretch note 3", "")
    build(articles, output, Config(), today=TODAY)
    made.clear()
    before = (output / "social" / "post-03.json").read_bytes()
    write("Stretch note 3", "Then breathe out slowly.")
    build(articles, output, Config(), today=TODAY)
    assert (output / "social" / "post-03.json").read_bytes() == before
    assert "breathe out" in (output / "site" / "post-03" / "index.html").read_text()
    assert made == []
    write("Stretch note three, renamed", "Then breathe out slowly.")
    build(articles, output, Config(), today=TODAY)
    assert made == [12]
    assert tree_digest(output) == fresh(articles, tmp_path)


def test_posts_are_fitted_again_only_when_what_they_show_changes(
        project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Posts show the title, summary, key points and tags: an edit below them reuses the post
    file without fitting it again, unless a template shows the article itself."""
    from pipeline.render import social_fit

    articles, output = project
    fitted: list[str] = []
    real = social_fit.Fitter.fit

    def counting(self, stages):  # type: ignore[no-untyped-def]
        fitted.append(self.platform.name)
        return real(self, stages)

    monkeypatch.setattr(social_fit.Fitter, "fit", counting)

    def write(words: str, templates: Path | None = None) -> None:
        write_article(articles, "post-05.md", title="Stretch note 5", date="2026-05-06",
                      extra="tags: [neck, sleep]\nsummary: Three gentle stretches.",
                      body=f"## Morning\n\nRoll the shoulders. {words}\n\n## Evening\n\nWalk.")
        build(articles, output, Config(), today=TODAY, templates_dir=templates)

    write("")
    fitted.clear()
    write("Then breathe out slowly.")
    assert fitted == []
    write("Then breathe out slowly.\n\n## Night\n\nRest.")  # a new key point
    assert len(fitted) == len(social.PLATFORMS)
    templates = tmp_path / "templates" / "social"
    templates.mkdir(parents=True)
    (templates / "x.txt.j2").write_text("{{ title }} ({{ article.reading_minutes }} min, "
                                        "{{ article.word_count }} words) {{ link }}\n"
                                        "{{ short_disclaimer }}\n")
    write("Then breathe out slowly.", tmp_path / "templates")
    before = json.loads((output / "social" / "post-05.json").read_text())["x"]
    fitted.clear()
    write("Then breathe out slowly, twice.", tmp_path / "templates")
    assert len(fitted) == len(social.PLATFORMS)  # the article is in the posts' key now
    after = json.loads((output / "social" / "post-05.json").read_text())["x"]
    words = [int(re.search(r"(\d+) words", post)[1]) for post in (before, after)]  # type: ignore[index]
    assert words[1] == words[0] + 1
    other = tmp_path / "fresh" / "output"
    build(articles, other, Config(), today=TODAY, use_cache=False,
          templates_dir=tmp_path / "templates")
    assert tree_digest(output) == tree_digest(other)


def test_compiled_templates_are_kept_for_the_next_process_and_signed(
        project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2

    import pipeline.build

    articles, output = project
    compiled = output.parent / cache.CACHE_DIR / "output.templates"
    assert len(list(compiled.iterdir())) >= 10
    calls: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        calls.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    pipeline.build._environment.cache_clear()  # as in a new process
    edit(articles, 2, "Edited.")
    build(articles, output, Config(), today=TODAY)
    assert calls == []
    for path in compiled.iterdir():  # as if planted: signed by no one here
        path.write_bytes(cache.SIGNED + bytes(32) + path.read_bytes()[len(cache.SIGNED) + 32:])
    pipeline.build._environment.cache_clear()
    edit(articles, 2, "Edited again.")
    build(articles, output, Config(), today=TODAY)
    assert len(calls) >= 10
    assert tree_digest(output) == fresh(articles, tmp_path)
