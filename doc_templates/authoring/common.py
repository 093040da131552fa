"""Layout pieces shared by several templates: the party table and the letter opening."""

from __future__ import annotations

from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.style import SIZE_FORM, B, Loop

LABEL_MM, VALUE_MM, VALUE2_MM = 30, 50, 46  # 四号 labels of five characters fit


def party_table(doc: TemplateDoc) -> None:
    """案号, 当事人 and its particulars, 约谈事由: the header table of internal forms."""
    doc.table(
        [LABEL_MM, VALUE_MM, LABEL_MM, VALUE2_MM],
        None,
        [
            [[[B("案号")]], "{{ case.case_no }}", [[B("当事人类型")]], "{{ party.kind_label }}"],
            [[[B("当事人")]], "{{ party.name }}", "", ""],
            [
                [[B("证照号码")]],
                "{{ party.id_code }}",
                [[B("法定代表人")]],
                "{{ party.representative }}",
            ],
            [[[B("地址")]], "{{ party.address }}", [[B("联系电话")]], "{{ party.phone }}"],
            [[[B("约谈事由")]], "{{ case.cause }}", "", ""],
        ],
        merge=[(1, 1, 3), (4, 1, 3)],
        size=SIZE_FORM,
    )


def letter_opening(doc: TemplateDoc) -> None:
    """案号 line and the salutation of a document addressed to the party."""
    doc.para("案号：", "{{ case.case_no }}", indent=False)
    doc.para("{{ party.name }}", "：", indent=False)


def officers_cell() -> list[Loop]:
    """A cell listing interviewers one per line with their certificate numbers."""
    return [
        Loop("o in data.interviewers", ["{{ o.name }}", "（执法证号：", "{{ o.cert_no }}", "）"])
    ]


def rectification_table(doc: TemplateDoc) -> None:
    """The rectification items of 07 and 08, one row per item."""
    doc.table(
        [12, 40, 34, 24, 46],
        ["序号", "整改事项", "整改依据", "整改期限", "验收标准"],
        [
            [
                "{{ loop.index }}",
                "{{ i.item }}",
                "{{ i.basis }}",
                "{{ i.deadline | cn_date }}",
                "{{ i.standard }}",
            ]
        ],
        loop="i in data.items",
    )


def evidence_table(doc: TemplateDoc) -> None:
    """An evidence list (序号, 证据名称, 证据种类, 页数) for 01 and 12."""
    doc.table(
        [16, 84, 32, 24],
        ["序号", "证据名称", "证据种类", "页数"],
        [["{{ loop.index }}", "{{ e.name }}", "{{ e.kind }}", "{{ e.pages }}"]],
        loop="e in data.evidence",
    )
