"""One rule for every code of every list (crm_core.common.code_lists), no server needed."""

from __future__ import annotations

import pytest

from crm_core.common.code_lists import check_code, check_update_paths, code_labels, entity_of
from crm_core.errors import InvalidArgument, Validator


@pytest.mark.parametrize("code", ["price", "no_answer", "a", "x" * 63, "v2_visit"])
def test_snake_case_codes_up_to_63_characters_are_accepted(code: str) -> None:
    v = Validator()
    assert check_code(code, v) == code
    v.raise_if_any()


@pytest.mark.parametrize("code", ["", "Price", "2fast", "no-answer", "x" * 64, "код", "_x"])
def test_other_codes_are_invalid_code(code: str) -> None:
    v = Validator()
    check_code(code, v)
    assert [(p.field, p.code) for p in v.problems] == [("code", "invalid_code")]


def test_one_label_serves_both_languages() -> None:
    v = Validator()
    assert code_labels("Дистрибьютор", "", v) == code_labels("Дистрибьютор", "Дистрибьютор", v)
    assert code_labels(None, " Distributor ", v).ru == "Distributor"
    assert not v.problems


def test_a_code_without_any_label_or_with_a_long_one_is_refused() -> None:
    v = Validator()
    code_labels(" ", None, v)
    code_labels("x" * 301, "ok", v)
    assert [(p.field, p.code) for p in v.problems] == [("label_ru", "required"), ("label_ru", "too_long")]


def test_only_labels_order_and_archived_may_change() -> None:
    assert check_update_paths(["label_en", "archived", "order"]) == ["label_en", "archived", "order"]
    for paths in ([], ["code"], ["label_en", "builtin"]):
        with pytest.raises(InvalidArgument) as info:
            check_update_paths(paths)
        assert info.value.fields[0].code == "unknown_field"


def test_errors_of_a_list_speak_of_its_entity() -> None:
    assert [entity_of(n) for n in ("loss_reasons", "task_types", "relationship_types")] == [
        "loss_reason",
        "task_type",
        "relationship_type",
    ]
