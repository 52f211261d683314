"""Reading an incoming e-mail: what it says, who sent it, what it answers, and whether a person wrote it.

Pure functions, no I/O: `parse_email` turns raw RFC 822 bytes into a `ParsedEmail`
and `classify` says whether the message is one to act on or an auto-reply, a
bounce or a loop of our own mail. Mail in the wild is broken in every way a
header or a body can be, so nothing here trusts a declared charset: a part that
does not decode as it says is tried as UTF-8, then as the Cyrillic code page
(cp1251 or koi8-r, whichever reads as more lowercase Russian), then latin-1,
which always succeeds. Only a message with no headers at all or no sender
address is refused (`email_malformed`), and one over 25 MB (`email_too_large`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from crm_core.errors import FieldProblem, InvalidArgument
from crm_helpdesk.mail_text import cut_quoted, html_to_text

MAX_EMAIL_BYTES = 25 * 1024 * 1024
MAX_SUBJECT = 500
MAX_FILENAME = 255
MAX_MESSAGE_ID = 250
MAX_ADDRESS = 254
MAX_NAME = 300
# What an outgoing notification carries (mail_notify): a message with it that comes back is a loop.
LOOP_HEADER = "X-CRM-Helpdesk"
OUTGOING_ID_PREFIX = "ticket-msg-"

# Reply and forward prefixes of the mail clients our clients use ("Re:", "Fwd:", Outlook's Russian "Ответ:"
# and "На:", "RE[2]:", German "AW:"/"WG:").
_PREFIX = re.compile(r"^\s*(?:re|fwd?|aw|wg|ответ|на|отв|пересл)\s*(?:\[\d+\])?\s*:\s*", re.IGNORECASE)
# "[#1024-k3j9xq]": the ticket's number and its e-mail token (TicketRow.email_token).
_TOKEN = re.compile(r"\[#(\d{1,18})-([a-z0-9]{4,32})\]", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:автоответ|автоматический ответ|out of office|automatic reply|auto(?:matic)?[- ]?reply|"
    r"autoreply|abwesenheitsnotiz|нет на месте)",
    re.IGNORECASE,
)
_AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk", "list"}
_BOUNCE_SENDERS = {"mailer-daemon", "postmaster"}
# What the stdlib's header and MIME code raises on input it cannot make sense of.
_BROKEN = (ValueError, TypeError, AttributeError, IndexError, LookupError, UnicodeError, MessageError)


def email_too_large() -> InvalidArgument:
    message = f"the e-mail is larger than {MAX_EMAIL_BYTES // (1024 * 1024)} MB"
    return InvalidArgument("email_too_large", message, [FieldProblem("raw", "email_too_large", message)])


def email_malformed(why: str) -> InvalidArgument:
    message = f"the e-mail cannot be read: {why}"
    return InvalidArgument("email_malformed", message, [FieldProblem("raw", "email_malformed", message)])


@dataclass(frozen=True)
class MailAttachment:
    """A file the message carries: its decoded name, the declared content type and the bytes."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedEmail:
    """What the intake needs of one message. Message-IDs keep their angle brackets ("<a@b>")."""

    sender: str
    sender_name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    body: str
    attachments: tuple[MailAttachment, ...] = ()
    # The message's headers that classify() reads, lowercased names.
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/plain"
    sha256: bytes = b""

    @property
    def topic(self) -> str:
        """The subject a new ticket gets: without "Re:"/"Fwd:"/"Ответ:" prefixes and the ticket token."""
        return clean_subject(self.subject)

    @property
    def token(self) -> tuple[int, str] | None:
        """The ticket number and e-mail token in the subject ("[#1024-k3j9xq]"), if any."""
        return subject_token(self.subject)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """The Message-IDs this one answers: In-Reply-To first, then References, newest first."""
        return tuple(dict.fromkeys((*self.in_reply_to, *reversed(self.references))))

    @property
    def message_key(self) -> str:
        """The dedup key: the Message-ID, or the SHA-256 of the raw bytes when there is none."""
        return self.message_id or f"sha256:{self.sha256.hex()}"


def clean_subject(subject: str) -> str:
    """The subject without reply/forward prefixes (repeated ones too) and without the ticket token."""
    text = _TOKEN.sub(" ", subject)
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.split())[:MAX_SUBJECT]


def subject_token(subject: str) -> tuple[int, str] | None:
    found = _TOKEN.search(subject)
    return (int(found.group(1)), found.group(2).lower()) if found else None


