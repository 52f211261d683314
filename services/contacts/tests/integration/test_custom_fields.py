"""Custom fields: admin-only definitions, values validated on create and update, required and archived fields."""

from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2, json_format, struct_pb2

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb

INVALID = grpc.StatusCode.INVALID_ARGUMENT


def mask(*paths: str) -> field_mask_pb2.FieldMask:
    return field_mask_pb2.FieldMask(paths=list(paths))


def struct(values: dict) -> struct_pb2.Struct:
    result = struct_pb2.Struct()
    result.update(values)
    return result


def violations(detail) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(v.field, v.code) for v in detail.field_violations}


async def define(admin, tag: str, name: str, kind: str, **extra) -> common_pb2.CustomFieldDefinition:  # type: ignore[no-untyped-def]
    return await admin.CreateCustomField(
        common_pb2.CustomFieldDefinition(
            entity_type="company", key=f"{name}_{tag}", label=name.capitalize(), type=kind, **extra
        )
    )


async def test_admin_defines_fields_of_every_type(admin, alice, tag) -> None:
    created = [
        await define(admin, tag, "note", "string"),
        await define(admin, tag, "budget", "number"),
        await define(admin, tag, "since", "date"),
        await define(admin, tag, "tier", "enum", options=["gold", "silver"]),
        await define(admin, tag, "vat", "bool"),
    ]
    assert all(d.id for d in created)
    listed = await alice.ListCustomFields(common_pb2.ListCustomFieldsRequest(entity_type="company"))
    mine = {d.key: d for d in listed.fields if d.key.endswith(tag)}
    assert {k: d.type for k, d in mine.items()} == {
        f"note_{tag}": "string",
        f"budget_{tag}": "number",
        f"since_{tag}": "date",
        f"tier_{tag}": "enum",
        f"vat_{tag}": "bool",
    }
    assert list(mine[f"tier_{tag}"].options) == ["gold", "silver"]
    people = await alice.ListCustomFields(common_pb2.ListCustomFieldsRequest(entity_type="person"))
    assert not [d for d in people.fields if d.key.endswith(tag)]


async def test_non_admin_cannot_define_or_change_fields(admin, alice, tag, rejected) -> None:
    detail = await rejected(
        alice.CreateCustomField(
            common_pb2.CustomFieldDefinition(entity_type="company", key=f"k_{tag}", label="K", type="string")
        ),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    assert detail.code == "admin_only"
    field = await define(admin, tag, "region", "string")
    await rejected(
        alice.UpdateCustomField(
            common_pb2.UpdateCustomFieldRequest(
                field=common_pb2.CustomFieldDefinition(id=field.id, archived=True), update_mask=mask("archived")
            )
        ),
        grpc.StatusCode.PERMISSION_DENIED,
    )
    listed = await alice.ListCustomFields(common_pb2.ListCustomFieldsRequest(entity_type="company"))
    assert f"k_{tag}" not in {d.key for d in listed.fields}
    assert f"region_{tag}" in {d.key for d in listed.fields}


async def test_duplicate_key_for_the_same_kind_already_exists(admin, tag, rejected) -> None:
    await define(admin, tag, "budget", "number")
    detail = await rejected(define(admin, tag, "budget", "string"), grpc.StatusCode.ALREADY_EXISTS)
    assert detail.code == "custom_field_exists"
    person_field = await admin.CreateCustomField(
        common_pb2.CustomFieldDefinition(entity_type="person", key=f"budget_{tag}", label="Бюджет", type="number")
    )
    assert person_field.entity_type == "person"


async def test_bad_definition_is_invalid(admin, rejected) -> None:
    bad = common_pb2.CustomFieldDefinition(entity_type="deal", key="Budget", label="", type="money")
    detail = await rejected(admin.CreateCustomField(bad), INVALID)
    assert violations(detail) == {
        ("entity_type", "not_allowed"),
        ("key", "invalid_key"),
        ("type", "not_allowed"),
        ("label", "required"),
    }
    enum = common_pb2.CustomFieldDefinition(
        entity_type="company", key="tier_without_options", label="Tier", type="enum"
    )
    assert violations(await rejected(admin.CreateCustomField(enum), INVALID)) == {("options", "required")}


async def test_values_are_validated_on_create_and_update(admin, alice, parties, tag, rejected) -> None:
    for name, kind, extra in (
        ("budget", "number", {}),
        ("since", "date", {}),
        ("tier", "enum", {"options": ["gold", "silver"]}),
        ("vat", "bool", {}),
    ):
        await define(admin, tag, name, kind, **extra)
    good = {f"budget_{tag}": 1500000, f"since_{tag}": "2019-04-01", f"tier_{tag}": "gold", f"vat_{tag}": True}
    created = await parties.new_company(alice, custom_fields=good)
    assert json_format.MessageToDict(created.custom_fields) == good

    bad = {
        f"budget_{tag}": "много",
        f"since_{tag}": "01.04.2019",
        f"tier_{tag}": "bronze",
        f"vat_{tag}": "да",
        f"x_{tag}": 1,
    }
    detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=parties.company(custom_fields=bad))), INVALID)
    assert violations(detail) == {
        (f"custom_fields.budget_{tag}", "invalid_custom_field"),
        (f"custom_fields.since_{tag}", "invalid_custom_field"),
        (f"custom_fields.tier_{tag}", "invalid_custom_field"),
        (f"custom_fields.vat_{tag}", "invalid_custom_field"),
        (f"custom_fields.x_{tag}", "unknown_custom_field"),
    }

    update = pb.Party(id=created.id, custom_fields=struct({**good, f"tier_{tag}": "platinum"}))
    detail = await rejected(
        alice.UpdateParty(pb.UpdatePartyRequest(party=update, update_mask=mask("custom_fields"))), INVALID
    )
    assert violations(detail) == {(f"custom_fields.tier_{tag}", "invalid_custom_field")}
    update = pb.Party(id=created.id, custom_fields=struct({**good, f"tier_{tag}": "silver"}))
    updated = await alice.UpdateParty(pb.UpdatePartyRequest(party=update, update_mask=mask("custom_fields")))
    assert updated.custom_fields[f"tier_{tag}"] == "silver"
    assert updated.custom_fields[f"budget_{tag}"] == 1500000


