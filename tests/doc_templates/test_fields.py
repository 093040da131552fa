from __future__ import annotations

import pytest
from pydantic import ValidationError

from doc_templates import FIELD_MODELS, all_templates, field_label
from doc_templates.fields import ApprovalForm, ClueReport, InterviewRecord, RectificationNotice
from doc_templates.samples import sample_data


def _loc_labels(model, data) -> dict[tuple, str | None]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return {tuple(e["loc"]): field_label(model, tuple(e["loc"])) for e in info.value.errors()}


@pytest.mark.parametrize("code", sorted(FIELD_MODELS))
def test_sample_data_validates(code):
    model = FIELD_MODELS[code].model_validate(sample_data(code))
    assert model.model_dump(mode="json")


def test_every_field_has_chinese_title_and_description():
    def check(model, seen):
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            assert info.title and info.description, f"{model.__name__}.{name}"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in info.title), name

    seen: set = set()
    for template in all_templates():
        check(template.model, seen)
        for sub in template.model.model_json_schema().get("$defs", {}).values():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in sub.get("title", "")), sub


def test_unknown_keys_are_rejected():
    data = sample_data("01") | {"surprise": 1}
    assert ("surprise",) in _loc_labels(ClueReport, data)


def test_missing_required_field_is_named_in_chinese():
    data = sample_data("01")
    del data["facts"]
    assert _loc_labels(ClueReport, data) == {("facts",): "核实查明的事实"}


def test_clue_report_needs_exactly_two_officers():
    data = sample_data("01")
    data["officers"] = data["officers"][:1]
    assert _loc_labels(ClueReport, data) == {("officers",): "承办人"}


def test_clue_source_is_an_enum_of_five():
    data = sample_data("01") | {"source": "道听途说"}
    assert _loc_labels(ClueReport, data) == {("source",): "线索来源"}


def test_approval_needs_two_interviewers_one_qualified():
    data = sample_data("02")
    data["interviewers"] = data["interviewers"][:1]
    assert _loc_labels(ApprovalForm, data) == {("interviewers",): "约谈人员"}
    data = sample_data("02")
    for i in data["interviewers"]:
        i["legal_review_qualified"] = False
    with pytest.raises(ValidationError, match="法制审核资格"):
        ApprovalForm.model_validate(data)


def test_interview_period_at_most_thirty_days():
    data = sample_data("07") | {"period_days": 31}
    assert ("period_days",) in _loc_labels(InterviewRecord, data)


def test_nested_error_gets_deepest_label():
    data = sample_data("07")
    data["items"][0]["deadline"] = "not a date"
    data["interviewers"][1]["cert_no"] = "!"
    assert _loc_labels(InterviewRecord, data) == {
        ("items", 0, "deadline"): "整改期限",
        ("interviewers", 1, "cert_no"): "执法证号",
    }


def test_refusal_to_sign_needs_two_witnesses():
    data = sample_data("07") | {
        "refused_to_sign": True,
        "refusal_witnesses": [{"name": "张某", "role": "社区工作人员"}],
    }
    assert _loc_labels(InterviewRecord, data) == {("refusal_witnesses",): "拒签见证人"}
    data["refusal_witnesses"].append({"name": "钱某", "role": "物业管理人员"})
    InterviewRecord.model_validate(data)


def test_rectification_deadline_within_thirty_days_of_interview():
    data = sample_data("08") | {"deadline": "2027-01-30"}
    assert ("deadline",) in _loc_labels(RectificationNotice, data)


def test_field_label_unknown_path_is_none():
    assert field_label(InterviewRecord, ("nope",)) is None
    assert field_label(InterviewRecord, ()) is None


def _unbounded(schema, path=()):
    """Every string without a maxLength (or enum/format) and every array without maxItems."""
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "string" and not {"maxLength", "enum", "const", "format"} & set(schema):
            yield ("string", path)
        if kind == "array" and "maxItems" not in schema:
            yield ("array", path)
        for key, value in schema.items():
            yield from _unbounded(value, (*path, key))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from _unbounded(value, (*path, i))


@pytest.mark.parametrize("code", sorted(FIELD_MODELS))
def test_every_text_and_list_is_bounded_in_the_schema(code):
    assert list(_unbounded(FIELD_MODELS[code].model_json_schema())) == []


def test_a_list_over_its_bound_is_refused():
    data = sample_data("07")
    data["discussion"] = ["要点"] * 101
    assert ("discussion",) in _loc_labels(InterviewRecord, data)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x0b", "\x0c", "\x1f", "\ufffe", "\ud800"])
def test_characters_a_docx_cannot_hold_are_refused_naming_the_field(char):
    data = sample_data("08")
    data["items"][0]["standard"] = f"验收{char}标准"
    labels = _loc_labels(RectificationNotice, data)
    assert labels == {("items", 0, "standard"): "验收标准"}


def test_tabs_and_newlines_are_text():
    data = sample_data("08")
    data["items"][0]["standard"] = "第一项\n第二项\t附表"
    notice = RectificationNotice.model_validate(data)
    assert notice.items[0].standard == "第一项\n第二项\t附表"
