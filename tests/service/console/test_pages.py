"""The console without a browser: sessions, CSRF, the role policy, security headers."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.app import create_app
from service.audit.models import AuditEntry
from service.audit.refusals import route_action
from service.audit.service import Actor, record
from service.auth.models import Role
from service.auth.policy import POLICY
from service.console.pages import nav_for
from service.db import reading
from service.destruction import service as destruction_service
from service.errors import Conflict
from service.runtime import Runtime
from tests.service.console.conftest import PASSWORD, Person, csrf_of, sign_in
from tests.service.watch import RequestWatch

PUBLIC = {("GET", "/login"), ("POST", "/login")}
SIGNED_IN_ONLY = {("GET", "/"), ("GET", "/welcome"), ("POST", "/logout")}
SAMPLE = {
    "{archive_no}": "A1",
    "{list_id}": "1",
    "{hold_id}": "1",
    "{case_id}": "1",
    "{sample_id}": "1",
    "{document_id}": "1",
    "{code}": "01",
    "{version}": "ab" * 6,
    "{username}": "nobody",
    "{name}": "no-such-key",
}


def console_routes() -> list[tuple[str, str, str | None]]:
    app = create_app()
    out = []
    for rc in iter_route_contexts(app.routes):
        route = rc.original_route
        if isinstance(route, APIRoute) and "console" in route.tags:
            for method in sorted(route.methods):
                out.append((method, route.path, route_action(route)))
    return out


def _url(path: str) -> str:
    for k, v in SAMPLE.items():
        path = path.replace(k, v)
    return path


def test_console_routes_are_not_in_the_api_schema(browser_client: TestClient) -> None:
    paths = browser_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if not p.startswith(("/api/", "/health"))]


def test_every_console_route_names_a_policy_action() -> None:
    routes = console_routes()
    assert len(routes) > 10
    for method, path, action in routes:
        if (method, path) in PUBLIC | SIGNED_IN_ONLY:
            assert action is None
        else:
            assert action in POLICY, f"{method} {path} declares no policy"


def test_every_role_gets_exactly_what_the_policy_declares(runtime: Runtime, person: Person) -> None:
    routes = [r for r in console_routes() if (r[0], r[1]) not in PUBLIC | SIGNED_IN_ONLY]
    for role in Role:
        name = person(f"p-{role.value}", role)
        with TestClient(
            create_app(runtime=runtime), base_url="https://testserver", follow_redirects=False
        ) as c:
            sign_in(c, name)
            token = csrf_of(c.get("/welcome").text)
            for method, path, action in routes:
                assert action is not None
                r = c.request(method, _url(path), data={"csrf": token})
                assert r.status_code < 500, f"{role} {method} {path}: {r.status_code}"
                if role in POLICY[action]:
                    assert r.status_code != 403, f"{role} {method} {path}"
                else:
                    assert r.status_code == 403, f"{role} {method} {path}: {r.status_code}"
                    assert "无权访问" in r.text


def test_anonymous_is_sent_to_sign_in(browser_client: TestClient) -> None:
    r = browser_client.get("/archives?q=卫生")
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=/archives")


def test_sign_in_sets_a_strict_http_only_secure_cookie_and_lands_on_the_queue(
    browser_client: TestClient, person: Person
) -> None:
    person("dang", Role.archivist)
    token = csrf_of(browser_client.get("/login").text)
    r = browser_client.post(
        "/login", data={"username": "dang", "password": PASSWORD, "csrf": token}
    )
    assert r.status_code == 303 and r.headers["location"] == "/archives"
    cookie = next(
        v for k, v in r.headers.multi_items() if k == "set-cookie" and "anjuan_console=" in v
    )
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    page = browser_client.get("/archives")
    assert page.status_code == 200 and "档案检索" in page.text


def test_pages_carry_the_security_headers(browser_client: TestClient) -> None:
    r = browser_client.get("/login")
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"]
    assert "<script>" not in r.text and " style=" not in r.text


def test_a_form_without_or_with_a_wrong_csrf_token_is_refused(
    browser_client: TestClient, person: Person
) -> None:
    person("dang", Role.archivist)
    browser_client.get("/login")
    no_token = browser_client.post("/login", data={"username": "dang", "password": PASSWORD})
    assert no_token.status_code == 403 and "表单已过期" in no_token.text
    sign_in(browser_client, "dang")
    wrong = browser_client.post(
        "/destructions", data={"csrf": "x" * 43, "appraisal": "到期", "archive_no": "A"}
    )
    assert wrong.status_code == 403 and "表单已过期" in wrong.text


def test_wrong_password_is_said_in_chinese_and_repeated_failures_lock(
    browser_client: TestClient, person: Person, runtime: Runtime
) -> None:
    person("dang", Role.archivist)
    token = csrf_of(browser_client.get("/login").text)
    for _ in range(runtime.settings.login_account_threshold):
        r = browser_client.post(
            "/login", data={"username": "dang", "password": "wrong", "csrf": token}
        )
        assert r.status_code == 401 and "用户名或密码不正确" in r.text
    locked = browser_client.post(
        "/login", data={"username": "dang", "password": PASSWORD, "csrf": token}
    )
    assert locked.status_code == 429 and "Retry-After" in locked.headers
    assert "登录失败次数过多" in locked.text


def test_signing_out_ends_the_session(browser_client: TestClient, person: Person) -> None:
    person("dang", Role.archivist)
    sign_in(browser_client, "dang")
    kept = dict(browser_client.cookies)
    token = csrf_of(browser_client.get("/archives").text)
    assert browser_client.post("/logout", data={"csrf": token}).status_code == 303
    browser_client.cookies.update(kept)  # a copy of the cookie is dead too
    assert browser_client.get("/archives").status_code == 303


def test_navigation_shows_only_what_the_role_may_do() -> None:
    auditor = ["档案检索", "销毁清册", "销毁登记簿", "统计分析", "案卷评查", "审计日志"]
    assert [i.label for i in nav_for(Role.auditor)] == auditor
    assert "审计日志" not in [i.label for i in nav_for(Role.archivist)]
    assert [i.href for i in nav_for(Role.clerk)] == ["/cases"]
    assert [i.href for i in nav_for(Role.legal)][-1] == "/templates"
    assert [i.href for i in nav_for(Role.admin)] == ["/audit", "/admin"]
    assert [i.href for i in nav_for(Role.supervisor)] == ["/destructions", "/destruction-register"]
    assert "/warnings" in [i.href for i in nav_for(Role.leader)]
    assert "/statistics" in [i.href for i in nav_for(Role.leader)]
    assert "/reviews" in [i.href for i in nav_for(Role.legal)]
    assert "/statistics" not in [i.href for i in nav_for(Role.clerk)]


def test_the_sign_in_does_not_follow_a_foreign_next(
    browser_client: TestClient, person: Person
) -> None:
    person("dang", Role.archivist)
    token = csrf_of(browser_client.get("/login").text)
    r = browser_client.post(
        "/login",
        data={"username": "dang", "password": PASSWORD, "csrf": token, "next": "//evil.example"},
    )
    assert r.headers["location"] == "/archives"


def test_an_administrator_adds_a_user_who_can_then_sign_in(
    browser_client: TestClient, person: Person, runtime: Runtime
) -> None:
    person("root-admin", Role.admin)
    sign_in(browser_client, "root-admin")
    token = csrf_of(browser_client.get("/admin").text)
    r = browser_client.post(
        "/admin/users", data={"csrf": token, "username": "xiao-li", "role": "clerk"}
    )
    assert r.status_code == 200 and "仅显示这一次" in r.text
    password = r.text.split('<code class="secret">')[1].split("</code>")[0]
    key = browser_client.post(
        "/admin/keys", data={"csrf": token, "name": "case-system", "role": "system"}
    )
    assert key.status_code == 200 and "ajk_" in key.text
    with TestClient(
        create_app(runtime=runtime), base_url="https://testserver", follow_redirects=False
    ) as other:
        assert sign_in(other, "xiao-li", password) == "/cases"
        disabled = browser_client.post("/admin/users/xiao-li/disable", data={"csrf": token})
        assert disabled.status_code == 303
        assert other.get("/cases").status_code == 303  # the session ended with the account


def test_the_legal_section_sees_the_catalogue_and_uploads_a_draft(
    browser_client: TestClient, person: Person
) -> None:
    from doc_templates import get_template

    person("fa-legal", Role.legal)
    assert sign_in(browser_client, "fa-legal") == "/templates"
    catalogue = browser_client.get("/templates")
    assert catalogue.status_code == 200 and "行政约谈通知书" in catalogue.text
    page = browser_client.get("/templates/04")
    assert "启用中" in page.text
    docx = get_template("04").docx_path.read_bytes()
    r = browser_client.post(
        "/templates/04/versions",
        data={"csrf": csrf_of(page.text), "note": "调整落款"},
        files={"file": ("04-edited.docx", docx + b"", "application/octet-stream")},
    )
    assert r.status_code == 303, r.text


def test_a_session_ends_after_30_idle_minutes_and_slides_while_used(
    browser_client: TestClient, person: Person, monkeypatch
) -> None:
    import time as clock

    person("dang", Role.archivist)
    sign_in(browser_client, "dang")
    start = clock.time()
    for minutes in (20, 40):  # each page re-signs the cookie: 20 idle minutes twice is fine
        monkeypatch.setattr(clock, "time", lambda m=minutes: start + m * 60)
        assert browser_client.get("/archives").status_code == 200
    monkeypatch.setattr(clock, "time", lambda: start + 71 * 60)  # 31 idle minutes
    r = browser_client.get("/archives")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_cookies_are_secure_outside_development(settings) -> None:
    from service.console.session import secure_cookies

    assert secure_cookies(settings.model_copy(update={"env": "production"}))
    assert secure_cookies(settings.model_copy(update={"env": "test"}))
    assert not secure_cookies(settings.model_copy(update={"env": "development"}))


def test_a_refused_form_is_audited_before_its_page_is_sent(
    runtime: Runtime, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    person("dang", Role.archivist)
    watch = RequestWatch(runtime, monkeypatch)
    with watch.client(base_url="https://testserver", follow_redirects=False) as c:
        sign_in(c, "dang")
        token = csrf_of(c.get("/archives/due").text)
        watch.audit_at_first_byte.clear()
        r = c.post(
            "/destructions", data={"csrf": token, "appraisal": "到期", "archive_no": "NO-SUCH"}
        )
    assert r.status_code in (404, 409), r.text
    assert watch.audit_at_first_byte == ["destruction.propose"]  # committed before the page
    with reading(runtime.sessions) as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (last.outcome, last.actor) == ("refused", "user:dang")


def test_a_refused_form_commits_nothing_its_route_wrote_before_the_refusal(
    browser_client: TestClient,
    person: Person,
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def writes_then_refuses(session: Session, actor: Actor, *args: object) -> None:
        record(session, actor, "destruction.propose", "destruction_list", "half-done", {})
        session.flush()
        raise Conflict("refused after a write")

    monkeypatch.setattr(destruction_service, "propose", writes_then_refuses)
    person("dang", Role.archivist)
    sign_in(browser_client, "dang")
    token = csrf_of(browser_client.get("/archives/due").text)
    r = browser_client.post(
        "/destructions", data={"csrf": token, "appraisal": "到期", "archive_no": "A"}
    )
    assert r.status_code == 409
    with reading(runtime.sessions) as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "destruction.propose")
        ).all()
    assert [(e.outcome, e.target_id) for e in entries] == [("refused", "/destructions")]
