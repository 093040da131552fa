"""Who is signed in, what they may do, and how refusals become pages.

``ConsoleRoute`` wraps every console route: it refuses a form without the session's CSRF
token, turns a domain error into a Chinese page (and audits a refused change, committed before
the page is sent, as the API does), sends an unsigned browser to the sign-in page and
re-signs the session cookie, which is what makes the idle timeout slide.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from service.audit.refusals import record_refusal
from service.audit.service import Actor
from service.auth import repository
from service.auth.models import Role
from service.auth.policy import POLICY, allowed
from service.auth.security import Principal
from service.console import session as cookie
from service.console.pages import render
from service.console.problems import in_chinese
from service.db import reading
from service.deps import RuntimeDep, roll_back_request
from service.errors import DomainError, Forbidden

ERROR_TITLES = {
    400: "请求有误",
    401: "身份验证未通过",
    403: "无权访问",
    404: "未找到",
    409: "当前状态不允许此操作",
    422: "填写有误",
    429: "尝试次数过多",
    503: "服务暂不可用",
}
# Messages the people using the console read, by the API's stable error code.
ERROR_MESSAGES = {
    "forbidden": "您的角色无权执行此操作或查看此页面。",
    "not_found": "要找的内容不存在或已被删除。",
    "csrf_failed": "表单已过期或来源不明，请刷新页面后重新提交。",
    "separation_of_duties": "职责分离：提出人、审批人和监销人须为不同的人。",
    "not_enough_supervisors": "监销人不足三人，暂不能执行销毁。",
    "not_destroyable": "所选档案中有不能销毁的（未到期、永久保管、已暂停销毁或已列入其他清册）。",
    "already_executed": "该清册已经执行销毁。",
    "illegal_transition": "清册当前的状态不允许此操作。",
    "too_many_attempts": "登录失败次数过多，账户或地址已被暂时锁定，请稍后再试。",
    "step_up_failed": "密码不正确，确认未被接受。",
    "validation_error": "提交的内容有误，请检查后重新提交。",
}


class SignInRequired(Exception):
    """No valid console session: off to the sign-in page."""


class CsrfFailed(Forbidden):
    """The form carried no CSRF token, or not this session's."""

    code = "csrf_failed"


@dataclass(frozen=True)
class ConsoleUser:
    """The signed-in person."""

    principal: Principal
    actor: Actor

    @property
    def role(self) -> Role:
        """Their role (read from the database on every request)."""
        return self.principal.role

    @property
    def name(self) -> str:
        """Their username."""
        return self.principal.name

    def may(self, action: str) -> bool:
        """True when the policy lets them do ``action``."""
        return allowed(action, self.principal.role)


def _current(request: Request, runtime: RuntimeDep) -> ConsoleUser:
    settings = runtime.settings
    s = cookie.load(request, settings)
    if s is None:
        raise SignInRequired()
    with reading(runtime.sessions) as db:
        user = repository.get_user(db, s.user_id)
        if user is None or not user.active or user.token_generation != s.generation:
            raise SignInRequired()
        principal = Principal("user", user.id, user.username, user.role)
    request.state.principal = principal  # a refusal is audited under its author
    request.state.console_user = ConsoleUser(
        principal,
        Actor(
            principal,
            request_id=request.state.request_id,
            client_addr=request.client.host if request.client else None,
        ),
    )
    request.state.console_session = s
    request.state.console_csrf = s.csrf
    return request.state.console_user


def can(action: str) -> Callable[..., ConsoleUser]:
    """Dependency: the signed-in user, if ``POLICY[action]`` admits their role (else 403)."""
    if action not in POLICY:
        raise KeyError(f"no policy declared for {action!r}")

    def dependency(request: Request, runtime: RuntimeDep) -> ConsoleUser:
        user = _current(request, runtime)
        if not user.may(action):
            raise Forbidden(f"role {user.role} may not {action}")
        return user

    dependency.action = action  # type: ignore[attr-defined]  # read by the policy tests
    return dependency


def signed_in(request: Request, runtime: RuntimeDep) -> ConsoleUser:
    """Dependency: any signed-in user (pages every role has, e.g. the welcome page)."""
    return _current(request, runtime)


SignedIn = Annotated[ConsoleUser, Depends(signed_in)]


def error_page(request: Request, exc: DomainError) -> Response:
    """A domain error as a page the person can read."""
    status = exc.status_code
    problems = exc.detail if isinstance(exc.detail, list) else []
    archives = exc.detail.get("archives", []) if isinstance(exc.detail, dict) else []
    response = render(
        request,
        "error.html",
        {
            "status": status,
            "title": ERROR_TITLES.get(status, "操作未完成"),
            "message": ERROR_MESSAGES.get(exc.code, "操作未完成。"),
            "code": exc.code,
            "problems": problems,
            "archives": archives,
            "request_id": getattr(request.state, "request_id", ""),
        },
        status_code=status,
    )
    for name, value in (exc.headers or {}).items():
        if name.lower() == "retry-after":
            response.headers[name] = value
    return response


class ConsoleRoute(APIRoute):
    """A console route: CSRF on every form, refusals as pages, sliding idle timeout."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def wrapped(request: Request) -> Response:
            settings = request.app.state.runtime.settings
            try:
                if request.method == "POST":
                    form = await request.form()
                    if not cookie.csrf_ok(
                        cookie.expected_csrf(request, settings), form.get(cookie.CSRF_FIELD)
                    ):
                        raise CsrfFailed("missing or wrong CSRF token")
                response = await handler(request)
            except SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                if request.method != "GET":  # a form cannot be replayed: start at home
                    target = "/"
                response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
                cookie.clear(response)
                return response
            except RequestValidationError as exc:  # each field named, said in Chinese
                problems = in_chinese(
                    {
                        "field": ".".join(str(p) for p in e["loc"][1:]),
                        "message": e["msg"],
                        "type": e["type"],
                    }
                    for e in exc.errors()
                )
                return error_page(request, _Invalid(problems))
            except DomainError as exc:
                # The page is an answer, not a raise: the request's own unit of work is rolled
                # back here (or its session would commit what the route flushed, and hold
                # SQLite's lock), then the refusal is committed before the page is sent.
                await run_in_threadpool(roll_back_request, request)
                await run_in_threadpool(record_refusal, request, exc)
                response = error_page(request, exc)
            s = getattr(request.state, "console_session", None)
            if s is not None and cookie.COOKIE not in response.headers.get("set-cookie", ""):
                cookie.store(response, settings, s)
            return response

        return wrapped


class _Invalid(DomainError):
    status_code = 422
    code = "validation_error"
