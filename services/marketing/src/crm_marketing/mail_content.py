"""One recipient's message: the template rendered with its merge values, tracked links, unsubscribe headers.

Every public link carries a token signed with CRM_LINK_SECRET (crm_core.links)
whose value is the recipient's id: the open pixel, each http(s) link of the
HTML part (rewritten to the click endpoint, the target inside the signed
token, so the endpoint is no open redirect) and the unsubscribe link, which is
also the List-Unsubscribe one-click URL (RFC 8058).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage

from crm_core import links
from crm_core.mail import build_message, parse_address
from crm_core.templates import MailTemplate

# The merge fields a template may use (check_template refuses others when it is saved).
MERGE_FIELDS = ("first_name", "last_name", "name", "company", "position", "email", "unsubscribe_url")
PUBLIC_PREFIX = "/api/v1/public/mail"
_HREF = re.compile(r"""(href\s*=\s*)(["'])(https?://[^"'\s>]+)\2""", re.IGNORECASE)
UNSUBSCRIBE_LINE = "\n\n--\nОтписаться от рассылки / Unsubscribe: {url}\n"


@dataclass(frozen=True)
class Links:
    """The public URLs of one installation's mail links (under CRM_PUBLIC_URL, the gateway's address)."""

    public_url: str
    secret: str

    def _url(self, path: str) -> str:
        return f"{self.public_url.rstrip('/')}{PUBLIC_PREFIX}/{path}"

    def unsubscribe(self, recipient_id: str) -> str:
        return self._url(f"unsubscribe/{links.sign(links.UNSUBSCRIBE, recipient_id, self.secret)}")

    def open_pixel(self, recipient_id: str) -> str:
        return self._url(f"open/{links.sign(links.OPEN, recipient_id, self.secret)}.gif")

    def click(self, recipient_id: str, target: str) -> str:
        return self._url(f"click/{links.sign_click(recipient_id, target, self.secret)}")


def track_links(body: str, recipient_id: str, urls: Links, keep: str) -> str:
    """The HTML with each http(s) href leading through the click endpoint (except `keep`, the unsubscribe
    link, and links too long to carry)."""

    def replace(match: re.Match[str]) -> str:
        target = html.unescape(match.group(3))
        if target == keep or len(target) > 2000:
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html.escape(urls.click(recipient_id, target))}{match.group(2)}"

    return _HREF.sub(replace, body)


def with_pixel(body: str, pixel_url: str) -> str:
    """The HTML with a 1x1 open pixel before </body> (or at the end)."""
    tag = f'<img src="{html.escape(pixel_url)}" width="1" height="1" alt="" style="display:none">'
    index = body.lower().rfind("</body>")
    return body[:index] + tag + body[index:] if index >= 0 else body + tag


def compose(
    *,
    template: MailTemplate,
    recipient_id: str,
    email: str,
    merge: Mapping[str, str],
    sender: str,
    urls: Links,
    headers: Mapping[str, str] | None = None,
    subject_prefix: str = "",
    tracked: bool = True,
) -> EmailMessage:
    """The message for one recipient. ValueError for an address that cannot be sent to; TemplateRenderError
    when the template fails for these values."""
    unsubscribe_url = urls.unsubscribe(recipient_id)
    rendered = template.render({**merge, "unsubscribe_url": unsubscribe_url})
    text = rendered.text
    if unsubscribe_url not in text:
        text += UNSUBSCRIBE_LINE.format(url=unsubscribe_url)
    body_html: str | None = None
    if rendered.html:
        body_html = rendered.html
        if tracked:
            body_html = with_pixel(
                track_links(body_html, recipient_id, urls, unsubscribe_url), urls.open_pixel(recipient_id)
            )
    address = parse_address(email)
    name = " ".join(merge.get("name", "").split())[:200]
    return build_message(
        sender=sender,
        to=Address(display_name=name, username=address.username, domain=address.domain),
        subject=subject_prefix + rendered.subject,
        text=text,
        html=body_html,
        unsubscribe_url=unsubscribe_url,
        headers=headers,
    )


def masked(email: str) -> str:
    """i***@example.ru: enough for its owner to recognise, little for anyone else."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"
