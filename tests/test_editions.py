"""Issue 17: numbered editions. The records in editions/ (read back with tomllib), which
articles the next edition holds, output/email/edition.json (read with json and checked
against the .eml through the email package), and `pipeline editions [mark-sent]`."""

from __future__ import annotations

import datetime as dt
import email
import json
import os
import subprocess
import sys
import tomllib
from email import policy
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner, Result
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.cli import cli
from pipeline.editions import (
    SENDING,
    Edition,
    RecordedArticle,
    format_record,
    load_history,
    read_back,
    write_record,
)
from pipeline.errors import EditionError
from tests.helpers import tree_digest, write_article

SITE = "https://wellness.example.org"
BIN = Path(sys.executable).parent
TOML = f"""[site]
title = "Wellness Notes"
url = "{SITE}"
[newsletter]
max_articles = 3
subject = "{{site}} #{{number}}: {{lead_title}}"
"""


# -- a publication, driven through the CLI -------------------------------------------------

def make_project(root: Path, toml: str = TOML) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pipeline.toml").write_text(toml, encoding="utf-8")
    (root / "articles").mkdir(exist_ok=True)
    return root


def add(root: Path, slug: str, date: str, title: str | None = None) -> None:
    write_article(root / "articles", f"{slug}.md", title=title or slug.replace("-", " ").title(),
                  date=date, extra=f"summary: What {slug} is about.")


def run(root: Path, *args: str, input: str | None = None, output: Path | None = None
        ) -> Result:
    """A command with --config/--output pointing into the project (cwd stays elsewhere)."""
    command, *rest = args
    if command == "build":
        rest = ["--articles", str(root / "articles"), *rest]
    if command == "editions" and rest[:1] in (["mark-sent"], ["list"]):
        command, rest = f"editions {rest[0]}", rest[1:]
    if command in ("editions", "editions list"):
        rest = ["--articles", str(root / "articles"), *rest]
    return CliRunner().invoke(cli, [*command.split(), *rest, "--config",
                                    str(root / "pipeline.toml"), "--output",
                                    str(output or root / "output")], input=input)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.date]:
    """The day the commands believe it is ([site] timezone): set ``clock[0]``."""
    day = [dt.date(2026, 11, 2)]
    monkeypatch.setattr("pipeline.build.today_in", lambda config: day[0])
    return day


def built_edition(root: Path) -> dict:
    return json.loads((root / "output/email/edition.json").read_text(encoding="utf-8"))


def record(root: Path, number: int, folder: str = "editions") -> dict:
    with (root / folder / f"{number:04d}.toml").open("rb") as stream:
        return tomllib.load(stream)


# -- edition.json and the email -------------------------------------------------------------

