"""Parties through gRPC: create, get, update with a mask, versions, soft delete and restore, audit."""

from __future__ import annotations

import uuid

import grpc
import phonenumbers
from google.protobuf import field_mask_pb2, json_format
from sqlalchemy import text

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_core.pagination import encode_cursor

ABORTED = grpc.StatusCode.ABORTED
INVALID = grpc.StatusCode.INVALID_ARGUMENT
NOT_FOUND = grpc.StatusCode.NOT_FOUND


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def violations(detail) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(v.field, v.code) for v in detail.field_violations}


def new_type(code: str, label: str) -> common_pb2.CreateCodeRequest:
    return common_pb2.CreateCodeRequest(list="relationship_types", code=common_pb2.Code(code=code, label_ru=label))


async def test_created_company_keeps_its_requisites_and_gets_owner_team_and_version(alice, parties) -> None:
    given = parties.company()
    created = await parties.create(alice, given)
    assert created.id and created.version == 1
    assert (created.owner_id, created.team_id, created.created_by) == ("u-alice", "team-north", "u-alice")
    assert created.display_name == given.company.legal_name
    got = await alice.GetParty(pb.GetPartyRequest(id=created.id))
    assert got.company.inn == given.company.inn
    assert got.company.kpp == given.company.kpp
    assert got.company.ogrn == given.company.ogrn
    assert list(got.company.bank_accounts) == list(given.company.bank_accounts)
    typed = phonenumbers.parse(given.phones[0].value, "RU")
    assert [p.value for p in got.phones] == [phonenumbers.format_number(typed, phonenumbers.PhoneNumberFormat.E164)]
    assert list(got.tags) == list(given.tags)
    assert got.created_at.seconds > 0 and not got.HasField("deleted_at")


async def test_created_person_is_named_last_first_middle(alice, parties) -> None:
    person = await parties.new_person(
        alice, person={"first_name": "Анна", "last_name": "Смирнова", "middle_name": "Петровна"}
    )
    assert person.display_name == "Смирнова Анна Петровна"
    assert person.kind == "person" and not person.HasField("company")


async def test_client_knowledge_and_contacts_round_trip(alice, parties) -> None:
    knowledge = {
        "needs": [{"product": "Онлайн-кассы", "we_offer": True, "note": "30 точек"}, {"product": "Эквайринг"}],
        "purchase_volume": {"amount": "150000.50", "currency": "RUB", "period": "quarter"},
        "season_months": [11, 3, 12],
        "payment_discipline": "minor_delays",
        "refusal_reasons": [{"code": "price", "note": "дорого", "occurred_at": "2025-05-01T09:00:00Z"}],
        "obstacles": ["Тендер раз в год"],
    }
    created = await parties.new_company(
        alice, knowledge=knowledge, messengers=[{"kind": "telegram", "value": "@romashka"}]
    )
    got = await alice.GetParty(pb.GetPartyRequest(id=created.id))
    expected = {**knowledge, "season_months": [3, 11, 12]}
    assert json_format.MessageToDict(got.knowledge, preserving_proto_field_name=True) == expected
    assert got.messengers[0].kind == "telegram" and got.messengers[0].value == "@romashka"


