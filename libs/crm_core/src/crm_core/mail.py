"""Outgoing e-mail: settings, building a message, sending it over SMTP with a typed failure.

A mailing (marketing), a document sent to a client or a helpdesk answer all
go through here: `build_message` makes a standard multipart/alternative
message (plain text and HTML, UTF-8 headers, Message-ID, the List-Unsubscribe
headers of RFC 2369/8058), `Mailer.send` hands it to the SMTP server the
settings name. A failure says whether trying again can help
(`TemporaryMailError`: the server is down, busy or answered 4xx) or not
(`PermanentMailError`: the server refused this recipient or message with 5xx),
so a sending job retries the first and marks the recipient failed on the second.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, make_msgid

import aiosmtplib
from pydantic import AliasChoices, Field, model_validator

from crm_core.settings import EnvironmentSettings

# What `make dev` runs locally (crm_core.smtp_sink) and where it listens.
LOCAL_SMTP_HOST = "127.0.0.1"
LOCAL_SMTP_PORT = 8025
ONE_CLICK = "List-Unsubscribe=One-Click"


def _variable(name: str) -> AliasChoices:
    return AliasChoices(f"CRM_{name}")


class MailSettings(EnvironmentSettings):
    """Where mail goes and who it is from (CRM_SMTP_*, CRM_MAIL_FROM); the defaults reach `make dev`'s sink."""

    smtp_host: str = Field(LOCAL_SMTP_HOST, validation_alias=_variable("SMTP_HOST"))
    smtp_port: int = Field(LOCAL_SMTP_PORT, validation_alias=_variable("SMTP_PORT"))
    # Both or neither: a server that needs no login gets no AUTH.
    smtp_username: str = Field("", validation_alias=_variable("SMTP_USERNAME"))
    smtp_password: str = Field("", validation_alias=_variable("SMTP_PASSWORD"), repr=False)
    # Upgrade a plain connection with STARTTLS (submission, port 587); refuse to send when the server cannot.
    smtp_starttls: bool = Field(False, validation_alias=_variable("SMTP_STARTTLS"))
    # TLS from the first byte (port 465). Exclusive with STARTTLS.
    smtp_tls: bool = Field(False, validation_alias=_variable("SMTP_TLS"))
    # Seconds for connecting and for each answer of the server.
    smtp_timeout: float = Field(30.0, validation_alias=_variable("SMTP_TIMEOUT"))
    # The From of every message: "Name <address>"; the Message-ID's domain is this address's domain.
    mail_from: str = Field("CRM <crm@localhost>", validation_alias=_variable("MAIL_FROM"))

    @model_validator(mode="after")
    def _consistent(self) -> MailSettings:
        if self.smtp_starttls and self.smtp_tls:
            raise ValueError(
                "CRM_SMTP_STARTTLS and CRM_SMTP_TLS exclude each other: STARTTLS upgrades a plain "
                "connection (port 587), TLS starts encrypted (port 465)"
            )
        if bool(self.smtp_username) != bool(self.smtp_password):
            raise ValueError("set both CRM_SMTP_USERNAME and CRM_SMTP_PASSWORD, or neither")
        parse_address(self.mail_from)  # a From that cannot be parsed fails at start, not at the first send
        return self

    @property
    def is_local(self) -> bool:
        """True when mail goes to this machine (the launcher then starts the dev sink if nothing listens)."""
        return self.smtp_host in {"127.0.0.1", "localhost", "::1"}


def parse_address(text: str) -> Address:
    """ "Иван Петров <ivan@example.ru>" or "ivan@example.ru" -> Address (ValueError when it is not one address).

    A domain in another script (`пример.рф`) is written in its IDNA form (`xn--e1afmkfd.xn--p1ai`), which
    every server takes; a mailbox name outside ASCII needs SMTPUTF8 end to end and is refused here.
    """
    pairs = getaddresses([text])
    if len(pairs) != 1 or "@" not in pairs[0][1] or re.search(r"[\s<>]", pairs[0][1]):
        raise ValueError(f"not an e-mail address: {text!r}")
    name, addr_spec = pairs[0]
    local, _, domain = addr_spec.rpartition("@")
    if not local.isascii():
        raise ValueError(f"a mailbox name outside ASCII cannot be sent to: {addr_spec!r}")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise ValueError(f"not a valid domain: {domain!r}") from exc
    return Address(display_name=name, username=local, domain=domain)


