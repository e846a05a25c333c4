"""The newsletter's HTML, text and .eml, read back with independent parsers: lxml for the
HTML, Python's email package for the message."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from pipeline.build import build
from pipeline.cli import cli
from pipeline.config import STANDARD_DISCLAIMER, load_config
from pipeline.errors import ArtifactError, ConfigError
from tests.helpers import write_article

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 31)
MASSAGE_DISCLAIMER = ("Massage is not suitable for everyone; ask your doctor first if you have a "
                      "blood clotting disorder, a recent injury or are pregnant.")
ARTICLES = [
    # (file, title, date, extra front matter)
    ("neck.md", "Easing a stiff neck at the desk", "2026-11-20",
     "summary: Small breaks and a better screen height may ease neck ache.\n"
     "author: Ana Lee\n"
     "image: https://cdn.example.org/neck.jpg\nimage_alt: A woman stretching at her desk"),
    ("sleep.md", "Sleep and persistent pain", "2026-11-10",
     "summary: How pain and sleep feed each other, and habits that may help."),
    ("heat.md", "Heat or ice for a sore muscle?", "2026-10-01",
     "summary: When cold packs tend to help and when heat is the better choice."),
]


def write_articles(folder: Path, articles: list[tuple[str, str, str, str]] = ARTICLES) -> Path:
    for name, title, date, extra in articles:
        write_article(folder, name, title=title, date=date, extra=extra)
    return folder


def build_newsletter(tmp_path: Path, config_toml: str = "", *,
                     articles: list[tuple[str, str, str, str]] = ARTICLES,
                     since: dt.date | None = None, templates: Path | None = None) -> Path:
    """Build a project in tmp_path; returns its output/email folder."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    config_path = tmp_path / "pipeline.toml"
    config_path.write_text(config_toml, encoding="utf-8")
    articles_dir = tmp_path / "articles"
    if not list(articles_dir.glob("*.md")):
        write_articles(articles_dir, articles)
    out = tmp_path / "output"
    build(articles_dir, out, load_config(config_path), today=TODAY, since=since,
          templates_dir=templates)
    return out / "email"


