"""Issue 17: `pipeline send --mark-sent` never sends an edition twice without asking, against
a real SMTP server (aiosmtpd) on loopback. The crash is real: the server kills the sending
process the moment the message arrives, before `pipeline send` can record the result."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.test_editions import add, make_project, run
from tests.test_send import Recorder, free_port

BIN = Path(sys.executable).parent


class Killer(Recorder):
    """Keeps the message, then kills the client before answering: a crash mid-send."""

    def __init__(self) -> None:
        super().__init__()
        self.victim: int | None = None

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        if self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)
            self.victim = None
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[Callable[..., tuple[Any, int]]]:
    controllers: list[Controller] = []

    def start(handler: Recorder | None = None) -> tuple[Any, int]:
        handler = handler or Recorder()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return handler, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("pipeline.build.today_in", lambda config: dt.date(2026, 11, 2))
    root = make_project(tmp_path / "mag")
    add(root, "post-1", "2026-10-01")
    add(root, "post-2", "2026-10-02")
    assert run(root, "build").exit_code == 0
    return root


def status(root: Path, number: int = 1) -> str | None:
    path = root / "editions" / f"{number:04d}.toml"
    if not path.exists():
        return None
    with path.open("rb") as stream:
        return tomllib.load(stream)["status"]


def cli_send(root: Path, port: int, *args: str) -> subprocess.Popen[str]:
    """The installed command, in a process of its own (a crash kills only it)."""
    return subprocess.Popen(
        [str(BIN / "pipeline"), "send", "--to", "list@example.org", "--smtp",
         f"127.0.0.1:{port}", "--config", str(root / "pipeline.toml"), "--output",
         str(root / "output"), *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def crash_while_sending(root: Path, smtp) -> Killer:  # type: ignore[no-untyped-def]
    killer, port = smtp(Killer())
    process = cli_send(root, port, "--mark-sent")
    killer.victim = process.pid
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert len(killer.envelopes) == 1  # it went out...
    assert status(root) == "sending"  # ...and the record says it may have
    return killer


def test_after_a_crash_the_next_send_asks_and_never_sends_silently(project: Path,
                                                                   smtp) -> None:
    killer = crash_while_sending(project, smtp)
    port = smtp(killer)[1]
    # No one to answer (a CI job): refused, with what to do, and nothing sent.
    process = cli_send(project, port, "--mark-sent")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2, out + err
    assert "Did edition 1 reach its recipients?" in err
    assert "edition 1 may already have gone out" in err
    assert "`pipeline editions mark-sent` if it did" in err and "Traceback" not in err
    assert len(killer.envelopes) == 1 and status(project) == "sending"
    # Without --mark-sent, a send of the edition in doubt is refused as well.
    plain = run(project, "send", "--to", "list@example.org", "--smtp", f"127.0.0.1:{port}")
    assert plain.exit_code == 2 and "may already have gone out" in plain.output
    listing = run(project, "editions")
    assert 'Edition 1 is recorded as "sending" since' in listing.output
    # The editor checked: it did arrive. Only the record changes.
    answered = run(project, "send", "--to", "list@example.org", "--smtp", f"127.0.0.1:{port}",
                   "--mark-sent", input="yes\n")
    assert answered.exit_code == 0, answered.output
    assert "Not sent: recorded edition 1 as sent" in answered.output
    assert len(killer.envelopes) == 1 and status(project) == "sent"


def test_after_a_crash_an_edition_that_did_not_arrive_is_sent_again(project: Path,
                                                                    smtp) -> None:
    killer = crash_while_sending(project, smtp)
    port = smtp(killer)[1]
    answered = run(project, "send", "--to", "list@example.org", "--smtp", f"127.0.0.1:{port}",
                   "--mark-sent", input="no\n")
    assert answered.exit_code == 0, answered.output
    assert "Recorded edition 1 as sent" in answered.output
    assert len(killer.envelopes) == 2 and status(project) == "sent"


def test_again_sends_an_edition_in_doubt_without_asking(project: Path, smtp) -> None:
    killer = crash_while_sending(project, smtp)
    port = smtp(killer)[1]
    result = run(project, "send", "--to", "list@example.org", "--smtp", f"127.0.0.1:{port}",
                 "--mark-sent", "--again")
    assert result.exit_code == 0, result.output
    assert "Did edition 1" not in result.output
    assert len(killer.envelopes) == 2 and status(project) == "sent"


def test_again_resends_a_sent_edition_and_keeps_its_record(project: Path, smtp) -> None:
    recorder, port = smtp()
    args = ["send", "--to", "list@example.org", "--smtp", f"127.0.0.1:{port}", "--mark-sent"]
    assert run(project, *args).exit_code == 0
    record = (project / "editions/0001.toml").read_bytes()
    assert run(project, *args).exit_code == 2
    again = run(project, *args, "--again")
    assert again.exit_code == 0, again.output
    assert "edition 1 stays recorded as sent on 2026-11-02" in again.output
    assert len(recorder.envelopes) == 2
    assert (project / "editions/0001.toml").read_bytes() == record


def test_a_send_that_certainly_failed_leaves_no_record(project: Path) -> None:
    result = run(project, "send", "--to", "list@example.org", "--smtp",
                 f"127.0.0.1:{free_port()}", "--mark-sent")
    assert result.exit_code == 3
    assert "is an SMTP server listening there?" in result.output
    assert not (project / "editions").exists() or status(project) is None


def test_a_send_that_may_have_arrived_stays_in_doubt(project: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts, never answers
        result = run(project, "send", "--to", "list@example.org", "--smtp",
                     f"127.0.0.1:{silent.getsockname()[1]}", "--timeout", "1", "--mark-sent")
    assert result.exit_code == 3
    assert 'stays recorded as "sending"' in result.output
    assert status(project) == "sending"


def test_a_send_that_reached_some_recipients_is_recorded(project: Path, smtp) -> None:
    recorder, port = smtp(Recorder(refuse=("gone@example.org",)))
    result = run(project, "send", "--to", "list@example.org", "--to", "gone@example.org",
                 "--smtp", f"127.0.0.1:{port}", "--mark-sent")
    assert result.exit_code == 5
    assert "edition 1 is recorded as sent" in result.output
    assert status(project) == "sent" and len(recorder.envelopes) == 1


def test_mark_sent_settles_an_edition_in_doubt(project: Path, smtp) -> None:
    crash_while_sending(project, smtp)
    result = run(project, "editions", "mark-sent")
    assert result.exit_code == 0, result.output
    assert 'replacing its unfinished "sending" record' in result.output
    assert status(project) == "sent"