def test_edition_json_describes_the_built_message(tmp_path: Path, clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    for day in range(1, 6):
        add(root, f"post-{day}", f"2026-10-0{day}")
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert "newsletter edition 1: 3 articles (post-5, post-4, post-3)" in result.output
    data = built_edition(root)
    message = email.message_from_bytes((root / "output/email/newsletter.eml").read_bytes(),
                                       policy=policy.default)
    assert data["number"] == 1 and data["slugs"] == ["post-5", "post-4", "post-3"]
    assert data["subject"] == message["Subject"] == "Wellness Notes #1: Post 5"
    assert data["message_id"] == message["Message-ID"]
    assert [a["title"] for a in data["articles"]] == ["Post 5", "Post 4", "Post 3"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Edition 1 - 2 November 2026" in text
    html = lxml.html.fromstring(message.get_body(("html",)).get_content())  # type: ignore[union-attr]
    assert "Edition 1 · 2 November 2026" in " ".join(html.text_content().split())
    # The default "view online" link is the edition's page in the web archive, which exists.
    view = html.xpath("//a[normalize-space()='View this email in your browser']/@href")
    assert view == [f"{SITE}/newsletter/1/"]
    assert (root / "output/site/newsletter/1/index.html").is_file()


def test_view_online_link_carries_the_utm_parameters(tmp_path: Path,
                                                     clock: list[dt.date]) -> None:
    root = make_project(tmp_path, TOML + '[newsletter.utm]\nsource = "newsletter"\n')
    add(root, "post-1", "2026-10-01")
    assert run(root, "build").exit_code == 0
    html = (root / "output/email/newsletter.html").read_bytes()
    view = lxml.html.fromstring(html).xpath(
        "//a[normalize-space()='View this email in your browser']/@href")
    assert view == [f"{SITE}/newsletter/1/?utm_source=newsletter"]


def test_rebuilding_the_same_day_is_byte_identical_and_never_writes_the_records(
        tmp_path: Path, clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    add(root, "post-1", "2026-10-01")
    assert run(root, "build").exit_code == 0
    assert run(root, "editions", "mark-sent").exit_code == 0
    add(root, "post-2", "2026-10-20")
    records = tree_digest(root / "editions")
    assert run(root, "build", "--no-cache").exit_code == 0
    first = tree_digest(root / "output")
    assert run(root, "build", "--no-cache", output=tmp_path / "again").exit_code == 0
    assert tree_digest(tmp_path / "again") == first
    assert tree_digest(root / "editions") == records


# -- which articles the next edition holds ------------------------------------------------

def test_the_back_catalogue_never_becomes_new_and_the_rest_wait(tmp_path: Path,
                                                                clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    for day in range(1, 6):
        add(root, f"old-{day}", f"2026-10-0{day}")
    assert run(root, "build").exit_code == 0
    assert built_edition(root)["slugs"] == ["old-5", "old-4", "old-3"]
    assert run(root, "editions", "mark-sent").exit_code == 0
    for day in range(1, 5):  # four new articles, one more than max_articles
        add(root, f"new-{day}", f"2026-11-0{day}")
    clock[0] = dt.date(2026, 11, 9)
    assert run(root, "build").exit_code == 0
    assert built_edition(root)["number"] == 2
    assert built_edition(root)["slugs"] == ["new-4", "new-3", "new-2"]  # old-1, old-2 never
    assert run(root, "editions", "mark-sent").exit_code == 0
    assert run(root, "build").exit_code == 0
    assert built_edition(root)["number"] == 3 and built_edition(root)["slugs"] == ["new-1"]


def test_since_overrides_the_history(tmp_path: Path, clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    for day in range(1, 4):
        add(root, f"post-{day}", f"2026-10-0{day}")
    assert run(root, "build").exit_code == 0
    assert run(root, "editions", "mark-sent").exit_code == 0
    result = run(root, "build", "--since", "2026-10-02")
    assert result.exit_code == 0, result.output
    assert built_edition(root)["number"] == 2
    assert built_edition(root)["slugs"] == ["post-3", "post-2"]


def test_a_hand_written_history_is_read(tmp_path: Path, clock: list[dt.date]) -> None:
    """Importing history by hand: no status, Message-ID or article dates needed. Without
    dates, what was already published the day edition 1 went out is the back catalogue."""
    root = make_project(tmp_path)
    for slug, date in [("a", "2026-09-01"), ("b", "2026-09-20"), ("c", "2026-10-01"),
                       ("d", "2026-10-10")]:
        add(root, slug, date)
    (root / "editions").mkdir()
    (root / "editions" / "0007.toml").write_text(
        'number = 7\nsent = 2026-09-21\nsubject = "Our September news"\n\n'
        '[[articles]]\nslug = "b"\ntitle = "B as it was"\n', encoding="utf-8")
    (root / "editions" / "README.md").write_text("Our sent editions.\n", encoding="utf-8")
    assert run(root, "build").exit_code == 0
    assert built_edition(root)["number"] == 8
    assert built_edition(root)["slugs"] == ["d", "c"]  # a: older than edition 7; b: sent


# -- nothing new ----------------------------------------------------------------------------

def test_nothing_new_builds_everything_but_the_newsletter(tmp_path: Path,
                                                          clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    add(root, "post-1", "2026-10-01")
    assert run(root, "build").exit_code == 0
    assert run(root, "editions", "mark-sent").exit_code == 0
    result = run(root, "build")
    assert result.exit_code == 0, result.output
    assert "No new articles since edition 1: no newsletter this time" in result.output
    assert not (root / "output/email").exists()
    for path in ("site/index.html", "site/post-1/index.html", "site/newsletter/1/index.html",
                 "feeds/rss.xml", "social/post-1.json"):
        assert (root / "output" / path).is_file(), path
    send = CliRunner().invoke(cli, ["send", "--to", "a@example.org", "--output",
                                    str(root / "output"), "--config",
                                    str(root / "pipeline.toml")])
    assert send.exit_code == 2
    assert "holds no newsletter: the last `pipeline build` found no new article" in send.output


# -- records ---------------------------------------------------------------------------------

def test_mark_sent_records_the_built_edition_and_refuses_a_second_time(
        tmp_path: Path, clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    add(root, "neck", "2026-10-01", title='Neck "tension" & ümlauts')
    assert run(root, "build").exit_code == 0
    result = run(root, "editions", "mark-sent", "--date", "2026-11-03")
    assert result.exit_code == 0, result.output
    assert "Recorded edition 1" in result.output and "as sent on 2026-11-03" in result.output
    data = record(root, 1)
    assert data["number"] == 1 and data["status"] == "sent"
    assert data["sent"] == dt.date(2026, 11, 3)
    assert data["message_id"] == built_edition(root)["message_id"]
    assert data["subject"] == 'Wellness Notes #1: Neck "tension" & ümlauts'
    assert data["articles"] == [{"slug": "neck", "title": 'Neck "tension" & ümlauts',
                                 "date": dt.datetime(2026, 10, 1, tzinfo=dt.UTC)}]
    before = (root / "editions/0001.toml").read_bytes()
    again = run(root, "editions", "mark-sent")
    assert again.exit_code == 2
    assert "edition 1 is already recorded as sent on 2026-11-03" in again.output
    assert (root / "editions/0001.toml").read_bytes() == before


def test_mark_sent_refuses_a_build_older_than_the_records(tmp_path: Path,
                                                          clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    add(root, "post-1", "2026-10-01")
    assert run(root, "build").exit_code == 0
    (root / "editions").mkdir()
    (root / "editions/0001.toml").write_text(
        'number = 1\nsent = 2026-10-02\nsubject = "Sent by a colleague"\n\n'
        '[[articles]]\nslug = "post-0"\ntitle = "Post 0"\n', encoding="utf-8")
    result = run(root, "editions", "mark-sent")
    assert result.exit_code == 2
    assert "already recorded as sent on 2026-10-02" in result.output


def test_the_editions_folder_is_configurable(tmp_path: Path, clock: list[dt.date]) -> None:
    root = make_project(tmp_path, TOML + 'editions = "history/sent"\n')
    add(root, "post-1", "2026-10-01")
    assert run(root, "build").exit_code == 0
    assert run(root, "editions", "mark-sent").exit_code == 0
    assert record(root, 1, "history/sent")["articles"][0]["slug"] == "post-1"
    assert not (root / "editions").exists()
    listing = run(root, "editions")
    assert listing.exit_code == 0, listing.output
    assert f"Sent editions ({root / 'history/sent'}/), newest first:" in listing.output


def test_editions_lists_the_history_and_the_next_edition(tmp_path: Path,
                                                         clock: list[dt.date]) -> None:
    root = make_project(tmp_path)
    add(root, "post-1", "2026-10-01")
    add(root, "post-2", "2026-10-02")
    assert run(root, "build").exit_code == 0
    assert run(root, "editions", "mark-sent").exit_code == 0
    add(root, "post-3", "2026-10-20", title="Third post")
    result = run(root, "editions")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split() == ["1", "2026-11-02", "2", "articles", "Wellness", "Notes", "#1:",
                                "Post", "2"]
    assert "Next: edition 2, 1 article:" in result.output
    assert "  2026-10-20  post-3  Third post" in result.output
    assert "holds edition 1, already sent: run `pipeline build`" in result.output
    assert run(root, "build").exit_code == 0
    assert "holds edition 2, ready to send." in run(root, "editions", "list").output


def test_editions_inside_the_output_folder_are_refused(tmp_path: Path,
                                                       clock: list[dt.date]) -> None:
    root = make_project(tmp_path, TOML + 'editions = "output/editions"\n')
    add(root, "post-1", "2026-10-01")
    result = run(root, "build")
    assert result.exit_code == 2
    assert "refusing to use" in result.output


# -- broken records: a clear error with the file and line, never a traceback -----------------

GOOD = ('number = 1\nsent = 2026-10-02\nsubject = "News"\n\n'
        '[[articles]]\nslug = "a"\ntitle = "A"\n\n[[articles]]\nslug = "b"\ntitle = "B"\n')


@pytest.mark.parametrize(("text", "where", "message"), [
    (GOOD.replace('subject = "News"', 'subject = "News'), "0001.toml:3:", "invalid TOML"),
    (GOOD.replace("sent = 2026-10-02\n", ""), "0001.toml:1:", "sent is missing"),
    (GOOD.replace("sent = 2026-10-02", 'sent = "last week"'), "0001.toml:2:",
     "sent must be the date it was sent"),
    (GOOD.replace('title = "B"', 'titel = "B"'), "0001.toml:11:",
     "unknown key 'titel' in article 2"),
    (GOOD.replace('title = "B"', "title = 7"), "0001.toml:11:", "title must be text"),
    (GOOD.replace('slug = "b"\n', ""), "0001.toml:9:", "slug is missing in article 2"),
    (GOOD.replace("number = 1", "number = 2"), "0001.toml:1:",
     "the file is named for edition 1"),
    (GOOD.replace("number = 1\n", 'number = 1\nstatus = "maybe"\n'), "0001.toml:2:",
     "status must be"),
    (GOOD.split("\n[[")[0] + "\n", "0001.toml:1:", "a record needs its articles"),
    ("number = 1\nsent = 2026-10-02\nsubject = \"x\"\nnotes = \"hi\"\narticles = []\n",
     "0001.toml:4:", "unknown key 'notes'"),
])
def test_a_broken_record_names_its_file_and_line(tmp_path: Path, clock: list[dt.date],
                                                 text: str, where: str, message: str) -> None:
    root = make_project(tmp_path)
    add(root, "post-1", "2026-10-01")
    (root / "editions").mkdir()
    (root / "editions/0001.toml").write_text(text, encoding="utf-8")
    for args in (["build"], ["editions"], ["editions", "mark-sent"]):
        result = run(root, *args)
        assert result.exit_code == 2, (args, result.output)
        assert where in result.output and message in result.output, (args, result.output)
    assert not (root / "output").exists()


def test_the_same_edition_recorded_twice_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "editions"
    folder.mkdir()
    (folder / "0001.toml").write_text(GOOD, encoding="utf-8")
    (folder / "first.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(EditionError, match="edition 1 is also recorded in"):
        load_history(folder)


def test_the_installed_command_reports_a_broken_record_without_a_traceback(
        tmp_path: Path) -> None:
    root = make_project(tmp_path)
    add(root, "post-1", "2026-10-01")
    (root / "editions").mkdir()
    (root / "editions/0001.toml").write_text(GOOD.replace("sent = 2026-10-02", "sent = "),
                                             encoding="utf-8")
    result = subprocess.run([str(BIN / "pipeline"), "build"], cwd=root, capture_output=True,
                            text=True, timeout=120, check=False,
                            env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith(f"Error: {Path('editions/0001.toml')}:2:")


@settings(max_examples=80, deadline=None)
@given(title=st.text(min_size=1, max_size=60).filter(str.strip),
       subject=st.text(min_size=1, max_size=60).filter(str.strip),
       slug=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True))
@example(title='Quote " back\\slash \x7f del \x00 nul \n line', subject="Tab\there",
         slug="a")
def test_any_title_survives_the_record(title: str, subject: str, slug: str) -> None:
    edition = Edition(12, dt.date(2026, 11, 2), subject, "<x@example.org>",
                      (RecordedArticle(slug, title,
                                       dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)),),
                      SENDING)
    text = format_record(edition)
    assert tomllib.loads(text)["articles"][0]["title"] == title  # an independent TOML reader
    assert read_back(text, edition) == edition


def test_writing_a_record_twice_without_replace_is_refused(tmp_path: Path) -> None:
    edition = Edition(1, dt.date(2026, 11, 2), "News", "", (RecordedArticle("a", "A"),))
    write_record(tmp_path, edition)
    with pytest.raises(EditionError, match="already recorded"):
        write_record(tmp_path, edition)
    assert [p.name for p in tmp_path.iterdir()] == ["0001.toml"]  # no temporary file left
