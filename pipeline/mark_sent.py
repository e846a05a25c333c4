"""Recording a built edition as sent: `pipeline editions mark-sent` (for editors who import
the .eml or HTML into their email provider) and `pipeline send --mark-sent`.

The build describes its edition in ``output/email/edition.json``. Sending records the edition
as "sending" (durably) before the message goes out and as "sent" after, so a crash in
between is never followed by a silent second send: the next try finds the "sending" record
and asks whether the edition went out.
"""

from __future__ import annotations

import datetime as dt
import email
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from email import policy
from pathlib import Path

from pipeline import send as smtp
from pipeline.editions import (
    SENDING,
    SENT,
    Edition,
    History,
    RecordedArticle,
    file_name,
    load_history,
    write_record,
)
from pipeline.errors import EditionError, PipelineError
from pipeline.output import MARKER
from pipeline.render.email import EDITION_PATH, EML_PATH


@dataclass(frozen=True)
class BuiltEdition:
    """The edition a build wrote, as ``output/email/edition.json`` describes it."""

    number: int
    date: dt.date
    subject: str
    message_id: str
    articles: tuple[RecordedArticle, ...]

    @property
    def slugs(self) -> list[str]:
        return [article.slug for article in self.articles]

    def record(self, sent_on: dt.date, status: str = SENT) -> Edition:
        return Edition(self.number, sent_on, self.subject, self.message_id, self.articles,
                       status)  # type: ignore[arg-type]


def read_built(output_dir: Path) -> BuiltEdition:
    """The built edition; an error saying why there is none (no build, nothing new)."""
    path = output_dir / EDITION_PATH
    try:
        data = json.loads(path.read_bytes())
        articles = tuple(RecordedArticle(item["slug"], item["title"],
                                         dt.datetime.fromisoformat(item["date"]))
                         for item in data["articles"])
        built = BuiltEdition(int(data["number"]), dt.date.fromisoformat(data["date"]),
                             str(data["subject"]), str(data["message_id"]), articles)
    except FileNotFoundError:
        if (output_dir / MARKER).exists():
            raise EditionError(f"{output_dir} holds no newsletter: the last `pipeline build` "
                               "found no new article to send") from None
        raise EditionError(f"{output_dir / EML_PATH} not found: run `pipeline build` first"
                           ) from None
    except OSError as exc:
        raise EditionError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise EditionError(f"{path} is damaged ({type(exc).__name__}: {exc}); run "
                           "`pipeline build` again") from None
    _check_message(output_dir, built)
    return built


def _check_message(output_dir: Path, built: BuiltEdition) -> None:
    path = output_dir / EML_PATH
    try:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    except OSError as exc:
        raise EditionError(f"cannot read {path}: {exc.strerror}; run `pipeline build` again"
                           ) from None
    if str(message.get("Message-ID", "")) != built.message_id:
        raise EditionError(f"{path} is not the message {output_dir / EDITION_PATH} describes "
                           f"(Message-ID {built.message_id}); run `pipeline build` again")


def _where(edition: Edition) -> str:
    return f" ({edition.path})" if edition.path else ""


def _refuse_recorded(built: BuiltEdition, history: History) -> Edition | None:
    """The in-doubt ("sending") record of this edition, if any; an error if it is recorded
    as sent, or if the records moved on since the build."""
    existing = history.get(built.number)
    if existing is not None and existing.status == SENT:
        raise EditionError(
            f"edition {built.number} is already recorded as sent on {existing.sent}"
            f"{_where(existing)}; run `pipeline build` for edition {history.next_number}")
    if built.number != history.next_number:
        raise EditionError(
            f"{EDITION_PATH} holds edition {built.number}, but after the editions recorded in "
            f"{history.folder} the next one is {history.next_number}: run `pipeline build` "
            "again")
    return existing


@dataclass(frozen=True)
class Marked:
    edition: Edition
    path: Path
    replaced_sending: bool  # it was recorded as "sending" (a send that never finished)


def mark_sent(output_dir: Path, editions_dir: Path, sent_on: dt.date) -> Marked:
    """Record the built edition as sent on ``sent_on``; refuse one already recorded."""
    history = load_history(editions_dir)
    built = read_built(output_dir)
    existing = _refuse_recorded(built, history)
    edition = built.record(sent_on)
    path = write_record(editions_dir, edition, replace_existing=existing is not None)
    return Marked(edition, path, existing is not None)


# -- sending -----------------------------------------------------------------------------

