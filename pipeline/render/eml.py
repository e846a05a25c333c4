"""The newsletter as one RFC 5322 message: multipart/alternative, text then HTML, UTF-8.

Every header is derived from the content, never from the clock or a random source, so the
same articles give the same bytes: Date is the newest included article's date, Message-ID
and the MIME boundary are hashes of the content.
"""

from __future__ import annotations

import hashlib
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import urlsplit

from pipeline.render.context import RenderContext

# CRLF line ends and 78-column folding, as the message travels over SMTP.
POLICY = policy.SMTP


def list_id(ctx: RenderContext) -> str:
    config = ctx.config
    label = config.newsletter.list_id or f"newsletter.{urlsplit(config.site.url).hostname}"
    return formataddr((config.site.title, label))


def list_unsubscribe(ctx: RenderContext) -> list[str]:
    newsletter = ctx.config.newsletter
    uris = [f"<{newsletter.unsubscribe_url}>"]
    if newsletter.unsubscribe_email:
        uris.append(f"<mailto:{newsletter.unsubscribe_email}?subject=unsubscribe>")
    return uris


def _header(name: str, value: str) -> bytes:
    # Through a header object, so non-ASCII text becomes RFC 2047 encoded words.
    return POLICY.header_factory(name, value).fold(policy=POLICY).encode("ascii")


def _list_unsubscribe_header(uris: list[str]) -> bytes:
    # Folded by hand between the URIs only: the library folds at any space, and a space
    # inside a merge tag such as {{ unsubscribe_url }} must never become a line break.
    return ("List-Unsubscribe: " + ",\r\n ".join(uris) + "\r\n").encode("utf-8")


def _body(text: str, html: str, boundary: str) -> bytes:
    message = EmailMessage(policy=POLICY)
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    del message.get_payload()[1]["MIME-Version"]  # only the top level carries it
    message.set_boundary(boundary)
    return message.as_bytes(policy=POLICY)


def build_message(ctx: RenderContext, subject: str, text: str, html: str
                  ) -> tuple[bytes, str]:
    """The message's bytes, and its Message-ID."""
    config = ctx.config
    newsletter = config.newsletter
    digest = hashlib.sha256("\0".join((subject, text, html)).encode("utf-8")).hexdigest()
    sender = Address(newsletter.from_name or config.site.title, addr_spec=newsletter.from_address)
    domain = newsletter.from_address.rpartition("@")[2]
    message_id = f"<{digest[:32]}@{domain}>"
    unsubscribe = list_unsubscribe(ctx)
    headers = [
        _header("From", str(sender)),
        # The provider (or `pipeline send --to`) addresses each copy; the file names nobody.
        _header("To", "undisclosed-recipients:;"),
    ]
    if newsletter.reply_to:
        headers.append(_header("Reply-To", newsletter.reply_to))
    headers += [
        _header("Subject", subject),
        _header("Date", format_datetime(ctx.articles[0].date)),
        _header("Message-ID", message_id),
        _header("List-Id", list_id(ctx)),
        _list_unsubscribe_header(unsubscribe),
    ]
    if not newsletter.unsubscribe_url.lower().startswith("mailto:"):
        # RFC 8058 one-click: the provider's unsubscribe URL accepts this POST.
        headers.append(_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    return b"".join(headers) + _body(text, html, f"=_pipeline_{digest[32:56]}"), message_id
