"""What the statistics report: each figure with its definition (the OpenAPI schema carries it,
and the CSV and XLSX headers use its Chinese title).

Every figure is counted from the recorded acts, steps and documents, each on its own date: a
case whose clue came in September and which closed in October counts as opened in Q3 and
closed in Q4. "In the period" means the date lies between ``from`` and ``to``, both included.
Rates are ``null`` when nothing was there to count.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class Figures(BaseModel):
    """The figures of one slice (all, a section, a handler, a month)."""

    cases_opened: int = Field(
        0,
        title="受理线索数",
        description="Cases whose clue was received in the period (the clue_received act).",
    )
    cases_closed: int = Field(
        0, title="结案数", description="Cases closed in the period (the case_closed act)."
    )
    closed_passed: int = Field(
        0, title="结案：整改合格", description="Of the cases closed, those closed as passed."
    )
    closed_penalty: int = Field(
        0,
        title="结案：转处罚",
        description="Of the cases closed, those closed as penalty (转入行政处罚程序).",
    )
    closed_other: int = Field(
        0, title="结案：其他", description="Of the cases closed, those closed as other."
    )
    interviews_held: int = Field(
        0,
        title="实施约谈数",
        description="Interviews held in the period: effective (not voided) interview_held acts "
        "(约谈记录 07) dated in the period.",
    )
    acceptances: int = Field(
        0,
        title="整改验收数",
        description="Rectification acceptances concluded in the period: effective "
        "acceptance_concluded acts (验收意见书 10) dated in the period.",
    )
    acceptances_passed: int = Field(
        0, title="验收合格数", description="Of those acceptances, the ones concluding 验收合格."
    )
    rectification_pass_rate: float | None = Field(
        None,
        title="整改合格率",
        description="acceptances_passed / acceptances.",
    )
    steps_done: int = Field(
        0,
        title="办结环节数",
        description="Time-limited steps (case_steps with a due date) done in the period "
        "(done_on in the period).",
    )
    steps_done_late: int = Field(
        0,
        title="超期办结环节数",
        description="Of the steps done, those done after their due date (or due time).",
    )
    overdue_rate: float | None = Field(
        None, title="超期率", description="steps_done_late / steps_done."
    )
    steps_overdue_now: int = Field(
        0,
        title="当前超期环节数",
        description="Steps open now whose due date (or due time) has passed, whatever the period.",
    )
    clue_to_start_cases: int = Field(
        0,
        title="启动约谈案件数",
        description="Cases whose interview was started in the period: their first effective "
        "约谈通知书 (04, the notice_issued act) is dated in the period.",
    )
    clue_to_start_median_wd: int | None = Field(
        None,
        title="线索至启动中位数（工作日）",
        description="Median of the working days from the clue to that 04, on the office's "
        "calendar (the clue's day not counted; nearest-rank median).",
    )
    clue_to_start_p90_wd: int | None = Field(
        None,
        title="线索至启动P90（工作日）",
        description="90th percentile (nearest rank) of the same working days.",
    )
    clue_to_start_within_15: int = Field(
        0, title="15个工作日内启动数", description="Of those cases, started within 15 working days."
    )
    clue_to_start_within_15_share: float | None = Field(
        None,
        title="15个工作日内启动比例",
        description="clue_to_start_within_15 / clue_to_start_cases.",
    )
    documents_issued: int = Field(
        0,
        title="制发文书数",
        description="Documents whose 成文日期 (issued_on) is in the period, voided ones included.",
    )
    documents_voided: int = Field(
        0,
        title="作废文书数",
        description="Documents voided in the period (voided_at, office time), whenever issued.",
    )
    closed_with_ledger: int = Field(
        0,
        title="有跟踪台账结案数",
        description="Of the cases closed in the period, those with an effective 整改跟踪台账 (09).",
    )
    ledger_share: float | None = Field(
        None, title="跟踪台账覆盖率", description="closed_with_ledger / cases_closed."
    )
    archiving_timed: int = Field(
        0,
        title="应归档结案数",
        description="Of the cases closed in the period, those with a time-limited archiving step "
        "(cases of the 约谈 flow).",
    )
    archived_in_time: int = Field(
        0,
        title="按时归档数",
        description="Of those, the ones archived within the archiving limit (10 working days "
        "after closure by default) — the archiving step done and not late.",
    )
    archived_in_time_share: float | None = Field(
        None, title="按时归档率", description="archived_in_time / archiving_timed."
    )
    satisfaction_count: int = Field(
        0,
        title="满意度调查数",
        description="Of the cases closed in the period, those with a satisfaction score "
        "recorded at closure.",
    )
    satisfaction_mean: float | None = Field(
        None,
        title="平均满意度",
        description="Mean of those scores (0–100), rounded to one decimal.",
    )
    cases_reviewed: int = Field(
        0,
        title="评查案卷数",
        description="Case files reviewed (案卷评查) with a review completed in the period.",
    )
    cases_reviewed_passed: int = Field(
        0, title="评查合格案卷数", description="Of those, the ones reaching the pass mark."
    )
    document_quality_rate: float | None = Field(
        None,
        title="文书合格率",
        description="cases_reviewed_passed / cases_reviewed (target ≥ 98%).",
    )


class Slice(Figures):
    """The figures of one section, handler or month."""

    key: str = Field(title="分组", description="The section, the handler, or the month YYYY-MM")
    section: str | None = Field(
        None, title="科室", description="For a handler: the section the figures were in"
    )


class StepFigures(BaseModel):
    """One step across the slice."""

    step: str = Field(title="环节")
    label: str = Field(title="环节名称")
    done: int = Field(title="办结数", description="Steps of this kind done in the period.")
    done_late: int = Field(title="超期办结数", description="Of those, done late.")
    overdue_rate: float | None = Field(title="超期率", description="done_late / done.")
    overdue_now: int = Field(title="当前超期数", description="Open now and past due.")


class DocumentFigures(BaseModel):
    """One template across the slice."""

    template: str = Field(title="文书编号")
    name: str = Field(title="文书名称")
    issued: int = Field(title="制发数")
    voided: int = Field(title="作废数")


class OverdueRun(BaseModel):
    """A section whose steps fell due late three or more times in a row (连续三次超期)."""

    section: str = Field(title="科室")
    overdue_in_a_row: int = Field(
        title="连续超期次数",
        description="The longest run of steps, in the order they fell due in the period, each "
        "done late or still open past its due date.",
    )
    first_due_on: date = Field(title="起始应办日期")
    last_due_on: date = Field(title="截止应办日期")


class StatisticsOut(BaseModel):
    """The statistics of a period, with their breakdowns."""

    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from", title="起始日期")
    to: date = Field(title="截止日期")
    section: str | None = Field(title="科室（筛选）")
    handler: str | None = Field(title="承办人（筛选）")
    as_of: date = Field(
        title="统计日", description="Today in office time: what 'overdue now' is judged on"
    )
    calendar_provisional: bool = Field(
        description="A working-day count went through a year whose holiday schedule is not "
        "published yet"
    )
    totals: Figures
    by_section: list[Slice] = Field(description="Cases without a section under the key ''")
    by_handler: list[Slice] = Field(description="Cases without a handler under the key ''")
    by_month: list[Slice] = Field(
        description="Each figure in the month of its own date (steps overdue now: the month "
        "they fell due), for the months of the period"
    )
    by_step: list[StepFigures]
    by_template: list[DocumentFigures]
    overdue_sections: list[OverdueRun] = Field(
        description="Sections with three or more overdue steps in a row in the period"
    )