def classify(email: ParsedEmail, own_domain: str = "") -> str:
    """ "" for a message a person wrote; else why to ignore it: "loop" (our own notification came back),
    "bounce" (a delivery report), "auto_reply" (an out-of-office, a list, an autoresponder)."""
    headers = email.headers
    own_id = f"@{own_domain.lower()}>" if own_domain else ""
    if LOOP_HEADER.lower() in headers or (
        email.message_id.startswith(f"<{OUTGOING_ID_PREFIX}") and (not own_id or email.message_id.endswith(own_id))
    ):
        return "loop"
    local_part = email.sender.partition("@")[0]
    report = email.content_type == "multipart/report" and "delivery-status" in headers.get("content-type", "").lower()
    if report or local_part in _BOUNCE_SENDERS or headers.get("return-path", "").strip() == "<>":
        return "bounce"
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto_reply"
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return "auto_reply"
    if headers.get("precedence", "").strip().lower() in _AUTO_PRECEDENCE:
        return "auto_reply"
    if _AUTO_SUBJECT.search(email.subject):
        return "auto_reply"
    return ""


def parse_email(raw: bytes) -> ParsedEmail:
    """The message in `raw`; InvalidArgument `email_too_large` over 25 MB, `email_malformed` when it has no
    headers or no sender address."""
    if len(raw) > MAX_EMAIL_BYTES:
        raise email_too_large()
    if not raw.strip():
        raise email_malformed("it is empty")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # the parser is lenient; anything it still cannot take is a malformed message
        raise email_malformed(type(exc).__name__) from exc
    if not message.keys():
        raise email_malformed("it has no headers")
    sender_name, sender = _first_address(message, "From")
    if not sender:
        sender_name, sender = _first_address(message, "Sender")
    if not sender:
        raise email_malformed("it has no sender address (From)")
    body_part = _body_part(message)
    body = _part_text(body_part) if body_part is not None else ""
    if body_part is not None and body_part.get_content_type() == "text/html":
        body = html_to_text(body)
    attachments = tuple(_attachments(message, body_part))
    if not body.strip():
        body = _forwarded_body(message)
    return ParsedEmail(
        sender=sender,
        sender_name=sender_name,
        to=tuple(a for _, a in _addresses(message, "To")),
        cc=tuple(a for _, a in _addresses(message, "Cc")),
        subject=" ".join(_header(message, "Subject").split())[:MAX_SUBJECT],
        message_id=next(iter(_ids(_header(message, "Message-ID"))), ""),
        in_reply_to=_ids(_header(message, "In-Reply-To")),
        references=_ids(_header(message, "References")),
        body=cut_quoted(body),
        attachments=attachments,
        headers={name.lower(): _header(message, name) for name in set(message.keys())},
        content_type=message.get_content_type(),
        sha256=hashlib.sha256(raw).digest(),
    )


# Headers -------------------------------------------------------------------------------------------------


def _header(message: Message, name: str) -> str:
    """A header's decoded text ("" when absent); raw 8-bit bytes in it are read as the body would be."""
    raw_value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)  # type: ignore[attr-defined]
    if raw_value is None:
        return ""
    raw_text = str(raw_value)
    if any("\udc80" <= c <= "\udcff" for c in raw_text):  # unencoded 8-bit bytes, kept as surrogates
        text = decode_bytes(raw_text.encode("utf-8", "surrogateescape"), None)
    else:
        try:
            text = str(message.get(name))
        except _BROKEN:  # a header the policy's registry cannot parse: its raw text
            text = raw_text
    if "=?" in text:  # an encoded word the policy left alone (inside quotes, in a broken header)
        with contextlib.suppress(*_BROKEN):
            text = str(make_header(decode_header(text)))
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _addresses(message: Message, name: str) -> list[tuple[str, str]]:
    """(display name, lowercased address) of each address of a header; broken ones skipped."""
    text = _header(message, name)
    if not text:
        return []
    pairs = getaddresses([text])
    return [
        (n.strip()[:MAX_NAME], a.strip().lower())
        for n, a in pairs
        if "@" in a and len(a.strip()) <= MAX_ADDRESS and not re.search(r"[\s<>]", a.strip())
    ]


def _first_address(message: Message, name: str) -> tuple[str, str]:
    found = _addresses(message, name)
    if found:
        return found[0]
    display, address = parseaddr(_header(message, name))
    usable = "@" in address and len(address) <= MAX_ADDRESS
    return (display[:MAX_NAME], address.lower()) if usable else ("", "")


def _ids(text: str) -> tuple[str, ...]:
    """The "<id>"s of a Message-ID / In-Reply-To / References header; a bare id gets its brackets."""
    found = _MESSAGE_ID.findall(text)
    if not found and text.strip() and "@" in text and " " not in text.strip():
        found = [f"<{text.strip()}>"]
    # An id longer than any real one cannot match one of ours and would not fit an index: dropped.
    return tuple(dict.fromkeys(i for i in found if len(i) <= MAX_MESSAGE_ID))


# Bodies --------------------------------------------------------------------------------------------------


