"""Issue 17, done: three weeks of a publication through the command line, sent through a real
SMTP server (aiosmtpd) on loopback and read back with the email package, tomllib and lxml.

`walk_three_weeks` is shared with tests/test_editions_browser.py, which opens the archive it
leaves behind in Chromium.
"""

from __future__ import annotations

import datetime as dt
import email
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import pytest
from aiosmtpd.controller import Controller

from pipeline.config import STANDARD_DISCLAIMER
from tests.helpers import tree_digest
from tests.test_editions import SITE, add, built_edition, make_project, record, run
from tests.test_send import Recorder, free_port

LIST = "list@example.org"


@dataclass
class Walk:
    root: Path
    received: list[EmailMessage]  # every message the SMTP server took, in order


def received(recorder: Recorder) -> list[EmailMessage]:
    return [email.message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[misc]
            for envelope in recorder.envelopes]


def body(message: EmailMessage, subtype: str) -> str:
    return message.get_body((subtype,)).get_content()  # type: ignore[union-attr]


def walk_three_weeks(root: Path, clock: list[dt.date]) -> Walk:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    smtp = ["--smtp", f"127.0.0.1:{port}"]
    try:
        make_project(root)
        for day in range(5, 10):  # the back catalogue, before the publication used editions
            add(root, f"old-{day - 4}", f"2026-10-0{day}")

        # Week 1: edition 1 is the newest three; a test send first, then the real one.
        clock[0] = dt.date(2026, 11, 2)
        assert run(root, "build").exit_code == 0
        assert built_edition(root)["slugs"] == ["old-5", "old-4", "old-3"]
        test_send = run(root, "send", "--to", "editor@example.org", *smtp)
        assert test_send.exit_code == 0, test_send.output
        assert not (root / "editions").exists()
        sent = run(root, "send", "--to", LIST, *smtp, "--mark-sent")
        assert sent.exit_code == 0, sent.output
        assert "Recorded edition 1 as sent in" in sent.output
        messages = received(recorder)
        assert [m["To"] for m in messages] == ["editor@example.org", LIST]
        first = messages[1]
        assert first["Subject"] == "Wellness Notes #1: Old 5"
        assert "Edition 1 - 2 November 2026" in body(first, "plain")
        assert f"View this email in your browser: {SITE}/newsletter/1/" in body(first, "plain")
        assert record(root, 1)["message_id"] == first["Message-ID"]
        assert record(root, 1)["sent"] == dt.date(2026, 11, 2)

        # Week 2: two new articles; only they are in edition 2, never old-1 and old-2.
        clock[0] = dt.date(2026, 11, 9)
        add(root, "new-a", "2026-11-04")
        add(root, "new-b", "2026-11-06")
        assert run(root, "build").exit_code == 0
        assert built_edition(root)["slugs"] == ["new-b", "new-a"]
        assert run(root, "send", "--to", LIST, *smtp, "--mark-sent").exit_code == 0
        second = received(recorder)[-1]
        assert second["Subject"] == "Wellness Notes #2: New B"
        html = lxml.html.fromstring(body(second, "html"))
        assert [h.text_content().strip() for h in html.xpath("//h2")] == ["New B", "New A"]
        # The same edition again: refused, with or without --mark-sent; nothing goes out.
        records = tree_digest(root / "editions")
        for extra in (["--mark-sent"], []):
            again = run(root, "send", "--to", LIST, *smtp, *extra)
            assert again.exit_code == 2, again.output
            assert "edition 2 was already sent on 2026-11-09" in again.output
            assert "add --again to send it anyway" in again.output
        assert len(recorder.envelopes) == 3
        assert tree_digest(root / "editions") == records

        # Week 3: four new articles, one more than max_articles; the editor imports the
        # newsletter into an email provider and records it by hand. One article of edition 1
        # is deleted meanwhile.
        clock[0] = dt.date(2026, 11, 16)
        for day in range(1, 5):
            add(root, f"week3-{day}", f"2026-11-1{day - 1}")
        (root / "articles" / "old-4.md").unlink()
        assert run(root, "build").exit_code == 0
        assert built_edition(root)["number"] == 3
        assert built_edition(root)["slugs"] == ["week3-4", "week3-3", "week3-2"]
        marked = run(root, "editions", "mark-sent")
        assert marked.exit_code == 0, marked.output
        assert run(root, "editions", "mark-sent").exit_code == 2
        assert record(root, 3)["message_id"] == built_edition(root)["message_id"]
        # The article that did not fit waits for the next edition.
        assert run(root, "build").exit_code == 0
        assert built_edition(root)["number"] == 4 and built_edition(root)["slugs"] == ["week3-1"]
        assert run(root, "editions", "mark-sent", "--date", "2026-11-17").exit_code == 0
        assert len(recorder.envelopes) == 3  # nothing went through SMTP for 3 and 4

        # A week with nothing new: no newsletter, everything else built, exit status 0.
        clock[0] = dt.date(2026, 11, 23)
        nothing = run(root, "build")
        assert nothing.exit_code == 0, nothing.output
        assert "No new articles since edition 4: no newsletter this time" in nothing.output
        assert not (root / "output" / "email").exists()
        assert (root / "output/site/week3-1/index.html").is_file()
        return Walk(root, received(recorder))
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    with pytest.MonkeyPatch.context() as patch:
        clock = [dt.date(2026, 11, 2)]
        patch.setattr("pipeline.build.today_in", lambda config: clock[0])
        yield walk_three_weeks(tmp_path_factory.mktemp("walk") / "mag", clock)