async def test_admin_adds_a_relationship_type_that_parties_may_then_use(admin, alice, parties, tag, rejected) -> None:
    code = f"distributor_{tag}"
    party = parties.company(relationship_types=["client", code])
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=party)), INVALID)
    assert violations(detail) == {("relationship_types[1]", "unknown_relationship_type")}
    await rejected(
        alice.CreateCode(new_type(code, "Дистрибьютор")),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    created = await admin.CreateCode(new_type(code, "Дистрибьютор"))
    assert (created.code, created.builtin) == (code, False)
    await rejected(admin.CreateCode(new_type(code, "Ещё раз")), grpc.StatusCode.ALREADY_EXISTS)
    listed = await alice.ListCodes(common_pb2.ListCodesRequest(list="relationship_types"))
    types = {t.code: t.builtin for t in listed.codes}
    assert types["client"] is True and types[code] is False
    assert list((await parties.create(alice, party)).relationship_types) == ["client", code]


async def test_update_replaces_only_masked_fields_and_bumps_the_version(alice, parties) -> None:
    created = await parties.new_company(alice)
    patch = pb.Party(
        id=created.id, display_name="ignored", tags=["renamed"], company=pb.CompanyDetails(industry="Логистика")
    )
    updated = await alice.UpdateParty(
        pb.UpdatePartyRequest(party=patch, update_mask=mask("tags", "company.industry"), expected_version=1)
    )
    assert updated.version == 2
    assert list(updated.tags) == ["renamed"]
    assert updated.company.industry == "Логистика"
    assert updated.display_name == created.display_name
    assert updated.company.inn == created.company.inn
    assert updated.updated_at.ToDatetime() > created.updated_at.ToDatetime()


async def test_masked_field_missing_from_the_party_is_cleared(alice, parties) -> None:
    created = await parties.new_company(alice)
    updated = await alice.UpdateParty(
        pb.UpdatePartyRequest(party=pb.Party(id=created.id), update_mask=mask("phones", "company.kpp"))
    )
    assert len(updated.phones) == 0 and updated.company.kpp == ""
    assert updated.company.inn == created.company.inn


async def test_a_phone_stored_before_phones_were_parsed_does_not_block_other_changes(
    alice, parties, rejected, contacts_app
) -> None:
    created = await parties.new_company(alice)
    async with contacts_app.db.transaction() as session:  # as migration 0004 leaves a phone that is no number
        await session.execute(
            text("""UPDATE party SET phones = '[{"kind": "work", "value": "123-45-67"}]' WHERE id = :id"""),
            {"id": created.id},
        )
    updated = await alice.UpdateParty(
        pb.UpdatePartyRequest(party=pb.Party(id=created.id, tags=["moved"]), update_mask=mask("tags"))
    )
    assert list(updated.tags) == ["moved"]
    assert [(p.value, p.display) for p in updated.phones] == [("123-45-67", "123-45-67")]
    changed = pb.Party(id=created.id, phones=[pb.ContactPoint(value="123-45-68")])
    detail = await rejected(
        alice.UpdateParty(pb.UpdatePartyRequest(party=changed, update_mask=mask("phones"))), INVALID
    )
    assert violations(detail) == {("phones[0].value", "invalid")}


async def test_update_with_a_stale_version_is_aborted_and_changes_nothing(alice, carol, parties, rejected) -> None:
    created = await parties.new_company(alice)
    industry = pb.Party(id=created.id, company=pb.CompanyDetails(industry="Строительство"))
    await carol.UpdateParty(
        pb.UpdatePartyRequest(party=industry, update_mask=mask("company.industry"), expected_version=1)
    )
    late = pb.Party(id=created.id, company=pb.CompanyDetails(industry="Банки"))
    detail = await rejected(
        alice.UpdateParty(pb.UpdatePartyRequest(party=late, update_mask=mask("company.industry"), expected_version=1)),
        ABORTED,
    )
    assert detail.code == "version_conflict"
    got = await alice.GetParty(pb.GetPartyRequest(id=created.id))
    assert (got.company.industry, got.version) == ("Строительство", 2)


async def test_update_that_changes_nothing_keeps_the_version(alice, parties) -> None:
    created = await parties.new_company(alice)
    same = pb.Party(id=created.id, tags=list(created.tags))
    updated = await alice.UpdateParty(pb.UpdatePartyRequest(party=same, update_mask=mask("tags"), expected_version=1))
    assert updated.version == 1


async def test_update_mask_must_name_known_fields(alice, parties, rejected) -> None:
    created = await parties.new_company(alice)
    party = pb.Party(id=created.id, kind="person")
    detail = await rejected(alice.UpdateParty(pb.UpdatePartyRequest(party=party, update_mask=mask("kind"))), INVALID)
    assert violations(detail) == {("update_mask", "unknown_field")}
    detail = await rejected(alice.UpdateParty(pb.UpdatePartyRequest(party=party)), INVALID)
    assert violations(detail) == {("update_mask", "required")}


async def test_update_validates_the_resulting_party(alice, parties, rejected) -> None:
    created = await parties.new_company(alice)
    bad = pb.Party(id=created.id, company=pb.CompanyDetails(inn="1234567890"), emails=[pb.ContactPoint(value="нет")])
    detail = await rejected(
        alice.UpdateParty(pb.UpdatePartyRequest(party=bad, update_mask=mask("company.inn", "emails"))), INVALID
    )
    assert violations(detail) == {("company.inn", "invalid_inn"), ("emails[0].value", "invalid")}
    got = await alice.GetParty(pb.GetPartyRequest(id=created.id))
    assert got.company.inn == created.company.inn and got.version == 1


async def test_update_judges_only_the_masked_fields(alice, parties, contacts_app) -> None:
    created = await parties.new_company(alice)
    async with contacts_app.db.transaction() as session:  # a stored value today's rules refuse
        await session.execute(text("UPDATE party SET kpp = '12345' WHERE id = :id"), {"id": created.id})
    beside = pb.Party(id=created.id, tags=["moved"], emails=[pb.ContactPoint(value="нет")])
    updated = await alice.UpdateParty(pb.UpdatePartyRequest(party=beside, update_mask=mask("tags")))
    assert (list(updated.tags), updated.emails, updated.company.kpp) == (["moved"], created.emails, "12345")


async def test_derived_display_name_follows_a_renamed_person(alice, parties) -> None:
    created = await parties.new_person(
        alice, person={"first_name": "Мария", "last_name": "Иванова", "middle_name": "Петровна"}
    )
    patch = pb.Party(id=created.id, person=pb.PersonDetails(last_name="Кузнецова"))
    updated = await alice.UpdateParty(pb.UpdatePartyRequest(party=patch, update_mask=mask("person.last_name")))
    assert updated.display_name == "Кузнецова Мария Петровна"


async def test_given_display_name_is_kept_when_the_name_changes(alice, parties) -> None:
    created = await parties.new_company(alice, display_name="Ромашка (опт)")
    patch = pb.Party(id=created.id, company=pb.CompanyDetails(legal_name="ООО «Ромашка-Опт»"))
    updated = await alice.UpdateParty(pb.UpdatePartyRequest(party=patch, update_mask=mask("company.legal_name")))
    assert updated.display_name == "Ромашка (опт)"
    assert updated.company.legal_name == "ООО «Ромашка-Опт»"


async def test_deleted_party_is_not_found_listed_as_deleted_and_restorable(alice, parties, by_tag, rejected) -> None:
    kept = await parties.new_company(alice)
    gone = await parties.new_company(alice)
    deleted = await alice.DeleteParty(pb.DeletePartyRequest(id=gone.id, expected_version=1))
    assert deleted.HasField("deleted_at") and deleted.version == 2

    detail = await rejected(alice.GetParty(pb.GetPartyRequest(id=gone.id)), NOT_FOUND)
    assert detail.code == "party_not_found"
    assert (await alice.GetParty(pb.GetPartyRequest(id=gone.id, include_deleted=True))).HasField("deleted_at")

    async def listed(deleted: str) -> set[str]:
        response = await alice.ListParties(pb.ListPartiesRequest(filters=by_tag, deleted=deleted))
        return {p.id for p in response.parties}

    assert await listed("") == {kept.id}
    assert await listed("only") == {gone.id}
    assert await listed("include") == {kept.id, gone.id}
    assert (await alice.CountParties(pb.CountPartiesRequest(filters=by_tag, deleted="only"))).count == 1

    restored = await alice.RestoreParty(pb.RestorePartyRequest(id=gone.id))
    assert not restored.HasField("deleted_at") and restored.version == 3
    assert (await alice.GetParty(pb.GetPartyRequest(id=gone.id))).id == gone.id
    assert await listed("") == {kept.id, gone.id}
    detail = await rejected(alice.RestoreParty(pb.RestorePartyRequest(id=gone.id)), grpc.StatusCode.FAILED_PRECONDITION)
    assert detail.code == "party_not_deleted"


async def test_delete_with_a_stale_version_is_aborted(alice, parties, rejected) -> None:
    created = await parties.new_company(alice)
    await alice.UpdateParty(pb.UpdatePartyRequest(party=pb.Party(id=created.id, tags=["x"]), update_mask=mask("tags")))
    await rejected(alice.DeleteParty(pb.DeletePartyRequest(id=created.id, expected_version=1)), ABORTED)
    assert (await alice.GetParty(pb.GetPartyRequest(id=created.id))).version == 2


async def test_audit_lists_who_changed_what_with_old_and_new_values_newest_first(alice, carol, parties) -> None:
    created = await parties.new_company(alice, company={"industry": "Ритейл"})
    patch = pb.Party(id=created.id, company=pb.CompanyDetails(industry="Логистика"))
    await carol.UpdateParty(pb.UpdatePartyRequest(party=patch, update_mask=mask("company.industry")))
    await alice.DeleteParty(pb.DeletePartyRequest(id=created.id))
    audit = await alice.ListAudit(common_pb2.ListAuditRequest(entity_id=created.id))
    assert [(e.action, e.actor_id) for e in audit.entries] == [
        ("deleted", "u-alice"),
        ("updated", "u-carol"),
        ("created", "u-alice"),
    ]
    updated, created_entry = audit.entries[1], audit.entries[2]
    assert json_format.MessageToDict(updated.changes) == {"industry": {"old": "Ритейл", "new": "Логистика"}}
    assert created_entry.changes["inn"]["new"] == created.company.inn
    assert created_entry.changes["inn"]["old"] is None

    first = await alice.ListAudit(common_pb2.ListAuditRequest(entity_id=created.id, limit=2))
    rest = await alice.ListAudit(common_pb2.ListAuditRequest(entity_id=created.id, limit=2, cursor=first.next_cursor))
    assert [e.action for e in [*first.entries, *rest.entries]] == ["deleted", "updated", "created"]
    assert rest.next_cursor == ""


async def test_invalid_party_is_rejected_with_every_violation_and_nothing_is_written(
    alice, parties, rejected, row_counts
) -> None:
    party = parties.company(relationship_types=["friend"], phones=[{"value": "12"}])
    party.company.inn = "1234567890"
    party.company.size = "huge"
    before = await row_counts()
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=party)), INVALID)
    assert detail.code == "validation_failed"
    # The party's own values are judged first, all at once; the stored code lists once they pass.
    assert violations(detail) == {
        ("company.inn", "invalid_inn"),
        ("company.size", "not_allowed"),
        ("phones[0].value", "invalid"),
    }
    assert all(v.message for v in detail.field_violations)
    unknown = parties.company(relationship_types=["client", "friend"], custom_fields={"nope": 1})
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=unknown)), INVALID)
    assert violations(detail) == {
        ("relationship_types[1]", "unknown_relationship_type"),
        ("custom_fields.nope", "unknown_custom_field"),
    }
    assert await row_counts() == before


async def test_party_without_kind_or_name_is_invalid(alice, rejected) -> None:
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=pb.Party(display_name="X"))), INVALID)
    assert violations(detail) == {("kind", "not_allowed")}
    nameless = pb.Party(kind="person", person=pb.PersonDetails(position="Бухгалтер"))
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=nameless)), INVALID)
    assert violations(detail) == {("person.last_name", "required")}


async def test_malformed_and_unknown_ids_are_not_found(alice, rejected) -> None:
    for party_id in ("not-a-uuid", str(uuid.uuid4()), ""):
        detail = await rejected(alice.GetParty(pb.GetPartyRequest(id=party_id)), NOT_FOUND)
        assert detail.code == "party_not_found"


async def test_forged_audit_cursor_is_invalid_argument(alice, parties, rejected) -> None:
    created = await parties.new_company(alice)
    forged = encode_cursor(["not-a-number"])
    detail = await rejected(
        alice.ListAudit(common_pb2.ListAuditRequest(entity_id=created.id, cursor=forged)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert detail.code == "validation_failed" and detail.field_violations[0].code == "invalid_cursor"