async def test_required_field_must_be_filled(admin, alice, parties, tag, rejected) -> None:
    field = await define(admin, tag, "region", "string", required=True)
    try:
        key = f"region_{tag}"
        detail = await rejected(alice.CreateParty(pb.CreatePartyRequest(party=parties.company())), INVALID)
        assert violations(detail) == {(f"custom_fields.{key}", "required")}
        created = await parties.new_company(alice, custom_fields={key: "Москва"})
        cleared = pb.Party(id=created.id)
        detail = await rejected(
            alice.UpdateParty(pb.UpdatePartyRequest(party=cleared, update_mask=mask("custom_fields"))), INVALID
        )
        assert violations(detail) == {(f"custom_fields.{key}", "required")}
        # Other changes keep the stored value, so they pass.
        other = pb.Party(id=created.id, tags=[tag, "vip"])
        assert list((await alice.UpdateParty(pb.UpdatePartyRequest(party=other, update_mask=mask("tags")))).tags) == [
            tag,
            "vip",
        ]
        # A person does not need a company field.
        await parties.new_person(alice)
    finally:
        # A required field would break every later test that creates a company.
        archived = common_pb2.CustomFieldDefinition(id=field.id, archived=True)
        await admin.UpdateCustomField(common_pb2.UpdateCustomFieldRequest(field=archived, update_mask=mask("archived")))
    await parties.new_company(alice)


async def test_archived_field_is_refused_in_new_values_but_kept_on_old_parties(
    admin, alice, parties, tag, rejected
) -> None:
    field = await define(admin, tag, "legacy", "string")
    budget = await define(admin, tag, "budget", "number")
    key = field.key
    old = await parties.new_company(alice, custom_fields={key: "A-17"})
    await admin.UpdateCustomField(
        common_pb2.UpdateCustomFieldRequest(
            field=common_pb2.CustomFieldDefinition(id=field.id, archived=True), update_mask=mask("archived")
        )
    )
    active = await alice.ListCustomFields(common_pb2.ListCustomFieldsRequest(entity_type="company"))
    assert key not in {d.key for d in active.fields}
    everything = await alice.ListCustomFields(
        common_pb2.ListCustomFieldsRequest(entity_type="company", include_archived=True)
    )
    assert {d.key: d.archived for d in everything.fields}[key] is True

    detail = await rejected(
        alice.CreateParty(pb.CreatePartyRequest(party=parties.company(custom_fields={key: "B-1"}))), INVALID
    )
    assert violations(detail) == {(f"custom_fields.{key}", "archived_custom_field")}
    changed = pb.Party(id=old.id, custom_fields=struct({key: "B-1"}))
    detail = await rejected(
        alice.UpdateParty(pb.UpdatePartyRequest(party=changed, update_mask=mask("custom_fields"))), INVALID
    )
    assert violations(detail) == {(f"custom_fields.{key}", "archived_custom_field")}

    # Other changes, and a full custom_fields update that resends the old value, keep it.
    tags = pb.Party(id=old.id, tags=[tag, "archived-kept"])
    await alice.UpdateParty(pb.UpdatePartyRequest(party=tags, update_mask=mask("tags")))
    resend = pb.Party(id=old.id, custom_fields=struct({key: "A-17", budget.key: 5}))
    updated = await alice.UpdateParty(pb.UpdatePartyRequest(party=resend, update_mask=mask("custom_fields")))
    assert json_format.MessageToDict(updated.custom_fields) == {key: "A-17", budget.key: 5}
    assert (await alice.GetParty(pb.GetPartyRequest(id=old.id))).custom_fields[key] == "A-17"


async def test_key_and_type_of_a_field_cannot_change(admin, tag, rejected) -> None:
    field = await define(admin, tag, "budget", "number")
    changed = common_pb2.CustomFieldDefinition(id=field.id, key="other", type="string", label="Бюджет, ₽")
    for path in ("key", "type"):
        detail = await rejected(
            admin.UpdateCustomField(
                common_pb2.UpdateCustomFieldRequest(field=changed, update_mask=mask("label", path))
            ),
            INVALID,
        )
        assert violations(detail) == {("update_mask", "unknown_field")}
    relabeled = await admin.UpdateCustomField(
        common_pb2.UpdateCustomFieldRequest(field=changed, update_mask=mask("label"))
    )
    assert (relabeled.key, relabeled.type, relabeled.label) == (field.key, "number", "Бюджет, ₽")