# Asked when a "sending" record is found: True if the edition did go out (then it is only
# recorded as sent), False if it did not (then it is sent now); None: no answer (refused).
Ask = Callable[[Edition], bool | None]


@dataclass(frozen=True)
class SendOutcome:
    sent: smtp.Sent | None  # None: not sent (the editor said the last try had gone out)
    edition: int | None = None  # the built edition, when the build described one
    recorded: Path | None = None  # the record written as "sent"
    note: str | None = None


def send_edition(output_dir: Path, editions_dir: Path, recipients: list[str],
                 server: smtp.Server, *, mark_sent: bool, again: bool, today: dt.date,
                 ask: Ask) -> SendOutcome:
    """Send the built newsletter; with ``mark_sent``, record it ("sending", then "sent").

    An edition already recorded is refused unless ``again``. Without ``mark_sent`` the
    records are only read (a test send of an edition not yet recorded is fine)."""
    smtp.check_recipients(recipients)  # before anything is recorded
    eml = output_dir / EML_PATH
    if not (output_dir / EDITION_PATH).exists() and not mark_sent and eml.exists():
        return SendOutcome(smtp.send(eml, recipients, server))  # built before editions
    history = load_history(editions_dir)
    built = read_built(output_dir)
    existing = history.get(built.number)
    if existing is not None and existing.status == SENT:
        if not again:
            raise EditionError(
                f"edition {built.number} was already sent on {existing.sent}"
                f"{_where(existing)}; not sending it again. Run `pipeline build` for edition "
                f"{history.next_number}, or add --again to send it anyway")
        note = f"edition {built.number} stays recorded as sent on {existing.sent}"
        return SendOutcome(smtp.send(eml, recipients, server), built.number,
                           note=note if mark_sent else None)
    if existing is not None and not again:  # "sending": a send that never finished
        if not mark_sent:
            raise EditionError(_in_doubt(existing) + "; run `pipeline send --mark-sent` to "
                               "settle it, or add --again to send it anyway")
        answer = ask(existing)
        if answer is None:
            raise EditionError(_in_doubt(existing) + ". Check whether it arrived, then run "
                               "`pipeline editions mark-sent` if it did, or `pipeline send "
                               "--mark-sent --again` if it did not")
        if answer:
            path = write_record(editions_dir, replace(existing, status=SENT),
                                replace_existing=True)
            return SendOutcome(None, built.number, path, note=(
                f"recorded edition {built.number} as sent; nothing was sent now. Run "
                f"`pipeline build` for edition {built.number + 1}"))
    if not mark_sent:
        return SendOutcome(smtp.send(eml, recipients, server), built.number)
    if existing is None:
        _refuse_recorded(built, history)  # the records moved on since the build
    return _send_and_record(built, existing, editions_dir, eml, recipients, server, today)


def _in_doubt(existing: Edition) -> str:
    return (f"edition {existing.number} may already have gone out: a `pipeline send` "
            f"started sending it on {existing.sent} and stopped before it could record the "
            f"result{_where(existing)}")


def _send_and_record(built: BuiltEdition, existing: Edition | None, editions_dir: Path,
                     eml: Path, recipients: list[str], server: smtp.Server,
                     today: dt.date) -> SendOutcome:
    sending = built.record(today, SENDING)
    write_record(editions_dir, sending, replace_existing=existing is not None)
    try:
        sent = smtp.send(eml, recipients, server)
    except PipelineError as exc:
        delivered = getattr(exc, "delivered", "none")  # usage errors come before any delivery
        if delivered == "none":
            _restore(editions_dir, sending, existing)
        elif delivered == "partial":
            write_record(editions_dir, replace(sending, status=SENT), replace_existing=True)
            exc.message += f"; edition {built.number} is recorded as sent"
        else:
            exc.message += (f"; it may have reached the server, so edition {built.number} "
                            "stays recorded as \"sending\" and the next `pipeline send "
                            "--mark-sent` asks whether it arrived")
        raise
    try:
        path = write_record(editions_dir, replace(sending, status=SENT), replace_existing=True)
    except EditionError as exc:
        exc.message = (f"edition {built.number} was sent, but could not be recorded as sent "
                       f"({exc.message}); it stays recorded as \"sending\"")
        raise
    return SendOutcome(sent, built.number, path)


def _restore(editions_dir: Path, sending: Edition, existing: Edition | None) -> None:
    """Nothing went out: put the records back as they were before this try."""
    if existing is not None:
        write_record(editions_dir, existing, replace_existing=True)
        return
    (editions_dir / file_name(sending.number)).unlink(missing_ok=True)
