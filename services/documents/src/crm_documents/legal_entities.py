"""The seller's legal entities: their requisites are checked like the contacts service checks a company's
(crm_core.requisites: INN, KPP, OGRN, BIC and accounts with their check digits), one of them is the
default, admins change them, everyone reads them (they are printed on every document)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update

from crm.documents.v1 import documents_pb2 as pb
from crm_core import requisites
from crm_core.acl import require_admin
from crm_core.audit import diff, record_audit
from crm_core.auth import Caller
from crm_core.clock import Clock
from crm_core.db import Database, new_id
from crm_core.errors import FailedPrecondition, Validator, not_found
from crm_core.fields import text
from crm_core.protojson import timestamp
from crm_core.resources import FieldMask, check_version, columns_of
from crm_documents.document_data import DOC_TYPES, Seller
from crm_documents.models import LegalEntityRow

TEXTS = ("name", "full_name", "address", "phone", "email", "bank_name")
NUMBERS = ("inn", "kpp", "ogrn", "bik", "correspondent_account", "account")
SIGNATORY_ROLES = ("director", "accountant", "manager")
MASK = FieldMask(paths=(*TEXTS, *NUMBERS, "signatories", "vat_payer", "number_prefixes", "is_default", "archived"))


@dataclass(frozen=True)
class LegalEntityInput:
    values: dict[str, Any] = field(default_factory=dict)


def parse(message: pb.LegalEntity, paths: Iterable[str] | None = None) -> LegalEntityInput:
    """The named fields (all for a new entity), every rule a value has on its own; INVALID_ARGUMENT naming
    each bad field."""
    named = set(paths) if paths is not None else None

    def wanted(name: str) -> bool:
        return named is None or name in named

    v = Validator()
    values: dict[str, Any] = {}
    for name in TEXTS:
        if wanted(name):
            values[name] = (
                text(v, getattr(message, name), name, 1000 if name in ("full_name", "address") else 300) or ""
            )
    for name in NUMBERS:
        if wanted(name):
            values[name] = requisites.compact(getattr(message, name))
    if (named is None or "name" in named) and not values.get("name"):
        v.add("name", "required", "the legal entity needs a name")
    if (named is None or "inn" in named) and not requisites.is_valid_inn(values.get("inn", "")):
        v.add("inn", "invalid_inn", "INN must be 10 or 12 digits with a valid check digit")
    checks = {
        "kpp": requisites.is_valid_kpp,
        "ogrn": requisites.is_valid_ogrn,
        "bik": requisites.is_valid_bic,
    }
    for name, check in checks.items():
        if values.get(name) and not check(values[name]):
            v.add(name, f"invalid_{name}", f"{name} is not valid")
    bik = values.get("bik") or ""
    if values.get("account") and not (bik and requisites.is_valid_checking_account(values["account"], bik)):
        v.add("account", "invalid_account", "the settlement account does not match the BIC's check key")
    if values.get("correspondent_account") and not (
        bik and requisites.is_valid_correspondent_account(values["correspondent_account"], bik)
    ):
        v.add("correspondent_account", "invalid_account", "the correspondent account does not match the BIC")
    if wanted("signatories"):
        signatories = []
        for i, s in enumerate(message.signatories[:10]):
            if s.role not in SIGNATORY_ROLES:
                v.add(f"signatories[{i}].role", "not_allowed", f"role must be one of: {', '.join(SIGNATORY_ROLES)}")
            signatories.append(
                {
                    "role": s.role,
                    "title": text(v, s.title, f"signatories[{i}].title") or "",
                    "name": text(v, s.name, f"signatories[{i}].name") or "",
                    "basis": text(v, s.basis, f"signatories[{i}].basis") or "",
                }
            )
        values["signatories"] = signatories
    if wanted("number_prefixes"):
        prefixes = {}
        for doc_type, prefix in message.number_prefixes.items():
            if doc_type not in DOC_TYPES:
                v.add(f"number_prefixes.{doc_type}", "not_allowed", f"document types: {', '.join(DOC_TYPES)}")
            prefixes[doc_type] = text(v, prefix, f"number_prefixes.{doc_type}", 16) or ""
        values["number_prefixes"] = prefixes
    for name in ("vat_payer", "is_default", "archived"):
        if wanted(name):
            values[name] = getattr(message, name)
    v.raise_if_any()
    return LegalEntityInput(values)


def legal_entity_message(row: LegalEntityRow) -> pb.LegalEntity:
    return pb.LegalEntity(
        id=row.id,
        **{name: getattr(row, name) for name in (*TEXTS, *NUMBERS)},
        signatories=[pb.Signatory(**s) for s in row.signatories],
        vat_payer=row.vat_payer,
        number_prefixes=row.number_prefixes,
        is_default=row.is_default,
        archived=row.archived,
        version=row.version,
        created_at=timestamp(row.created_at),
        updated_at=timestamp(row.updated_at),
    )


def seller_of(row: LegalEntityRow) -> Seller:
    return Seller(
        **{name: getattr(row, name) for name in (*TEXTS, *NUMBERS) if name not in ("bik",)},
        bik=row.bik,
        vat_payer=row.vat_payer,
        signatories=tuple(row.signatories),
    )


class LegalEntities:
    """Commands and reads of legal entities."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def list_entities(self, include_archived: bool) -> list[LegalEntityRow]:
        async with self.db.readers() as session:
            query = select(LegalEntityRow).order_by(LegalEntityRow.is_default.desc(), LegalEntityRow.name)
            if not include_archived:
                query = query.where(LegalEntityRow.archived.is_(False))
            return list((await session.scalars(query)).all())

    async def get(self, entity_id: str) -> LegalEntityRow:
        async with self.db.readers() as session:
            row = await session.get(LegalEntityRow, entity_id)
        if row is None:
            raise not_found("legal_entity", entity_id)
        return row

    async def create(self, caller: Caller, data: LegalEntityInput) -> LegalEntityRow:
        require_admin(caller, "add legal entities")
        now = self.clock.now()
        async with self.db.transaction() as session:
            values = dict(data.values)
            has_default = await session.scalar(select(LegalEntityRow.id).where(LegalEntityRow.is_default))
            values["is_default"] = bool(values.get("is_default")) or has_default is None
            values["archived"] = False
            if values["is_default"] and has_default is not None:
                await session.execute(update(LegalEntityRow).where(LegalEntityRow.is_default).values(is_default=False))
            row = LegalEntityRow(id=new_id(), **values, version=1, created_at=now, updated_at=now)
            session.add(row)
            record_audit(
                session,
                entity_type="legal_entity",
                entity_id=row.id,
                action="created",
                actor_id=caller.user_id,
                changes=diff({}, values),
            )
        return row

    async def update(
        self, caller: Caller, entity_id: str, paths: list[str], data: LegalEntityInput, expected_version: int
    ) -> LegalEntityRow:
        require_admin(caller, "change legal entities")
        now = self.clock.now()
        async with self.db.transaction() as session:
            row = await session.get(LegalEntityRow, entity_id, with_for_update=True)
            if row is None:
                raise not_found("legal_entity", entity_id)
            check_version("legal_entity", row, expected_version)
            old = columns_of(row)
            values = {k: v for k, v in data.values.items() if k in paths}
            if values.get("archived") and (values.get("is_default", row.is_default)):
                raise FailedPrecondition("legal_entity_default", "make another legal entity the default first")
            if values.get("is_default") and not row.is_default:
                await session.execute(update(LegalEntityRow).where(LegalEntityRow.is_default).values(is_default=False))
            if values.get("is_default") is False and row.is_default:
                raise FailedPrecondition("legal_entity_default", "make another legal entity the default instead")
            for name, value in values.items():
                setattr(row, name, value)
            changed = diff({k: old[k] for k in values}, values)
            if changed:
                row.version += 1
                row.updated_at = now
                record_audit(
                    session,
                    entity_type="legal_entity",
                    entity_id=row.id,
                    action="updated",
                    actor_id=caller.user_id,
                    changes=changed,
                )
        return row