def build_message(
    *,
    sender: str | Address,
    to: str | Address,
    subject: str,
    text: str,
    html: str | None = None,
    unsubscribe_url: str | None = None,
    unsubscribe_mailto: str | None = None,
    reply_to: str | Address | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMessage:
    """A message with a plain-text part and, when `html` is given, an HTML alternative.

    Names and subjects may be in any script: the headers are encoded (RFC 2047) when the message is
    serialised. It gets a Message-ID in the sender's domain. With `unsubscribe_url` (the one-click endpoint,
    POSTed to by mail clients, RFC 8058) it carries List-Unsubscribe and List-Unsubscribe-Post;
    `unsubscribe_mailto` adds a mailto: alternative. `headers` adds others (X-CRM-Mailing, ...).
    ValueError for an address that cannot be sent to (see parse_address): a recipient to mark failed.
    """
    sender_address = sender if isinstance(sender, Address) else parse_address(sender)
    message = EmailMessage()
    message["From"] = sender_address
    message["To"] = to if isinstance(to, Address) else parse_address(to)
    # A subject is one line: merge fields that bring a newline must not start a header of their own.
    message["Subject"] = " ".join(subject.split())
    if reply_to is not None:
        message["Reply-To"] = reply_to if isinstance(reply_to, Address) else parse_address(reply_to)
    message["Message-ID"] = make_msgid(domain=sender_address.domain or "localhost")
    targets = [f"<{unsubscribe_url}>"] if unsubscribe_url else []
    if unsubscribe_mailto:
        targets.append(f"<mailto:{unsubscribe_mailto.removeprefix('mailto:')}>")
    if targets:
        message["List-Unsubscribe"] = ", ".join(targets)
    if unsubscribe_url:
        message["List-Unsubscribe-Post"] = ONE_CLICK
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


class MailError(Exception):
    """Sending failed; `code` is the SMTP reply code when the server answered, `recipients` whom it concerns."""

    def __init__(self, message: str, code: int | None = None, recipients: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.recipients = tuple(recipients)


class TemporaryMailError(MailError):
    """Trying again later may succeed: no connection, a timeout, a 4xx answer (greylisting, a full mailbox
    queue), a failed login or TLS upgrade (settings an operator fixes). Retry with a back-off."""


class PermanentMailError(MailError):
    """The server refused this message for good (5xx to a recipient or to the message itself): the address
    does not exist, the mailbox is disabled, the content was rejected. Do not retry; mark the recipient failed."""


class Mailer:
    """Sends messages through the SMTP server of `settings`, one connection per message."""

    def __init__(self, settings: MailSettings | None = None) -> None:
        self.settings = settings or MailSettings()

    async def send(self, message: EmailMessage) -> str:
        """Send `message` (From set to CRM_MAIL_FROM when missing, a Message-ID added when missing) to its
        To/Cc/Bcc; returns its Message-ID. Raises TemporaryMailError or PermanentMailError."""
        settings = self.settings
        if "From" not in message:
            message["From"] = parse_address(settings.mail_from)
        if "Message-ID" not in message:
            domain = parse_address(settings.mail_from).domain or "localhost"
            message["Message-ID"] = make_msgid(domain=domain)
        try:
            refused, _ = await aiosmtplib.send(
                message,
                hostname=settings.smtp_host,
                port=settings.smtp_port,
                username=settings.smtp_username or None,
                password=settings.smtp_password or None,
                use_tls=settings.smtp_tls,
                start_tls=settings.smtp_starttls,
                timeout=settings.smtp_timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:  # every recipient refused
            raise _refusal({r.recipient: (r.code, r.message) for r in exc.recipients}) from exc
        except (aiosmtplib.SMTPDataError, aiosmtplib.SMTPRecipientRefused) as exc:
            failure = PermanentMailError if exc.code >= 500 else TemporaryMailError
            raise failure(f"the SMTP server refused the message: {exc.code} {exc.message}", exc.code) from exc
        except aiosmtplib.SMTPResponseException as exc:  # greeting, HELO, AUTH, MAIL FROM: not this recipient's fault
            raise TemporaryMailError(f"the SMTP server answered {exc.code} {exc.message}", exc.code) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:  # refused connection, timeout, disconnect, TLS
            raise TemporaryMailError(f"cannot send through {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
        if refused:
            # Some recipients took it, others refused: sending again would reach the first ones twice, so
            # this is never worth a retry, whatever the codes (send to one recipient per message to retry).
            replies = {address: (reply.code, reply.message) for address, reply in refused.items()}
            raise _refusal(replies, permanent=True)
        return str(message["Message-ID"])


def _refusal(refused: Mapping[str, tuple[int, str]], permanent: bool = False) -> MailError:
    """PermanentMailError when every refusal is 5xx (or `permanent`), else TemporaryMailError (a 4xx refusal
    may pass later)."""
    permanent = permanent or all(code >= 500 for code, _ in refused.values())
    details = "; ".join(f"{address}: {code} {text}" for address, (code, text) in refused.items())
    code = max(code for code, _ in refused.values())
    failure = PermanentMailError if permanent else TemporaryMailError
    return failure(f"recipient refused: {details}", code, list(refused))