def decode_bytes(data: bytes, declared: str | None) -> str:
    """Text of `data`: the declared charset if it decodes cleanly, else UTF-8, else the Cyrillic code page
    that reads as more lowercase Russian (cp1251 or koi8-r), else latin-1."""
    for charset in (declared, "utf-8"):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    candidates = [data.decode(c, "replace") for c in ("cp1251", "koi8-r")]
    best = max(candidates, key=lambda s: sum("а" <= c <= "я" for c in s))
    if any("а" <= c <= "я" for c in best):
        return best
    return data.decode("latin-1")


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
    try:
        charset = part.get_content_charset()
    except _BROKEN:
        charset = None
    return decode_bytes(payload, charset).replace("\r\n", "\n").replace("\x00", "")


def _body_part(message: Message) -> Message | None:
    """The part to read as the text: plain text preferred over HTML, as the message's own structure says."""
    if isinstance(message, EmailMessage):
        try:
            found = message.get_body(preferencelist=("plain", "html"))
        except _BROKEN:
            found = None
        if found is not None:
            return found
    for part in message.walk():  # a broken structure: the first text part that is not a file
        if part.get_content_maintype() == "text" and not part.get_filename():
            return part
    if not message.is_multipart() and message.get_content_maintype() in ("multipart", "text"):
        return message  # a multipart whose boundary never comes: its content is the text
    return None


def _attachments(message: Message, body_part: Message | None) -> list[MailAttachment]:
    """Every file of the message: parts with a name or that are not text, a forwarded message as .eml.
    The text alternatives of the body are not files."""
    found: list[MailAttachment] = []
    alternatives = _alternatives_of(message, body_part)
    for part in _leaves(message):
        if part is body_part or id(part) in alternatives:
            continue
        content_type = part.get_content_type()
        filename = _filename(part)
        if content_type == "message/rfc822":
            inner = _children(part)
            data = _serialized(inner[0]) if inner else b""
            subject = _header(inner[0], "Subject") if inner else ""
            found.append(MailAttachment(filename or _eml_name(subject), content_type, data))
            continue
        if not filename and part.get_content_maintype() == "text":
            continue  # a second text part of a mixed message (a footer a list added): not a file
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        found.append(MailAttachment(filename or f"attachment-{len(found) + 1}", content_type, content))
    return found


def _leaves(message: Message) -> list[Message]:
    """The non-multipart parts, not descending into attached messages (they are files themselves)."""
    if message.get_content_type() == "message/rfc822" or not message.is_multipart():
        return [message]
    return [leaf for part in _children(message) for leaf in _leaves(part)]


def _children(message: Message) -> list[Message]:
    """The parts of a multipart, or the message inside a message/rfc822 part; [] for a leaf."""
    payload = message.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _alternatives_of(message: Message, body_part: Message | None) -> set[int]:
    """ids of the text parts of the multipart/alternative that holds the body (the HTML of a plain body)."""
    if body_part is None:
        return set()
    for part in message.walk():
        if part.get_content_type() == "multipart/alternative":
            children = _children(part)
            if any(c is body_part for c in _flat(children)):
                return {id(c) for c in _flat(children) if c.get_content_maintype() == "text"}
    return set()


def _flat(parts: list[Message]) -> list[Message]:
    return [leaf for part in parts for leaf in _leaves(part)]


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except _BROKEN:
        name = ""
    if "=?" in name:
        with contextlib.suppress(*_BROKEN):
            name = str(make_header(decode_header(name)))
    if any("\udc80" <= c <= "\udcff" for c in name):
        name = decode_bytes(name.encode("utf-8", "surrogateescape"), None)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip()
    return "" if name in (".", "..") else name[:MAX_FILENAME]


def _serialized(message: Message) -> bytes:
    """A forwarded message as an .eml file; one whose broken headers the default policy cannot write again is
    written as the legacy policy keeps them (raw)."""
    for chosen in (policy.default, policy.compat32):
        with contextlib.suppress(*_BROKEN):
            return message.as_bytes(policy=chosen)
    return b""


def _eml_name(subject: str) -> str:
    stem = re.sub(r"[^\w\s.-]", "", subject).strip()[:100] or "message"
    return f"{stem}.eml"


def _forwarded_body(message: Message) -> str:
    """The text of the first message forwarded as an attachment, for a forward with no text of its own."""
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = _children(part)
            if inner:
                inner_body = _body_part(inner[0])
                if inner_body is None:
                    return ""
                text = _part_text(inner_body)
                if inner_body.get_content_type() == "text/html":
                    text = html_to_text(text)
                sender = _header(inner[0], "From")
                subject = _header(inner[0], "Subject")
                return f"---------- Forwarded message ----------\nFrom: {sender}\nSubject: {subject}\n\n{text}"
    return ""
