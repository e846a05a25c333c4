"""The record of sent newsletter editions: one small TOML file per edition, kept in the project
(``editions/`` beside pipeline.toml), so CI and every editor see the same history.

``editions/0003.toml``::

    # Edition 3 of the newsletter, recorded by pipeline. Hand edits are fine.
    number = 3
    status = "sent"              # "sending" while `pipeline send --mark-sent` delivers it
    sent = 2026-12-14            # the date it was sent
    message_id = "<1f0c...@example.com>"
    subject = "Wellness Notes #3: Easing neck pain"

    [[articles]]
    slug = "neck-pain"
    title = "Easing neck pain"
    date = 2026-12-10T09:00:00+00:00   # optional: the article's date, when it was sent

Records are read strictly (an unknown key is an error, not a silent loss), and a broken one
is reported with its file and line. They are written atomically and flushed to disk, so a
"sending" record is durable before a message goes out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pipeline.errors import EditionError
from pipeline.tomlfile import read_toml

SENT = "sent"
SENDING = "sending"
Status = Literal["sent", "sending"]
_TOP_KEYS = ("number", "status", "sent", "message_id", "subject", "articles")
_ARTICLE_KEYS = ("slug", "title", "date")


@dataclass(frozen=True)
class RecordedArticle:
    slug: str
    title: str
    # The article's date when it went out; a hand-written record may leave it out.
    date: dt.datetime | dt.date | None = None


@dataclass(frozen=True)
class Edition:
    number: int
    sent: dt.date
    subject: str
    message_id: str
    articles: tuple[RecordedArticle, ...]
    status: Status = SENT
    path: Path | None = field(default=None, compare=False)  # the file it was read from

    @property
    def slugs(self) -> list[str]:
        return [article.slug for article in self.articles]


def file_name(number: int) -> str:
    return f"{number:04d}.toml"


@dataclass(frozen=True)
class History:
    """Every recorded edition of a publication, by number."""

    folder: Path | None
    editions: tuple[Edition, ...] = ()

    @classmethod
    def empty(cls) -> History:
        return cls(None)

    def get(self, number: int) -> Edition | None:
        return next((e for e in self.editions if e.number == number), None)

    @property
    def sent(self) -> list[Edition]:
        """Editions recorded as sent, oldest first."""
        return [e for e in self.editions if e.status == SENT]

    @property
    def last_sent(self) -> Edition | None:
        sent = self.sent
        return sent[-1] if sent else None

    @property
    def first_sent(self) -> Edition | None:
        sent = self.sent
        return sent[0] if sent else None

    @property
    def next_number(self) -> int:
        last = self.last_sent
        return last.number + 1 if last else 1

    @property
    def sent_slugs(self) -> set[str]:
        return {slug for edition in self.sent for slug in edition.slugs}


def editions_folder(config_path: Path | None, setting: str) -> Path:
    """The records' folder: ``[newsletter] editions`` relative to the configuration file's
    folder (the current folder without one)."""
    base = config_path.parent if config_path is not None else Path(".")
    return base / setting


# -- reading ---------------------------------------------------------------------------------

def load_history(folder: Path | None) -> History:
    """Every ``*.toml`` record in the folder; a missing folder is an empty history."""
    if folder is None:
        return History.empty()
    if not folder.exists():
        return History(folder)
    if not folder.is_dir():
        raise EditionError(f"{folder}: the editions folder is a file; move it away or set "
                           "[newsletter] editions to another folder")
    editions: dict[int, Edition] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.suffix != ".toml" or not path.is_file():
            continue  # a README, .gitkeep, or a half-written temporary file
        edition = read_record(path)
        if edition.number in editions:
            raise EditionError(f"{path}: edition {edition.number} is also recorded in "
                               f"{editions[edition.number].path}; keep one of the two files")
        editions[edition.number] = edition
    return History(folder, tuple(editions[number] for number in sorted(editions)))


def read_record(path: Path) -> Edition:
    text, data = read_toml(path, EditionError)
    return _Validator(path, text).edition(data)


class _Validator:
    """Turns a parsed record into an Edition, or an error naming the file and line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, line: int, message: str) -> EditionError:
        return EditionError(f"{self.path}:{line}: {message}")

    def line_of(self, key: str, article: int | None = None) -> int:
        """The line of a key, at the top or in the ``article``-th [[articles]] table; else
        the line of that table's header (or 1)."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        start, end = 0, len(self.lines)
        headers = [i for i, line in enumerate(self.lines) if re.match(r"^\s*\[", line)]
        if article is None:
            end = headers[0] if headers else end
        else:
            tables = [i for i in headers if re.match(r"^\s*\[\[\s*articles\s*\]\]", self.lines[i])]
            if article >= len(tables):  # an inline array: point at it
                return self.line_of("articles")
            start = tables[article]
            end = next((i for i in headers if i > start), end)
        for index in range(start, end):
            if pattern.match(self.lines[index]):
                return index + 1
        return start + 1

    def edition(self, data: dict[str, object]) -> Edition:
        unknown = [key for key in data if key not in _TOP_KEYS]
        if unknown:
            raise self.fail(self.line_of(unknown[0]), f"unknown key {unknown[0]!r}; a record "
                            "holds " + ", ".join(_TOP_KEYS))
        number = self.required(data, "number", int, "a whole number, e.g. number = 3")
        if isinstance(number, bool) or number < 1:
            raise self.fail(self.line_of("number"), "number must be 1 or more")
        if self.path.stem.isdigit() and int(self.path.stem) != number:
            raise self.fail(self.line_of("number"),
                            f"number = {number}, but the file is named for edition "
                            f"{int(self.path.stem)}; rename it to {file_name(number)} or fix "
                            "the number")
        status = data.get("status", SENT)
        if status not in (SENT, SENDING):
            raise self.fail(self.line_of("status"),
                            f'status must be "{SENT}" or "{SENDING}", not {status!r}')
        sent = self.required(data, "sent", dt.date, "the date it was sent, e.g. "
                             "sent = 2026-12-14 (no quotes)")
        if isinstance(sent, dt.datetime):
            sent = sent.date()
        subject = self.required(data, "subject", str, 'text, e.g. subject = "Our news"')
        message_id = data.get("message_id", "")
        if not isinstance(message_id, str):
            raise self.fail(self.line_of("message_id"), 'message_id must be text in quotes, '
                            'e.g. message_id = "<abc@example.com>"')
        raw_articles = data.get("articles")
        if not isinstance(raw_articles, list) or not raw_articles:
            raise self.fail(self.line_of("articles"), "a record needs its articles: one "
                            "[[articles]] table each, with slug and title")
        articles = tuple(self.article(item, index) for index, item in enumerate(raw_articles))
        return Edition(number=number, sent=sent, subject=subject, message_id=message_id,
                       articles=articles, status=status, path=self.path)  # type: ignore[arg-type]

    def required(self, data: dict[str, object], key: str, kind: type, example: str,
                 article: int | None = None) -> object:
        if key not in data:
            where = "" if article is None else f" in article {article + 1}"
            raise self.fail(self.line_of(key, article), f"{key} is missing{where}: {example}")
        value = data[key]
        if not isinstance(value, kind) or (kind is str and not str(value).strip()):
            raise self.fail(self.line_of(key, article), f"{key} must be {example}")
        return value

    def article(self, item: object, index: int) -> RecordedArticle:
        if not isinstance(item, dict):
            raise self.fail(self.line_of("articles"), "each article is a table with slug and "
                            "title ([[articles]])")
        unknown = [key for key in item if key not in _ARTICLE_KEYS]
        if unknown:
            raise self.fail(self.line_of(unknown[0], index),
                            f"unknown key {unknown[0]!r} in article {index + 1}; an article "
                            "holds " + ", ".join(_ARTICLE_KEYS))
        slug = self.required(item, "slug", str, 'text, e.g. slug = "neck-pain"', index)
        title = self.required(item, "title", str, 'text, e.g. title = "Easing neck pain"',
                              index)
        date = item.get("date")
        if date is not None and not isinstance(date, dt.date):
            raise self.fail(self.line_of("date", index), "date must be a date or date-time "
                            "without quotes, e.g. date = 2026-12-10")
        return RecordedArticle(str(slug), str(title), date)


# -- writing ---------------------------------------------------------------------------------

def _toml_string(value: str) -> str:
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    out = []
    for char in value:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def format_record(edition: Edition) -> str:
    lines = [
        f"# Edition {edition.number} of the newsletter, recorded by pipeline. Hand edits are "
        "fine;",
        "# `pipeline build` leaves these articles out of the next editions.",
        f"number = {edition.number}",
        f"status = {_toml_string(edition.status)}",
        f"sent = {edition.sent.isoformat()}",
        f"message_id = {_toml_string(edition.message_id)}",
        f"subject = {_toml_string(edition.subject)}",
    ]
    for article in edition.articles:
        lines += ["", "[[articles]]", f"slug = {_toml_string(article.slug)}",
                  f"title = {_toml_string(article.title)}"]
        if article.date is not None:
            lines.append(f"date = {article.date.isoformat()}")
    return "\n".join(lines) + "\n"


def write_record(folder: Path, edition: Edition, *, replace_existing: bool = False) -> Path:
    """Write an edition's record atomically and durably. Without ``replace_existing`` the
    record must not exist yet: two senders racing for the same edition cannot both win."""
    text = format_record(edition)
    if read_back(text, edition) != replace(edition, path=None):
        raise EditionError(f"edition {edition.number}: the record would not read back as "
                           "written; nothing was recorded")  # a bug of ours, never expected
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EditionError(f"cannot create {folder}: {exc.strerror}") from None
    target = folder / file_name(edition.number)
    try:
        with _temporary(folder, text) as temporary:
            if replace_existing:
                os.replace(temporary, target)
            else:
                os.link(temporary, target)  # fails if the record exists: never overwritten
            _sync_folder(folder)
    except FileExistsError:
        raise EditionError(f"edition {edition.number} is already recorded in {target}"
                           ) from None
    except OSError as exc:
        raise EditionError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def read_back(text: str, edition: Edition) -> Edition:
    return replace(_Validator(Path(file_name(edition.number)), text).edition(
        tomllib.loads(text)), path=None)


@contextlib.contextmanager
def _temporary(folder: Path, text: str) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(dir=folder, prefix=".record-", suffix=".tmp")
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        path.chmod(0o644)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system can sync a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
