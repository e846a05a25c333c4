"""`pipeline send` against a real SMTP server (aiosmtpd) started on loopback in the test."""

from __future__ import annotations

import email
import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner, Result

from pipeline.cli import cli
from pipeline.send import parse_server
from tests.test_email import build_newsletter

PASSWORD = "s3cret-Pa55word"
USER = "editor"
BIN = Path(sys.executable).parent


class Recorder:
    """Accepts every message and keeps it; refuses the recipients it is told to."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.refuse = refuse
        self.envelopes: list[Any] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., tuple[Recorder, int]]]:
    controllers: list[Controller] = []

    def start(refuse: tuple[str, ...] = (), **options: Any) -> tuple[Recorder, int]:
        recorder = Recorder(refuse)
        port = free_port()
        controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        return recorder, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_newsletter(tmp_path_factory.mktemp("send")).parent


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def tls_server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def send(output: Path, port: int, *args: str, password: str | None = None) -> Result:
    env = {"PIPELINE_SMTP_PASSWORD": password}
    return CliRunner().invoke(cli, ["send", "--output", str(output), "--smtp",
                                    f"127.0.0.1:{port}", *args], env=env)


def received(recorder: Recorder) -> EmailMessage:
    assert len(recorder.envelopes) == 1
    message = email.message_from_bytes(recorder.envelopes[0].content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_sends_the_built_message_to_each_recipient(output: Path, smtp_server) -> None:
    recorder, port = smtp_server()
    result = send(output, port, "--to", "ana@example.org", "--to", "ben@example.net")
    assert result.exit_code == 0, result.output
    assert "Sent \"Wellness Notes: Easing a stiff neck at the desk\"" in result.output
    assert "{{unsubscribe_url}}" in result.output  # says the merge field went out as written
    envelope = recorder.envelopes[0]
    assert envelope.mail_from == "newsletter@example.com"
    assert envelope.rcpt_tos == ["ana@example.org", "ben@example.net"]
    message = received(recorder)
    built = email.message_from_bytes((output / "email/newsletter.eml").read_bytes(),
                                     policy=policy.default)
    assert message["To"] == "ana@example.org, ben@example.net"
    for header in ("Subject", "From", "Date", "Message-ID", "List-Id", "List-Unsubscribe",
                   "List-Unsubscribe-Post"):
        assert message[header] == built[header], header
    for subtype in ("plain", "html"):
        assert message.get_body((subtype,)).get_content() == \
            built.get_body((subtype,)).get_content()  # type: ignore[union-attr]


def test_login_on_loopback(output: Path, smtp_server) -> None:
    recorder, port = smtp_server(authenticator=_authenticate, auth_require_tls=False)
    result = send(output, port, "--to", "ana@example.org", "--user", USER, password=PASSWORD)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert len(recorder.envelopes) == 1


def test_wrong_password_exits_4_without_printing_it(output: Path, smtp_server) -> None:
    recorder, port = smtp_server(authenticator=_authenticate, auth_require_tls=False)
    result = send(output, port, "--to", "ana@example.org", "--user", USER, password="wrong-pw")
    assert result.exit_code == 4
    assert "rejected the login for 'editor'" in result.output and "535" in result.output
    assert "wrong-pw" not in result.output
    assert recorder.envelopes == []


def test_user_without_password_variable_is_a_usage_error(output: Path, smtp_server) -> None:
    _, port = smtp_server()
    result = send(output, port, "--to", "ana@example.org", "--user", USER)
    assert result.exit_code == 2
    assert "set PIPELINE_SMTP_PASSWORD" in result.output


def test_starttls_with_login(output: Path, smtp_server, ca: trustme.CA, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port = smtp_server(tls_context=tls_server_context(ca), require_starttls=True,
                                 authenticator=_authenticate)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    result = send(output, port, "--to", "ana@example.org", "--starttls", "--user", USER,
                  password=PASSWORD)
    assert result.exit_code == 0, result.output
    assert received(recorder)["Subject"].startswith("Wellness Notes: ")


def test_untrusted_certificate_exits_3(output: Path, smtp_server, ca: trustme.CA,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    recorder, port = smtp_server(tls_context=tls_server_context(ca), require_starttls=True)
    result = send(output, port, "--to", "ana@example.org", "--starttls")
    assert result.exit_code == 3
    assert "TLS certificate of 127.0.0.1" in result.output and "cannot be trusted" in result.output
    assert recorder.envelopes == []


def test_starttls_not_offered_exits_3(output: Path, smtp_server) -> None:
    _, port = smtp_server()
    result = send(output, port, "--to", "ana@example.org", "--starttls")
    assert result.exit_code == 3
    assert "does not offer STARTTLS" in result.output


def test_password_never_goes_out_unencrypted_to_another_host(output: Path) -> None:
    result = CliRunner().invoke(cli, ["send", "--output", str(output), "--smtp",
                                      "smtp.invalid:25", "--to", "ana@example.org", "--user",
                                      USER], env={"PIPELINE_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 2
    assert "refusing to send the password" in result.output and "--starttls" in result.output


def test_connection_refused_exits_3(output: Path) -> None:
    result = send(output, free_port(), "--to", "ana@example.org")
    assert result.exit_code == 3
    assert "refused" in result.output and "is an SMTP server listening" in result.output


def test_silent_server_times_out_with_exit_3(output: Path) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts the connection but never greets
        port = silent.getsockname()[1]
        result = send(output, port, "--to", "ana@example.org", "--timeout", "1")
    assert result.exit_code == 3
    assert "did not answer within 1 s" in result.output


def test_every_recipient_refused_exits_5(output: Path, smtp_server) -> None:
    recorder, port = smtp_server(refuse=("nobody@example.org",))
    result = send(output, port, "--to", "nobody@example.org")
    assert result.exit_code == 5
    assert "refused every recipient: nobody@example.org (550 5.1.1 No such user here)" \
        in result.output
    assert recorder.envelopes == []


def test_some_recipients_refused_exits_5_after_delivering_the_rest(output: Path,
                                                                   smtp_server) -> None:
    recorder, port = smtp_server(refuse=("nobody@example.org",))
    result = send(output, port, "--to", "ana@example.org", "--to", "nobody@example.org")
    assert result.exit_code == 5
    assert "refused nobody@example.org (550" in result.output
    assert "delivered to the others" in result.output
    assert recorder.envelopes[0].rcpt_tos == ["ana@example.org"]


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "not-an-address"], "is not an email address"),
    (["--to", "a@example.org\r\nBcc: x@example.org"], "is not an email address"),
    (["--to", "zoë@example.org"], "only ASCII addresses"),
    (["--to", "a@example.org", "--smtp", "host:99999"], "port must be between"),
    (["--to", "a@example.org", "--starttls", "--ssl"], "either --starttls or --ssl"),
    ([], "Missing option '--to'"),
])
def test_bad_options_are_usage_errors(output: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["send", "--output", str(output), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_nothing_built_yet(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["send", "--output", str(tmp_path), "--to",
                                      "ana@example.org"])
    assert result.exit_code == 2
    assert "newsletter.eml not found: run `pipeline build` first" in result.output


def test_the_installed_command_reports_failures_without_a_traceback(output: Path) -> None:
    env = {**os.environ, "PIPELINE_SMTP_PASSWORD": PASSWORD}
    result = subprocess.run(
        [str(BIN / "pipeline"), "send", "--output", str(output), "--smtp",
         f"127.0.0.1:{free_port()}", "--to", "ana@example.org", "--user", USER],
        capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr + result.stdout
    assert PASSWORD not in result.stderr + result.stdout
    assert result.stderr.startswith("Error: connection to 127.0.0.1:")


def test_implicit_tls(output: Path, smtp_server, ca: trustme.CA, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    recorder, port = smtp_server(ssl_context=tls_server_context(ca))
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    result = send(output, port, "--to", "ana@example.org", "--ssl")
    assert result.exit_code == 0, result.output
    assert received(recorder)["To"] == "ana@example.org"


@pytest.mark.parametrize(("value", "starttls", "use_ssl", "expected"), [
    ("smtp.example.com", False, False, ("smtp.example.com", 25)),
    ("smtp.example.com", True, False, ("smtp.example.com", 587)),
    ("smtp.example.com", False, True, ("smtp.example.com", 465)),
    ("127.0.0.1:2525", True, False, ("127.0.0.1", 2525)),
    ("[::1]:2525", False, False, ("::1", 2525)),
])
def test_server_address_and_default_ports(value: str, starttls: bool, use_ssl: bool,
                                          expected: tuple[str, int]) -> None:
    assert parse_server(value, starttls=starttls, use_ssl=use_ssl) == expected


def test_connection_dropped_mid_conversation_exits_3(output: Path) -> None:
    """A server that greets, hears EHLO and hangs up: a clear error, never a traceback."""
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def greet_then_drop() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.sendall(b"220 flaky.example ESMTP\r\n")
            connection.recv(1024)  # EHLO
        listener.close()

    threading.Thread(target=greet_then_drop, daemon=True).start()
    result = send(output, listener.getsockname()[1], "--to", "ana@example.org", "--timeout", "5")
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "closed the connection" in result.output or "disconnected" in result.output.lower()
