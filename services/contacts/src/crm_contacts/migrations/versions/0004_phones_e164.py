"""Stored phones in E.164: rewrite the phones typed before the service parsed them.

Until now a phone was stored as typed ("8 (495) 123-45-67"); the service now stores E.164
("+74951234567", ";ext=<digits>" after it for an extension). Every stored phone that parses
as a number is rewritten so; one that does not ("123-45-67") is kept as typed, is shown as
it is, and stays while updates send it back unchanged (inputs.PartyChanges.applied_to). `phones_norm` (and its words
in `search_text`) change only where the new reading gives other digits ("+44 (0) 20 …").

The rule is written out here rather than imported, so this migration keeps doing what it
did when it was written.

Revision ID: 0004
"""

import re

import phonenumbers
import sqlalchemy as sa
from alembic import op
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult
from sqlalchemy.dialects import postgresql as pg

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 500


def _number(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(value, "RU")
    except NumberParseException:
        return None
    return number if phonenumbers.is_possible_number_with_reason(number) == ValidationResult.IS_POSSIBLE else None


def _stored(value: str) -> str:
    number = _number(value)
    if number is None:
        return value
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return f"{e164};ext={number.extension}" if number.extension else e164


def _digits(value: str) -> str:
    number = _number(value)
    if number is None:
        return re.sub(r"\D", "", value)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164).removeprefix("+")


def upgrade() -> None:
    bind = op.get_bind()
    select = sa.text(
        "SELECT id, phones, phones_norm, search_text FROM party"
        " WHERE id > CAST(:after AS uuid) AND jsonb_array_length(phones) > 0 ORDER BY id LIMIT :limit"
    )
    update = sa.text(
        "UPDATE party SET phones = :phones, phones_norm = :phones_norm, search_text = :search_text"
        " WHERE id = CAST(:id AS uuid)"
    ).bindparams(sa.bindparam("phones", type_=pg.JSONB), sa.bindparam("phones_norm", type_=pg.ARRAY(sa.Text)))
    after = "00000000-0000-0000-0000-000000000000"
    while rows := bind.execute(select, {"after": after, "limit": BATCH}).all():
        changed = []
        for party_id, phones, norm, search_text in rows:
            new_phones = [{**p, "value": _stored(p["value"])} if p.get("value") else p for p in phones]
            new_norm = sorted({_digits(p["value"]) for p in new_phones if p.get("value")})
            if new_phones == phones and new_norm == norm:
                continue
            if new_norm != norm and norm:
                # search_text holds phones_norm as consecutive words (crm_contacts.domain.search_text).
                search_text = search_text.replace(" ".join(norm), " ".join(new_norm), 1)
            changed.append(
                {"id": str(party_id), "phones": new_phones, "phones_norm": new_norm, "search_text": search_text}
            )
        if changed:
            bind.execute(update, changed)
        after = str(rows[-1][0])


def downgrade() -> None:
    # Nothing to undo: the service before 0004 reads an E.164 phone as it reads any typed one.
    pass