def page(walk: Walk, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((walk.root / "output/site" / path).read_bytes())


def test_three_weeks_of_a_publication(walk: Walk) -> None:
    assert [m["Subject"] for m in walk.received[1:]] == ["Wellness Notes #1: Old 5",
                                                         "Wellness Notes #2: New B"]
    listing = run(walk.root, "editions")
    assert listing.exit_code == 0, listing.output
    rows = [line.split()[:3] for line in listing.output.splitlines()[1:5]]
    assert rows == [["4", "2026-11-17", "1"], ["3", "2026-11-16", "3"],
                    ["2", "2026-11-09", "2"], ["1", "2026-11-02", "3"]]
    assert "Next: edition 5: no new articles since edition 4 yet." in listing.output


def test_the_records_hold_what_was_sent(walk: Walk) -> None:
    first = record(walk.root, 1)
    assert [a["slug"] for a in first["articles"]] == ["old-5", "old-4", "old-3"]
    assert [a["title"] for a in first["articles"]] == ["Old 5", "Old 4", "Old 3"]
    assert record(walk.root, 2)["message_id"] == walk.received[2]["Message-ID"]
    assert {record(walk.root, n)["status"] for n in range(1, 5)} == {"sent"}
    assert sorted(p.name for p in (walk.root / "editions").iterdir()) == [
        "0001.toml", "0002.toml", "0003.toml", "0004.toml"]


def test_the_archive_lists_every_edition_newest_first(walk: Walk) -> None:
    index = page(walk, "newsletter/index.html")
    links = [(a.text_content(), a.get("href")) for a in index.xpath("//main//h2/a")]
    assert links == [("Wellness Notes #4: Week3 1", "../newsletter/4/"),
                     ("Wellness Notes #3: Week3 4", "../newsletter/3/"),
                     ("Wellness Notes #2: New B", "../newsletter/2/"),
                     ("Wellness Notes #1: Old 5", "../newsletter/1/")]
    nav = page(walk, "index.html").xpath("//nav[@aria-label='Main']//a/@href")
    assert "newsletter/" in nav
    sitemap = (walk.root / "output/site/sitemap.xml").read_text(encoding="utf-8")
    for number in range(1, 5):
        assert f"<loc>{SITE}/newsletter/{number}/</loc>" in sitemap


def test_each_edition_page_shows_it_as_sent_with_every_disclaimer(walk: Walk) -> None:
    first = page(walk, "newsletter/1/index.html")
    assert first.xpath("string(//h1)") == "Wellness Notes #1: Old 5"
    assert "Edition 1 · 2 November 2026" in " ".join(first.xpath("string(//main)").split())
    titles = [" ".join(h.text_content().split()) for h in first.xpath("//main//h2")]
    assert titles == ["Old 5", "Old 4", "Old 3"]
    # old-4 was deleted since: its recorded title stays, without a link.
    assert [a.get("href") for a in first.xpath("//main//h2/a")] == ["../../old-5/",
                                                                     "../../old-3/"]
    assert first.xpath("//link[@rel='canonical']/@href") == [f"{SITE}/newsletter/1/"]
    for number in range(1, 5):
        text = " ".join(page(walk, f"newsletter/{number}/index.html").text_content().split())
        assert STANDARD_DISCLAIMER in text, number


def test_feeds_and_social_posts_do_not_depend_on_the_editions(walk: Walk,
                                                              tmp_path: Path) -> None:
    """The same articles built without any record: the same feeds and posts, byte for byte."""
    fresh = make_project(tmp_path / "fresh")
    for source in (walk.root / "articles").iterdir():
        (fresh / "articles" / source.name).write_bytes(source.read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pipeline.build.today_in", lambda config: dt.date(2026, 11, 23))
        assert run(fresh, "build").exit_code == 0
    for kind in ("feeds", "social"):
        assert tree_digest(fresh / "output" / kind) == tree_digest(walk.root / "output" / kind)
