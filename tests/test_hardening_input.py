"""Issue 10, bad input: every malformed article, path and config gives a clear message naming
the file and line, exit 1 or 2, no traceback, and nothing written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.helpers import DISCLAIMER_PARAGRAPH, article_text, tree_digest, write_article


def fm(front: str, body: str = "Body text.") -> bytes:
    return f"---\n{front}\n---\n\n{body}\n\n{DISCLAIMER_PARAGRAPH}\n".encode()


def nested(depth: int, marker: str) -> str:
    return "\n".join(marker * i + " level" for i in range(1, depth))


BAD_ARTICLES: dict[str, tuple[bytes, int, str]] = {
    # name: (bytes, line, words in the message)
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, "binary file"),
    "latin1": ("---\ntitle: Caf\xe9\ndate: 2026-01-01\n---\n".encode("latin-1"), 2,
               "not valid UTF-8"),
    "utf16": ("---\ntitle: x\n---\n".encode("utf-16"), 1, "binary file"),
    "empty": (b"", 1, "empty"),
    "whitespace-only": (b"  \n\n \t\n", 1, "empty"),
    "not-a-mapping": (fm("just a sentence"), 2, "must be 'key: value' lines"),
    "list-front-matter": (fm("- a\n- b"), 2, "not a list"),
    "alias-bomb": (fm("title: x\ndate: 2026-01-01\na: &a [1,1,1,1,1,1,1,1]\n"
                      "b: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]"),
                   5, "aliases"),
    "unclosed": (b"---\ntitle: x\ndate: 2026-01-01\n\nBody without a closing fence\n", 1,
                 "not closed"),
    "huge-title": (fm(f"title: {'a' * 100_000}\ndate: 2026-01-01"), 2, "100,000 characters"),
    "control-char-body": (fm("title: x\ndate: 2026-01-01", "Bell \x07 here"), 6, "U+0007"),
    "control-char-title": (fm('title: "x\\x1b[31m"\ndate: 2026-01-01'), 2, "control characters"),
    "deep-yaml": (fm("title: x\ndate: 2026-01-01\nextra: " + "[" * 5000 + "]" * 5000), 4,
                  "nest"),
    "slug-traversal": (fm('title: x\ndate: 2026-01-01\nslug: "../../../tmp/x"'), 4,
                       "invalid slug"),
    "slug-absolute": (fm('title: x\ndate: 2026-01-01\nslug: "/etc/passwd"'), 4, "invalid slug"),
    "image-traversal": (fm('title: x\ndate: 2026-01-01\nimage: "../../../etc/passwd"\n'
                           "image_alt: y"), 4, "'image' must be an https URL or a relative"),
    "image-absolute": (fm('title: x\ndate: 2026-01-01\nimage: "/etc/passwd"\nimage_alt: y'), 4,
                       "'image' must be"),
    "image-file-url": (fm('title: x\ndate: 2026-01-01\nimage: "file:///etc/passwd"\n'
                          "image_alt: y"), 4, "scheme 'file:'"),
    "unknown-disclaimer": (fm("title: x\ndate: 2026-01-01\ndisclaimer: nope"), 4,
                           "unknown disclaimer 'nope'"),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_article(tmp_path / "articles", "good.md")
    return tmp_path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result.exit_code, result.output


@pytest.mark.parametrize("name", sorted(BAD_ARTICLES))
def test_bad_article_is_reported_and_nothing_is_written(project: Path, name: str) -> None:
    data, line, words = BAD_ARTICLES[name]
    (project / "articles" / f"{name}.md").write_bytes(data)
    code, output = invoke("build")
    assert code == 1, output
    assert f"articles/{name}.md:{line}:" in output, output
    assert words in output
    assert "Traceback" not in output
    assert not (project / "output").exists()


def test_very_large_file_is_refused_before_reading(project: Path) -> None:
    (project / "pipeline.toml").write_text("[check]\nmax_file_bytes = 1000\n")
    (project / "articles" / "big.md").write_text(article_text(body="word " * 500))
    code, output = invoke("check")
    assert code == 1 and "big.md:1:1: error encoding file is" in output
    assert "over the limit of 1,000" in output


@pytest.mark.parametrize("marker", ["-", ">", "1."])
def test_extremely_deep_markdown_nesting_is_a_clear_error(project: Path, marker: str) -> None:
    prefix = {"-": "  ", ">": ">", "1.": "   "}[marker]
    body = "\n".join(prefix * i + (marker if marker != ">" else "") + " item" for i in range(1000))
    (project / "articles" / "deep.md").write_text(article_text(body=body))
    code, output = invoke("build")
    assert code == 1, output
    assert "articles/deep.md:" in output and "error nesting" in output
    assert "Traceback" not in output
    assert not (project / "output").exists()


def test_mixed_line_endings_and_bom_are_accepted(project: Path) -> None:
    text = article_text(title="Mixed", body="line one\r\nline two\rline three\n")
    (project / "articles" / "mixed.md").write_bytes(b"\xef\xbb\xbf" + text.encode())
    code, output = invoke("check")
    assert code == 0, output


@pytest.mark.parametrize("name,slug", [("My first article.md", "my-first-article"),
                                       ("Éclairs et étirements.md", "eclairs-et-etirements")])
def test_file_names_with_spaces_or_accents_are_accepted(project: Path, name: str,
                                                        slug: str) -> None:
    (project / "articles" / name).write_text(article_text(title="Named"), encoding="utf-8")
    code, output = invoke("build")
    assert code == 0, output
    assert (project / "output" / "social" / f"{slug}.json").is_file()


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_pointing_outside_is_not_followed(project: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(article_text(title="Secret outside article"))
    (project / "articles" / "link.md").symlink_to(outside)
    (project / "articles" / "dirlink").symlink_to(outside.parent)
    code, output = invoke("build")
    assert code == 0, output
    assert b"Secret outside" not in b"".join(
        p.read_bytes() for p in (project / "output").rglob("*") if p.is_file())


BAD_CONFIGS: dict[str, tuple[str, str]] = {
    "unknown-key": ('[site]\ntitle = "x"\ncolour = "red"\n', "pipeline.toml:3: site.colour: "
                    "unknown key"),
    "unknown-section": ('[sitee]\ntitle = "x"\n', "sitee: unknown key"),
    "wrong-type": ("[newsletter]\nmax_articles = \"five\"\n", "pipeline.toml:2: "
                   "newsletter.max_articles"),
    "relative-url": ('[site]\nurl = "/blog"\n', "pipeline.toml:2: site.url: must be an absolute"),
    "bad-timezone": ('[site]\ntimezone = "Mars/Olympus"\n', "site.timezone: must be an IANA"),
    "bad-severity": ('[check.rules.disclaimer-missing]\nseverity = "meh"\n', "severity"),
    "unknown-rule": ('[check.rules.no-such-rule]\nseverity = "off"\n', "unknown rule"),
    "short-disclaimer": ('[disclaimers.x]\ntext = "short"\n', "disclaimers.x.text"),
    "toml-syntax": ("[site\n", "invalid TOML"),
    "not-utf8": ("[site]\ntitle = \"Caf\udce9\"\n", "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_config_exits_2(project: Path, name: str, command: str) -> None:
    text, words = BAD_CONFIGS[name]
    (project / "pipeline.toml").write_bytes(text.encode("utf-8", "surrogateescape"))
    code, output = invoke(command)
    assert code == 2, output
    assert words in output
    assert "Traceback" not in output
    assert not (project / "output").exists()


TEMPLATE_BREAKAGE: dict[str, tuple[str, str, Callable[[str], bool]]] = {
    "syntax": ("email/newsletter.txt.j2", "{% for a in articles %}\n{{ a.title }\n",
               lambda out: "newsletter.txt.j2:2: template syntax error" in out),
    "undefined": ("email/newsletter.txt.j2", "line one\n{{ no_such_variable }}\n",
                  lambda out: "newsletter.txt.j2:2" in out and "no_such_variable" in out),
    "undefined-attribute": ("social/x.txt.j2", "{{ article.no_such_field }} {{ link }}\n",
                            lambda out: "x.txt.j2:1" in out and "no_such_field" in out),
    "drops-disclaimer": ("email/newsletter.txt.j2", "{{ site.title }}\n",
                         lambda out: "dropped the medical disclaimer" in out),
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_BREAKAGE))
def test_broken_user_template_is_named(project: Path, name: str) -> None:
    relative, text, expected = TEMPLATE_BREAKAGE[name]
    invoke("build")
    before = tree_digest(project / "output")
    target = project / "templates" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    code, output = invoke("build")
    assert code == 1, output
    assert expected(output), output
    assert "Traceback" not in output
    assert tree_digest(project / "output") == before


@pytest.mark.parametrize("target", ["articles", ".", "/", "~", "templates"])
def test_dangerous_output_folders_are_refused(project: Path, target: str) -> None:
    (project / "templates").mkdir()
    before = tree_digest(project / "articles")
    code, output = invoke("build", "--output", os.path.expanduser(target))
    assert code == 2, output
    assert "refusing" in output
    assert tree_digest(project / "articles") == before


def test_foreign_non_empty_output_is_never_deleted(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output" / "thesis.docx").write_text("years of work")
    code, output = invoke("build")
    assert code == 2 and "not made by pipeline build" in output
    assert (project / "output" / "thesis.docx").read_text() == "years of work"


# Every bidirectional control Unicode defines (UAX #9, table 1), with its name as the standard
# spells it: written out here, not derived from the code under test.
BIDI_CONTROLS = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING", "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE", "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
}


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize("command", ["build", "check"])
def test_bidi_control_in_a_title_is_refused_at_its_place(project: Path, char: str,
                                                         command: str) -> None:
    # "Stretch for 5 minutes" would show as "setunim 5 rof hcterts" after U+202E, and a title
    # reaches the subject line, the feeds and every post.
    (project / "articles" / "bidi.md").write_bytes(
        fm(f"title: 'Stretch {char}for 5 minutes'\ndate: 2026-03-02\nsummary: A stretch."))
    code, output = invoke(command)
    assert code == 1, output
    # Line 2, column of the character: "title: 'Stretch " is 16 characters.
    expected = (f"articles/bidi.md:2:17: error front-matter 'title' contains "
                f"U+{ord(char):04X} {BIDI_CONTROLS[char]}")
    assert expected in output, output
    assert "delete it" in output
    assert "Traceback" not in output
    assert not (project / "output").exists()


@pytest.mark.parametrize("front,line,col", [
    ("summary: Eases pain \u202eslowly", 4, 21),
    ("author: Rosa \u2067Lind\u2069", 4, 14),
    ("image: images/a\u202e.jpg\nimage_alt: A walk", 4, 16),
    ("image: https://example.com/a.jpg\nimage_alt: A \u200fwalk", 5, 14),
    ("tags: [neck-pain, \u202dposture]", 4, 19),
    ("tags:\n- neck-pain\n- post\u2066ure", 6, 7),
    ("summary: >\n  A folded summary\n  with \u061c in it", 6, 8),
    ('summary: "written as an escape \\u202e"', 4, 1),
], ids=["summary", "author", "image", "image_alt", "tags", "tag-list", "folded", "escape"])
def test_bidi_control_in_any_front_matter_text_is_refused(project: Path, front: str, line: int,
                                                          col: int) -> None:
    (project / "articles" / "bidi.md").write_bytes(fm(f"title: A walk\ndate: 2026-03-02\n{front}"))
    code, output = invoke("check")
    assert code == 1, output
    assert f"articles/bidi.md:{line}:{col}: error front-matter '" in output, output
    assert "bidirectional control" in output


def test_right_to_left_titles_without_controls_are_fine(project: Path) -> None:
    (project / "articles" / "rtl.md").write_bytes(
        fm("title: תרגילי מתיחה לצוואר\ndate: 2026-03-02\nsummary: تمارين بسيطة للرقبة"))
    code, output = invoke("build")
    assert code == 0, output
    assert "תרגילי מתיחה לצוואר" in (project / "output" / "email" / "newsletter.html").read_text()
