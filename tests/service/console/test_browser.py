"""The console in a real browser (Playwright driving Debian's Chromium): the whole destruction
path as five different people, a search, a refused page, CSRF and the step-up password."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest
from fastapi.testclient import TestClient

from archive.retention import RetentionClass
from service.auth.models import Role
from service.config import Settings
from service.runtime import Runtime
from tests.service.console.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, live_service, shoot
from tests.service.console.conftest import PASSWORD, Person

ORDINARY_SECONDS = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Ordinary cases expire seconds after archiving; archiving runs as a job in the app."""
    classes = dict(settings.retention_classes)
    classes["D5"] = RetentionClass(seconds=ORDINARY_SECONDS, label="5年（测试：3秒）")
    classes["D10"] = RetentionClass(seconds=3600, label="10年（测试：1小时）")
    return settings.model_copy(update={"retention_classes": classes, "jobs_in_serve": True})


@pytest.fixture(scope="module")
def chromium(prerequisite_missing: Callable[[str], NoReturn]) -> Iterator[Any]:
    """Debian's Chromium under Playwright (``apt-get install chromium``)."""
    if not CHROMIUM.exists():
        prerequisite_missing("Debian's chromium is not installed (scripts/setup.sh --test)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        prerequisite_missing("the playwright package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def live(runtime: Runtime) -> Iterator[str]:
    """The service on a loopback port."""
    with live_service(runtime) as url:
        yield url


@pytest.fixture
def archive_case(client: TestClient, closed_case) -> Callable[..., dict[str, Any]]:
    """Archive a complete, closed case through the API as the given archivist."""

    def make(archivist: str, **kw: Any) -> dict[str, Any]:
        token = client.post(
            "/api/v1/auth/token", data={"username": archivist, "password": PASSWORD}
        ).json()["access_token"]
        case = closed_case(**kw)
        r = client.post(
            f"/api/v1/cases/{case['id']}/archive",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    return make


class Person_:
    """One person at their own browser (own cookies)."""

    def __init__(self, browser: Any, base: str, name: str) -> None:
        self.context = browser.new_context(base_url=base, viewport=VIEWPORT, locale="zh-CN")
        self.page = self.context.new_page()
        self.name = name

    def sign_in(self, password: str = PASSWORD) -> Any:
        page = self.page
        page.goto("/login")
        page.fill("input[name=username]", self.name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    def close(self) -> None:
        self.context.close()


def _text(page: Any, selector: str) -> str:
    return str(page.locator(selector).inner_text())


def test_the_whole_destruction_path_as_five_people(
    chromium: Any, live: str, person: Person, archive_case
) -> None:
    archivist = person("dang-archivist", Role.archivist)
    leader = person("li-leader", Role.leader)
    supervisors = [person(f"jian-{i}", Role.supervisor) for i in (1, 2, 3)]
    auditor = person("shen-auditor", Role.auditor)
    a = archive_case(archivist, party="中村市到期销毁餐饮有限公司")
    time.sleep(ORDINARY_SECONDS + 1)

    # 1. the archivist proposes a 销毁清册 from the due list
    arch = Person_(chromium, live, archivist)
    page = arch.sign_in()
    assert page.url.endswith("/archives")
    page.goto("/archives/due")
    assert a["archive_no"] in page.content()
    page.check(f"input[name=archive_no][value='{a['archive_no']}']")
    page.fill("textarea[name=appraisal]", "保管期限已满，经鉴定无继续保存价值，拟予销毁。")
    shoot(page, "archivist-due")
    page.click("button:has-text('提出销毁清册')")
    page.wait_for_url(re.compile(r"/destructions/\d+$"))
    list_url = page.url
    assert _text(page, "#list-status") == "待领导审批"
    assert a["archive_no"] in page.content()

    # 2. the leader finds it in their queue and approves it
    lead = Person_(chromium, live, leader)
    page = lead.sign_in()
    assert "queue=decide" in page.url and "待处理" in page.content()
    shoot(page, "leader-queue")
    page.click("table a")
    page.fill("textarea[name=comment]", "同意销毁。")
    shoot(page, "leader-decide")
    page.click("button[value=approve]")
    page.wait_for_load_state()
    assert _text(page, "#list-status") == "已批准，待监销与执行"
    lead.close()

    # 3. three supervisors confirm, each with their own login and their password again
    for i, name in enumerate(supervisors):
        sup = Person_(chromium, live, name)
        page = sup.sign_in()
        assert "queue=confirm" in page.url
        page.click("table a")
        assert a["archive_no"] in _text(page, "table")  # exactly what will be destroyed
        if i == 0:
            shoot(page, "supervisor-confirm")
            page.fill("input[name=password]", "not my password")
            page.click("button:has-text('确认监销')")
            page.wait_for_load_state()
            assert "密码不正确" in page.content()  # step-up refused
            page.goto(list_url)
            assert page.locator("#confirmations li").count() == 0
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('确认监销')")
        page.wait_for_load_state()
        assert page.locator("#confirmations li").count() == i + 1
        assert page.locator("#confirm").count() == 0  # no second confirmation offered
        sup.close()

    # 4. the archivist executes; the register and the printable record follow
    page = arch.page
    page.goto(list_url)
    page.click("button:has-text('执行销毁')")
    page.wait_for_load_state()
    assert _text(page, "#list-status") == "已销毁"
    shoot(page, "archivist-executed")
    record = arch.context.request.get(list_url + "/record")
    assert record.status == 200 and record.headers["content-type"] == "application/pdf"
    page.goto("/destruction-register")
    assert a["archive_no"] in page.content() and "jian-1" in page.content()
    shoot(page, "destruction-register")
    arch.close()

    # 5. the auditor finds the execution in the trail, and the chain holds
    aud = Person_(chromium, live, auditor)
    page = aud.sign_in()
    assert page.url.endswith("/audit")
    page.fill("input[name=action]", "destruction.execute")
    page.click("button:has-text('筛选')")
    page.wait_for_load_state()
    assert _text(page, "#total") == "1"
    assert archivist in _text(page, "table.audit")
    shoot(page, "auditor-trail")
    csv = aud.context.request.get("/audit/export.csv?action=destruction.confirm").text()
    rows = csv.splitlines()[1:]
    assert len(rows) == 4  # three confirmations and the refused step-up
    assert sum(",refused," in row for row in rows) == 1
    page.goto("/audit/chain")
    assert "校验通过" in _text(page, "#chain-result")
    aud.close()


def test_an_archivist_searches_with_a_chinese_term_and_a_filter(
    chromium: Any, live: str, person: Person, archive_case
) -> None:
    from playwright.sync_api import expect

    archivist = person("dang-archivist", Role.archivist)
    ordinary = archive_case(archivist, party="中村市南湖区某某餐饮管理有限公司")
    major = archive_case(archivist, party="中村市北城区某某食品有限公司", major=True)
    arch = Person_(chromium, live, archivist)
    page = arch.sign_in()
    assert _text(page, "#total") == "2"
    page.fill("input[name=q]", "卫生")
    page.select_option("select[name=class]", "D10")
    page.click("button:has-text('检索')")
    expect(page.locator("#total")).to_have_text("1")  # htmx swapped the results in
    assert "q=" in page.url  # htmx pushed the query into the address bar
    assert major["archive_no"] in _text(page, "table.results")
    assert ordinary["archive_no"] not in _text(page, "table.results")
    assert page.locator("td.snippet mark").first.inner_text() == "卫生"
    shoot(page, "archivist-search")

    page.click(f"table.results a:has-text('{major['archive_no']}')")
    page.wait_for_load_state()
    assert "真实性" in _text(page, "#integrity") and "中村约通〔2026〕" in page.content()
    page.select_option("select[name=kind]", "litigation")
    page.fill("form.card input[name=reason]", "当事人已提起行政诉讼")
    page.click("button:has-text('暂停销毁')")
    page.wait_for_load_state()
    assert "当事人已提起行政诉讼" in _text(page, "#holds + table")
    shoot(page, "archivist-dossier")
    pdf = arch.context.request.get(f"/archives/{major['archive_no']}/pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-disposition"].startswith("inline")
    arch.close()


def test_a_role_is_refused_a_page_and_forms_without_the_right_token(
    chromium: Any, live: str, person: Person
) -> None:
    sup = Person_(chromium, live, person("jian-1", Role.supervisor))
    page = sup.sign_in()
    assert "审计日志" not in _text(page, "nav.main-nav")  # not shown ...
    response = page.goto("/audit")  # ... and refused anyway
    assert response.status == 403 and "无权访问" in page.content()
    shoot(page, "refused")

    for form in ({}, {"csrf": "forged-token"}):
        r = sup.context.request.post("/destructions/1/confirm", form={**form, "password": "x"})
        assert r.status == 403 and "表单已过期" in r.text()
    page.goto("/destructions")
    assert page.url.endswith("/destructions")  # still signed in
    sup.close()

    anonymous = chromium.new_context(base_url=live, viewport=VIEWPORT)
    page = anonymous.new_page()
    page.goto("/archives")
    assert "/login" in page.url
    shoot(page, "login")
    anonymous.close()


def _fill_from_sample(page: Any, code: str) -> None:
    """Fill the inputs the draft left empty with the template's sample data."""
    from doc_templates.samples import sample_data

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, v in enumerate(value):
                walk(f"{prefix}[{i}]", v)
        else:
            box = page.locator(f'[name="{prefix}"]')
            if box.count() != 1 or box.input_value():
                return
            if isinstance(value, list):
                box.fill("\n".join(str(v) for v in value))
            elif isinstance(value, bool):
                box.select_option("true" if value else "false")
            elif box.evaluate("e => e.tagName") == "SELECT":
                box.select_option(str(value))
            elif box.get_attribute("type") == "datetime-local":
                box.fill(str(value)[:16])
            else:
                box.fill(str(value))

    walk("", sample_data(code))


def test_a_clerk_issues_a_document_and_sees_a_field_error_in_chinese(
    chromium: Any, live: str, person: Person, client: TestClient
) -> None:
    from tests.service.flow import case_body, run_flow

    clerk = person("wang-clerk", Role.clerk)
    token = client.post(
        "/api/v1/auth/token", data={"username": clerk, "password": PASSWORD}
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    case = client.post("/api/v1/cases", headers=headers, json=case_body()).json()
    run_flow(client, headers, case["id"], ["01", "02", "03"])

    me = Person_(chromium, live, clerk)
    page = me.sign_in()
    assert page.url.endswith("/cases")
    assert case["case_no"] in _text(page, "table.cases")
    shoot(page, "clerk-cases")
    page.click(f"table.cases a:has-text('{case['case_no']}')")
    page.wait_for_load_state()
    assert page.locator("select[name=template]").input_value() == "04"  # the next document
    shoot(page, "clerk-case")
    page.click("button:has-text('填写')")
    page.wait_for_load_state()
    _fill_from_sample(page, "04")
    page.fill('[name="contact_phone"]', "请致电办公室")  # not a telephone number
    page.click("button:has-text('制作并编号')")
    page.wait_for_load_state()
    error = page.locator('.field.invalid:has([name="contact_phone"]) .field-error')
    assert error.inner_text() == "格式不正确"
    assert page.locator(".field.invalid").count() == 1
    assert page.evaluate("document.activeElement.name") == "contact_phone"  # focused
    shoot(page, "clerk-field-error")

    page.fill('[name="contact_phone"]', "0573-82000000")
    page.click("button:has-text('制作并编号')")
    page.wait_for_url(re.compile(rf"/cases/{case['id']}\?issued=\d+"))
    assert "中村约通〔2026〕" in _text(page, "table.documents")
    docx = me.context.request.get(
        page.locator("table.documents a:has-text('DOCX')").last.get_attribute("href")
    )
    assert docx.status == 200 and docx.body()[:2] == b"PK"
    me.close()

    # the leader sees the office's red and yellow marks
    lead = Person_(chromium, live, person("li-leader", Role.leader))
    page = lead.sign_in()
    page.goto("/warnings")
    assert case["case_no"] in page.content() and "红牌" in page.content()
    shoot(page, "leader-warnings")
    # and the office's statistics for the period (figures, by month, by section)
    page.goto("/statistics?from=2026-01-01&to=2026-12-31")
    assert "受理线索数" in page.content() and "按月" in page.content()
    shoot(page, "leader-statistics")
    lead.close()

    # a citizen scans the QR code of the notice with a phone
    docs = client.get(f"/api/v1/cases/{case['id']}/documents", headers=headers).json()
    notice = next(d for d in docs if d["template"] == "04")
    phone = chromium.new_context(base_url=live, viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto("/api/v1/verify/" + notice["verify_url"].rsplit("/", 1)[1])
    assert _text(page, "#verdict") == "有效" and notice["doc_no"] in page.content()
    shoot(page, "verify-phone")
    phone.close()


def test_the_legal_section_and_the_administrator_at_their_pages(
    chromium: Any, live: str, person: Person
) -> None:
    legal = Person_(chromium, live, person("fa-legal", Role.legal))
    page = legal.sign_in()
    assert page.url.endswith("/templates") and "行政约谈通知书" in _text(page, "table.catalogue")
    shoot(page, "legal-catalogue")
    page.click("table.catalogue a:has-text('行政约谈通知书')")
    page.wait_for_load_state()
    assert "启用中" in _text(page, "table.versions")
    shoot(page, "legal-versions")
    legal.close()

    admin = Person_(chromium, live, person("root-admin", Role.admin))
    page = admin.sign_in()
    assert page.url.endswith("/admin")
    page.fill("form[action='/admin/keys'] input[name=name]", "case-system")
    page.click("button:has-text('创建密钥')")
    page.wait_for_load_state()
    assert _text(page, "#shown code").startswith("ajk_")
    shoot(page, "admin-people")
    admin.close()


def test_the_legal_section_draws_and_scores_a_file_in_the_browser(
    chromium: Any, live: str, person: Person, october: list[int]
) -> None:
    legal = Person_(chromium, live, person("zhou-legal", Role.legal))
    page = legal.sign_in()
    page.goto("/reviews?month=2026-10")
    page.click("button:has-text('抽取 2026-10 评查样本')")
    page.wait_for_url(re.compile(r"/reviews\?month=2026-10"))
    assert "抽取 2 件" in page.content()
    shoot(page, "legal-reviews")
    page.click("table a:has-text('评查')")
    page.wait_for_load_state()
    for field, value in {
        "awarded_documents": "10",
        "awarded_procedure": "25",
        "awarded_time_limits": "15",
        "awarded_law": "20",
        "awarded_filing": "10",
    }.items():
        page.fill(f"[name={field}]", value)
    page.fill("[name=note_documents]", "缺送达回证")
    page.click("button:has-text('提交评查结果')")
    page.wait_for_load_state()
    assert "须填写评查结论" in page.content()  # 80 < 85: the findings are required
    shoot(page, "legal-review-score")
    page.fill("[name=findings]", "文书不全：缺送达回证，请补正。")
    page.click("button:has-text('提交评查结果')")
    page.wait_for_url(re.compile(r"/reviews\?month=2026-10"))
    assert "不合格" in page.content()
    legal.close()
