"""`pipeline send`: deliver the built newsletter.eml through an SMTP server (a test send).

The message goes out as built, with only its To header set to the recipients given. Every
failure becomes a one-line reason with its own exit code; the password is read from an
environment variable and never printed, logged or put in a message.
"""

from __future__ import annotations

import email
import ipaddress
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Literal

from pipeline.errors import PipelineError, UsageError

PASSWORD_ENV = "PIPELINE_SMTP_PASSWORD"
EXIT_CONNECT = 3  # no conversation: DNS, refused, timeout, TLS, server hung up
EXIT_AUTH = 4  # the server rejected the login, or cannot authenticate at all
EXIT_REFUSED = 5  # connected and logged in, but the server refused sender, a recipient or data
_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+")


# Whether the message reached the server when sending failed: "none" (certainly not: no
# connection, login or sender refused...), "partial" (to some recipients) or "unknown" (the
# connection broke or timed out, possibly after the server had taken the message).
Delivery = Literal["none", "partial", "unknown"]


class SendError(PipelineError):
    exit_code = EXIT_CONNECT
    delivered: Delivery = "unknown"

    def __init__(self, message: str, *, delivered: Delivery | None = None) -> None:
        super().__init__(message)
        if delivered is not None:
            self.delivered = delivered


class AuthError(SendError):
    exit_code = EXIT_AUTH
    delivered: Delivery = "none"


class RefusedError(SendError):
    exit_code = EXIT_REFUSED
    delivered: Delivery = "none"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    starttls: bool = False
    ssl: bool = False
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True)
class Sent:
    subject: str
    recipients: list[str]
    size: int
    unsubstituted: str | None  # the unsubscribe merge tag, when one went out as written


def parse_server(value: str, *, starttls: bool, use_ssl: bool) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT`` or ``[IPv6]:PORT``; the port defaults by security mode."""
    default_port = 465 if use_ssl else 587 if starttls else 25
    match = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\](?::(\d+))?|([^:\s\[\]]+)(?::(\d+))?", value)
    if not match:
        raise UsageError(f"--smtp {value!r}: write HOST:PORT, e.g. smtp.example.com:587")
    host = match.group(1) or match.group(3)
    port = int(match.group(2) or match.group(4) or default_port)
    if not 0 < port < 65536:
        raise UsageError(f"--smtp {value!r}: port must be between 1 and 65535")
    return host, port


def check_recipients(addresses: list[str]) -> list[str]:
    for address in addresses:
        if not _ADDRESS.fullmatch(address):
            raise UsageError(f"--to {address!r} is not an email address such as you@example.com")
        if not address.isascii():  # would need SMTPUTF8, which few relays offer for test sends
            raise UsageError(f"--to {address!r}: only ASCII addresses are supported")
    return addresses


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_message(path: Path, recipients: list[str]) -> EmailMessage:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path} not found: run `pipeline build` first") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    message = email.message_from_bytes(data, policy=policy.SMTP)
    if not isinstance(message, EmailMessage) or not message["From"]:
        raise UsageError(f"{path} is not an email message with a From header")
    del message["To"]
    message["To"] = ", ".join(recipients)
    return message


def _unsubstituted(message: EmailMessage) -> str | None:
    header = str(message.get("List-Unsubscribe", ""))
    first = header.split(",")[0].strip().strip("<>")
    return None if first.startswith(("http://", "https://", "mailto:")) or not first else first


def send(path: Path, recipients: list[str], server: Server) -> Sent:
    check_recipients(recipients)
    if server.user and not (server.starttls or server.ssl) and not _is_loopback(server.host):
        raise UsageError(f"refusing to send the password for {server.user!r} unencrypted to "
                         f"{server}: add --starttls (port 587) or --ssl (port 465)")
    if server.user and server.password is None:
        raise UsageError(f"--user {server.user!r} needs a password: set {PASSWORD_ENV}")
    message = load_message(path, recipients)
    data = message.as_bytes(policy=policy.SMTP)
    sender = message["From"].addresses[0].addr_spec
    try:
        _deliver(server, sender, recipients, data)
    except smtplib.SMTPAuthenticationError as exc:
        raise AuthError(f"{server} rejected the login for {server.user!r}: "
                        f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise RefusedError(f"{server} refused every recipient: " + "; ".join(
            f"{who} ({_reply(code, why)})" for who, (code, why) in exc.recipients.items())
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise RefusedError(f"{server} refused the sender {sender}: "
                           f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
    except smtplib.SMTPDataError as exc:
        raise RefusedError(f"{server} refused the message: "
                           f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
    except ssl.SSLCertVerificationError as exc:
        raise SendError(f"the TLS certificate of {server} cannot be trusted: "
                        f"{exc.verify_message}", delivered="none") from None
    except ssl.SSLError as exc:
        raise SendError(f"TLS with {server} failed: {exc.reason or exc}") from None
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib reports a read timeout as a disconnection
            raise SendError(f"{server} did not answer within {server.timeout:g} s") from None
        raise SendError(f"{server} closed the connection; check the port and whether it "
                        "expects --ssl (usually 465) or --starttls (usually 587)") from None
    except TimeoutError:
        raise SendError(f"{server} did not answer within {server.timeout:g} s") from None
    except socket.gaierror:
        raise SendError(f"cannot find the SMTP host {server.host!r} (DNS lookup failed)",
                        delivered="none") from None
    except ConnectionRefusedError:
        raise SendError(f"connection to {server} refused: is an SMTP server listening "
                        "there?", delivered="none") from None
    except smtplib.SMTPResponseException as exc:
        raise RefusedError(f"{server} answered {_reply(exc.smtp_code, exc.smtp_error)}"
                           ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"sending through {server} failed: {exc}") from None
    return Sent(subject=str(message["Subject"]), recipients=recipients, size=len(data),
                unsubstituted=_unsubstituted(message))


def _deliver(server: Server, sender: str, recipients: list[str], data: bytes) -> None:
    context = ssl.create_default_context()
    client_class = smtplib.SMTP_SSL if server.ssl else smtplib.SMTP
    kwargs = {"context": context} if server.ssl else {}
    with client_class(server.host, server.port, timeout=server.timeout, **kwargs) as client:
        client.ehlo_or_helo_if_needed()
        if server.starttls:
            if not client.has_extn("starttls"):
                raise SendError(f"{server} does not offer STARTTLS; drop --starttls or use "
                                "--ssl with the server's TLS port", delivered="none")
            client.starttls(context=context)
            client.ehlo()
        if server.user:
            if not client.has_extn("auth"):
                raise AuthError(f"{server} does not offer AUTH"
                                + ("" if server.starttls or server.ssl
                                   else " before TLS; add --starttls"))
            try:
                client.login(server.user, server.password or "")
            except smtplib.SMTPAuthenticationError:
                raise
            except smtplib.SMTPException as exc:  # e.g. no AUTH mechanism in common
                raise AuthError(f"{server} cannot log in {server.user!r}: {exc}") from None
        refused = client.sendmail(sender, recipients, data)
    if refused:
        raise RefusedError("refused " + "; ".join(
            f"{who} ({_reply(code, why)})" for who, (code, why) in refused.items())
            + f" (delivered to the others through {server})", delivered="partial")


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(message.split())}".strip()