def parse_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def html_tree(folder: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((folder / "newsletter.html").read_bytes())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_newsletter(tmp_path_factory.mktemp("newsletter"), """
[site]
title = "Wellness Notes"
logo = "images/logo.png"
[newsletter]
postal_address = "Wellness Notes Ltd, 12 Harbour Road, Bristol BS1 5TT"
reason = "You get this email because you subscribed at example.com."
unsubscribe_email = "unsubscribe@example.com"
[newsletter.utm]
source = "newsletter"
medium = "email"
campaign = "weekly"
""")


# --- HTML -----------------------------------------------------------------------------------

def test_header_names_the_publication_and_shows_the_logo(built: Path) -> None:
    tree = html_tree(built)
    assert tree.xpath("string(//h1)").strip() == "Wellness Notes"
    logo = tree.xpath("//img[@src='https://example.com/images/logo.png']")
    assert logo and logo[0].get("alt") == "Wellness Notes"


def test_one_card_per_article_with_title_summary_image_and_read_more(built: Path) -> None:
    tree = html_tree(built)
    titles = [h.text_content().strip() for h in tree.xpath("//h2")]
    assert titles == [title for _, title, _, _ in ARTICLES]  # newest first
    buttons = [a for a in tree.xpath("//a") if a.text_content().strip() == "Read more"]
    assert len(buttons) == 3
    expected = ["https://example.com/neck/", "https://example.com/sleep/",
                "https://example.com/heat/"]
    assert [b.get("href").split("?")[0] for b in buttons] == expected
    text = tree.text_content()
    assert "Small breaks and a better screen height may ease neck ache." in text
    image = tree.xpath("//img[@src='https://cdn.example.org/neck.jpg']")
    assert image and image[0].get("alt") == "A woman stretching at her desk"
    assert len(tree.xpath("//img")) == 2  # the logo and the one article image


def test_links_carry_utm_but_unsubscribe_does_not(built: Path) -> None:
    tree = html_tree(built)
    for anchor in tree.xpath("//a[starts-with(@href, 'https://example.com/')]"):
        query = parse_qs(urlsplit(anchor.get("href")).query)
        assert query["utm_source"] == ["newsletter"], anchor.get("href")
        assert query["utm_medium"] == ["email"] and query["utm_campaign"] == ["weekly"]
    unsubscribe = tree.xpath("//a[normalize-space()='Unsubscribe']")
    assert [a.get("href") for a in unsubscribe] == ["{{unsubscribe_url}}"]


def test_footer_has_disclaimer_address_reason_and_unsubscribe(built: Path) -> None:
    text = " ".join(html_tree(built).text_content().split())
    assert STANDARD_DISCLAIMER in text
    assert "Wellness Notes Ltd, 12 Harbour Road, Bristol BS1 5TT" in text
    assert "You get this email because you subscribed at example.com." in text
    # The footer comes after the last card.
    assert text.index(STANDARD_DISCLAIMER) > text.index("Heat or ice for a sore muscle?")


def test_preheader_is_hidden_padded_and_first_in_the_body(built: Path) -> None:
    tree = html_tree(built)
    hidden = tree.xpath("//body/div[1]/*[1]")[0]  # the first thing inside the email
    assert "display:none" in hidden.get("style")
    content = hidden.text_content()
    assert content.startswith("Small breaks and a better screen height may ease neck ache.")
    assert content.count("\u200c") >= 50  # padding keeps the body out of the preview line
    assert "max-height:0" in hidden.get("style")


def test_dark_mode_is_declared(built: Path) -> None:
    tree = html_tree(built)
    assert tree.xpath("//meta[@name='color-scheme']/@content") == ["light dark"]
    assert tree.xpath("//meta[@name='supported-color-schemes']/@content") == ["light dark"]
    styles = " ".join(tree.xpath("//style/text()"))
    assert "@media (prefers-color-scheme: dark)" in styles


def test_css_is_inlined_and_nothing_is_loaded_from_elsewhere(built: Path) -> None:
    tree = html_tree(built)
    # From the template's <mj-style inline="inline">: footer links get their colour inline.
    unsubscribe = tree.xpath("//a[normalize-space()='Unsubscribe']")[0]
    assert "color: #1d5c4d" in unsubscribe.get("style", "")
    assert "margin: 0" in tree.xpath("//h2")[0].get("style", "")
    assert not tree.xpath("//link[@rel='stylesheet']")
    assert "@import" not in " ".join(tree.xpath("//style/text()"))
    assert not tree.xpath("//script")


def test_text_part_is_wrapped_and_links_are_whole(built: Path) -> None:
    text = (built / "newsletter.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    long_lines = [line for line in lines if len(line) > 78 and not re.fullmatch(r"\S+", line)]
    assert long_lines == []
    prose = [line for line in lines if "://" not in line]
    assert 70 <= max(map(len, prose)) <= 78
    urls = re.findall(r"https://\S+", text)
    assert any(url.startswith("https://example.com/neck/?utm_source=newsletter") for url in urls)
    assert " ".join(STANDARD_DISCLAIMER.split()) in " ".join(text.split())
    assert "Unsubscribe: {{unsubscribe_url}}" in text
    assert "Wellness Notes Ltd, 12 Harbour Road, Bristol BS1 5TT" in text


def test_titles_are_escaped_not_executed(tmp_path: Path) -> None:
    title = 'Stretch <script>alert("x")</script> & "breathe"'
    out = build_newsletter(tmp_path, articles=[("odd.md", title, "2026-11-01", "")])
    tree = html_tree(out)
    assert not tree.xpath("//script")
    assert tree.xpath("string(//h2)").strip() == title
    assert parse_eml(out / "newsletter.eml")["Subject"] == f"Wellness Notes: {title}"


def test_logo_and_utm_are_absent_unless_configured(tmp_path: Path) -> None:
    tree = html_tree(build_newsletter(tmp_path))
    assert not any("utm_" in href for href in tree.xpath("//a/@href"))
    assert len(tree.xpath("//img")) == 1


# --- merge fields ---------------------------------------------------------------------------

@pytest.mark.parametrize("tag", [
    "{{unsubscribe_url}}",
    "*|UNSUB|*",
    "{{ unsubscribe_url }}",
    "%unsubscribe_url%",
    "<%asm_group_unsubscribe_raw_url%>",
    "https://example.com/unsubscribe?list=7&id=*|UNIQID|*",
])
def test_unsubscribe_merge_field_is_never_mangled(tmp_path: Path, tag: str) -> None:
    out = build_newsletter(tmp_path, f"[newsletter]\nunsubscribe_url = '{tag}'\n")
    raw_html = (out / "newsletter.html").read_text(encoding="utf-8")
    assert f'href="{tag.replace("&", "&amp;")}"' in raw_html
    unsubscribe = html_tree(out).xpath("//a[normalize-space()='Unsubscribe']")
    assert [a.get("href") for a in unsubscribe] == [tag]
    assert f"Unsubscribe: {tag}\n" in (out / "newsletter.txt").read_text(encoding="utf-8")
    message = parse_eml(out / "newsletter.eml")
    assert message["List-Unsubscribe"] == f"<{tag}>"
    html_part = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f'href="{tag.replace("&", "&amp;")}"' in html_part
    assert f"Unsubscribe: {tag}" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_view_online_link_and_custom_merge_fields(tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "email"
    templates.mkdir(parents=True)
    default = (REPO / "templates" / "email" / "newsletter.txt.j2").read_text(encoding="utf-8")
    (templates / "newsletter.txt.j2").write_text("Hello {{ merge.first_name }},\n" + default,
                                                 encoding="utf-8")
    out = build_newsletter(tmp_path, """
[newsletter]
unsubscribe_url = "*|UNSUB|*"
view_online_url = "*|ARCHIVE|*"
merge_fields = { first_name = "*|FNAME|*" }
""", templates=tmp_path / "templates")
    text = (out / "newsletter.txt").read_text(encoding="utf-8")
    assert text.startswith("Hello *|FNAME|*,\n")
    assert "View this email in your browser: *|ARCHIVE|*" in text
    hrefs = html_tree(out).xpath("//a/@href")
    assert hrefs.count("*|ARCHIVE|*") == 2 and "*|UNSUB|*" in hrefs


@pytest.mark.parametrize(("toml", "message"), [
    ('[newsletter]\nsubject = "{site}: {headline}"\n', "unknown placeholder {headline}"),
    ('[newsletter]\nsubject = "{site: {lead_title}"\n', "literal brace"),
    ('[newsletter]\nunsubscribe_url = \'<a href="x">\'\n', "without double quotes"),
    ('[newsletter]\nfrom_address = "not an address"\n', "plain email address"),
    ('[newsletter]\nlist_id = "no dots"\n', "RFC 2919"),
])
def test_bad_newsletter_settings_are_named_with_their_line(tmp_path: Path, toml: str,
                                                           message: str) -> None:
    path = tmp_path / "pipeline.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert f"{path}:2" in str(caught.value)


# --- selection and subject ------------------------------------------------------------------

def test_latest_n_articles_by_default(tmp_path: Path) -> None:
    out = build_newsletter(tmp_path, "[newsletter]\nmax_articles = 2\n")
    titles = [h.text_content().strip() for h in html_tree(out).xpath("//h2")]
    assert titles == ["Easing a stiff neck at the desk", "Sleep and persistent pain"]


def test_since_takes_every_article_from_that_date(tmp_path: Path) -> None:
    out = build_newsletter(tmp_path, "[newsletter]\nmax_articles = 1\n",
                           since=dt.date(2026, 11, 10))
    titles = [h.text_content().strip() for h in html_tree(out).xpath("//h2")]
    assert titles == ["Easing a stiff neck at the desk", "Sleep and persistent pain"]


def test_cli_since_and_size_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_articles(tmp_path / "articles")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--since", "2026-11-01"])
    assert result.exit_code == 0, result.output
    assert re.search(r"newsletter HTML is \d+\.\d KB \(\d+% of Gmail's 102 KB", result.output)
    tree = lxml.html.fromstring((tmp_path / "output/email/newsletter.html").read_bytes())
    assert len(tree.xpath("//h2")) == 2
    result = runner.invoke(cli, ["build", "--since", "2027-01-01"])
    assert result.exit_code == 2
    assert "no published article is dated on or after" in result.output
    assert "20 November 2026" in result.output
    result = runner.invoke(cli, ["build", "--since", "yesterday"])
    assert result.exit_code == 2 and "'yesterday' does not match" in result.output


def test_subject_template(tmp_path: Path) -> None:
    out = build_newsletter(tmp_path, """
[site]
title = "Santé Douce"
[newsletter]
subject = "{site} #{number}, {count} articles ({date}): {lead_title}"
""")
    message = parse_eml(out / "newsletter.eml")
    # {date} is the edition's: the day it was built (TODAY), as the email's header shows it.
    assert message["Subject"] == ("Santé Douce #1, 3 articles (31 December 2026): "
                                  "Easing a stiff neck at the desk")
    raw = (out / "newsletter.eml").read_bytes()
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0]  # encoded, the header stays ASCII


# --- disclaimers, size, determinism ---------------------------------------------------------

def test_each_distinct_disclaimer_is_shown_with_its_articles(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, ARTICLES[1:])
    write_article(folder, "massage.md", title="What remedial massage involves",
                  date="2026-11-25", extra="disclaimer: massage", disclaimer=False,
                  body=f"Massage can ease tension.\n\n**Disclaimer:** {MASSAGE_DISCLAIMER}")
    out = build_newsletter(tmp_path, f'[disclaimers.massage]\ntext = "{MASSAGE_DISCLAIMER}"\n')
    text = " ".join(html_tree(out).text_content().split())
    assert f"Medical disclaimer for “What remedial massage involves”: {MASSAGE_DISCLAIMER}" \
        in text
    assert (f"Medical disclaimer for “Sleep and persistent pain”, “Heat or ice for a sore "
            f"muscle?”: {STANDARD_DISCLAIMER}") in text
    plain = " ".join((out / "newsletter.txt").read_text(encoding="utf-8").split())
    assert MASSAGE_DISCLAIMER in plain and STANDARD_DISCLAIMER in plain


def test_a_template_without_the_disclaimer_fails_the_build(tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "email"
    templates.mkdir(parents=True)
    mjml = (REPO / "templates" / "email" / "newsletter.mjml.j2").read_text(encoding="utf-8")
    (templates / "newsletter.mjml.j2").write_text(
        mjml.replace("{{ group.text }}", ""), encoding="utf-8")
    with pytest.raises(ArtifactError) as caught:
        build_newsletter(tmp_path, templates=tmp_path / "templates")
    problems = str(caught.value)
    assert "email/newsletter.html: missing the disclaimer of 'neck'" in problems
    assert "email/newsletter.eml: missing the disclaimer of 'neck' in the text/html part" \
        in problems
    assert "newsletter.txt" not in problems
    assert not (tmp_path / "output").exists()


def test_html_over_gmail_clipping_limit_fails_naming_the_biggest_sections(tmp_path: Path) -> None:
    summary = "Gentle movement may help. " * 170  # about 4.4 KB each
    articles = [(f"a{i:02d}.md", f"Article {i}", f"2026-10-{i + 1:02d}",
                 f"summary: {summary.strip()}") for i in range(22)]
    with pytest.raises(ArtifactError) as caught:
        build_newsletter(tmp_path, "[newsletter]\nmax_articles = 30\n", articles=articles)
    message = str(caught.value)
    assert "over Gmail's clipping limit of 102 KB" in message
    assert re.search(r"Biggest sections: article 'a\d\d' \d+\.\d KB", message)
    assert not (tmp_path / "output").exists()


def test_bundled_articles_fit_under_gmail_clipping(tmp_path: Path) -> None:
    out = tmp_path / "output"
    build(REPO / "articles", out, load_config(None), today=TODAY)
    size = (out / "email" / "newsletter.html").stat().st_size
    assert 0 < size < 102 * 1024


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    first = build_newsletter(tmp_path / "one")
    second = build_newsletter(tmp_path / "two")
    for name in ("newsletter.html", "newsletter.txt", "newsletter.eml"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


# --- the .eml -------------------------------------------------------------------------------

def test_eml_is_multipart_alternative_text_then_html(built: Path) -> None:
    message = parse_eml(built / "newsletter.eml")
    assert message.get_content_type() == "multipart/alternative"
    assert message["MIME-Version"] == "1.0"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    # On the wire every line ends in CRLF; the content is otherwise the files' own.
    for part, name in zip(parts, ("newsletter.txt", "newsletter.html"), strict=True):
        content = part.get_content().replace("\r\n", "\n")
        assert content == (built / name).read_text(encoding="utf-8")


def test_eml_headers(built: Path) -> None:
    message = parse_eml(built / "newsletter.eml")
    assert message["From"].addresses[0].display_name == "Wellness Notes"
    assert message["From"].addresses[0].addr_spec == "newsletter@example.com"
    assert message["Subject"] == "Wellness Notes: Easing a stiff neck at the desk"
    assert parsedate_to_datetime(message["Date"]) == dt.datetime(2026, 11, 20,
                                                                 tzinfo=dt.UTC)
    assert re.fullmatch(r"<[0-9a-f]{32}@example\.com>", message["Message-ID"])
    assert message["List-Id"] == "Wellness Notes <newsletter.example.com>"
    assert message["List-Unsubscribe"] == ("<{{unsubscribe_url}}>, "
                                           "<mailto:unsubscribe@example.com?subject=unsubscribe>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_eml_is_wire_ready(built: Path) -> None:
    raw = (built / "newsletter.eml").read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")  # CRLF line ends only
    header, _, _ = raw.partition(b"\r\n\r\n")
    assert all(len(line) <= 78 for line in header.split(b"\r\n"))
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert raw.isascii()  # 7-bit: quoted-printable parts, encoded headers


def test_message_id_follows_the_content(tmp_path: Path) -> None:
    first = parse_eml(build_newsletter(tmp_path / "one") / "newsletter.eml")["Message-ID"]
    again = parse_eml(build_newsletter(tmp_path / "two") / "newsletter.eml")["Message-ID"]
    changed = parse_eml(build_newsletter(tmp_path / "three", "[newsletter]\nmax_articles = 2\n")
                        / "newsletter.eml")["Message-ID"]
    assert first == again != changed


def test_reply_to_and_list_id_from_config(tmp_path: Path) -> None:
    out = build_newsletter(tmp_path, """
[newsletter]
from_name = "Dr. Ana, Wellness"
from_address = "ana@news.example.org"
reply_to = "ana@example.org"
list_id = "weekly.example.org"
unsubscribe_url = "mailto:leave@example.org"
""")
    message = parse_eml(out / "newsletter.eml")
    assert message["From"].addresses[0].display_name == "Dr. Ana, Wellness"
    assert message["Reply-To"] == "ana@example.org"
    assert message["List-Id"].endswith("<weekly.example.org>")
    assert message["Message-ID"].endswith("@news.example.org>")
    # One-click (RFC 8058) needs an HTTPS URL, so a mailto-only list does not claim it.
    assert message["List-Unsubscribe-Post"] is None
