"""inputs: notes, person links, merges, saved filters and the stored-definition checks, parsed from protobuf."""

from __future__ import annotations

from typing import Any

import pytest

from crm.common.v1 import common_pb2
from crm.contacts.v1 import contacts_pb2 as pb
from crm_contacts import domain, inputs
from crm_core.errors import InvalidArgument

ARCHIVED = {"old": {"type": "string", "options": [], "required": False, "archived": True}}


def refusal(parse: Any, request: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidArgument) as info:
        parse(request)
    return [(p.field, p.code) for p in info.value.fields]


def test_a_note_is_trimmed_and_its_mentions_kept_once_in_order() -> None:
    note = inputs.parse_note_draft(pb.AddNoteRequest(party_id="p1", text="  Позвонить  ", mentions=["u2", "u1", "u2"]))
    assert note == inputs.NoteDraft("p1", "Позвонить", ("u2", "u1"))


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (pb.AddNoteRequest(party_id="p1", text="   "), ("text", "required")),
        (pb.AddNoteRequest(party_id="p1", text="я" * (domain.MAX_NOTE + 1)), ("text", "too_long")),
        (pb.AddNoteRequest(party_id="p1", text="ок", mentions=["u"] * 51), ("mentions", "too_many")),
    ],
)
def test_a_bad_note_is_refused_at_its_field(request_: pb.AddNoteRequest, problem: tuple[str, str]) -> None:
    assert refusal(inputs.parse_note_draft, request_) == [problem]


def test_a_note_of_the_longest_text_and_most_mentions_is_taken() -> None:
    text, mentions = "я" * domain.MAX_NOTE, [f"u{i}" for i in range(inputs.MAX_MENTIONS)]
    assert inputs.parse_note_draft(pb.AddNoteRequest(party_id="p", text=text, mentions=mentions)).text == text


def test_a_link_carries_its_role_up_to_300_characters() -> None:
    request = pb.LinkPersonRequest(company_id="c", person_id="p", role="я" * domain.MAX_NAME)
    assert inputs.parse_link_draft(request) == inputs.LinkDraft("c", "p", "я" * domain.MAX_NAME)
    request.role += "я"
    assert refusal(inputs.parse_link_draft, request) == [("role", "too_long")]


def test_a_merge_names_two_parties_and_never_one_twice() -> None:
    request = pb.MergePartiesRequest(survivor_id="a", merged_id="b", expected_survivor_version=3)
    assert inputs.parse_merge(request) == inputs.Merge("a", "b", 3)
    same = pb.MergePartiesRequest(survivor_id="a", merged_id="a")
    assert refusal(inputs.parse_merge, same) == [("merged_id", "same_party")]


def test_a_saved_filter_keeps_its_search_and_trims_its_name() -> None:
    message = pb.SavedFilter(
        name="  Клиенты  ",
        query="ромашка",
        sort="-relevance",
        shared=True,
        filters=[common_pb2.Filter(field="tags", op="eq", value="vip")],
    )
    draft = inputs.parse_saved_filter_draft(message)
    assert draft == inputs.SavedFilterDraft("Клиенты", "ромашка", (("tags", "eq", "vip"),), "-relevance", True)


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        (pb.SavedFilter(name="  "), ("name", "required")),
        (pb.SavedFilter(name="я" * (domain.MAX_NAME + 1)), ("name", "required")),
        (pb.SavedFilter(name="Все", sort="colour"), ("sort", "unknown_sort_key")),
        (pb.SavedFilter(name="Все", sort="relevance"), ("sort", "relevance_needs_query")),
    ],
)
def test_a_bad_saved_filter_is_refused_at_its_field(message: pb.SavedFilter, problem: tuple[str, str]) -> None:
    assert refusal(inputs.parse_saved_filter_draft, message) == [problem]


def test_an_archived_custom_field_stays_only_while_its_value_is_unchanged() -> None:
    values = inputs.PartyFields(legal_name="Ромашка", custom_fields={"old": "x"})
    assert inputs.checked_against(values, ARCHIVED, (), changed_custom_keys=()).custom_fields == {"old": "x"}
    with pytest.raises(InvalidArgument) as info:
        inputs.checked_against(values, ARCHIVED, (), changed_custom_keys=["old"])
    assert [(p.field, p.code) for p in info.value.fields] == [("custom_fields.old", "archived_custom_field")]


def test_a_draft_s_kind_is_judged_first_and_alone() -> None:
    message = pb.Party(kind="robot", emails=[pb.ContactPoint(value="nope")])
    assert refusal(inputs.parse_party_draft, message) == [("kind", "not_allowed")]
