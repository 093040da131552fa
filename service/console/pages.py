"""Rendering: the Jinja2 environment, Chinese labels and dates, the role-aware navigation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.auth.models import Role
from service.auth.policy import allowed
from service.clock import LOCAL_TZ

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

# Console pages run no inline script or style, are never framed and send forms only home.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

ROLE_LABELS = {
    Role.clerk: "承办人",
    Role.system: "外部系统",
    Role.legal: "法制科",
    Role.leader: "领导",
    Role.archivist: "档案员",
    Role.auditor: "审计员",
    Role.supervisor: "监销人",
    Role.admin: "系统管理员",
}
ARCHIVE_STATUS = {"archived": "在库", "destroyed": "已销毁"}
LIST_STATUS = {
    "proposed": "待领导审批",
    "approved": "已批准，待监销与执行",
    "rejected": "已驳回",
    "executing": "销毁执行中",
    "executed": "已销毁",
}
HOLD_KINDS = {
    "review": "复查",
    "reconsideration": "行政复议",
    "litigation": "行政诉讼",
    "complaint": "投诉",
    "other": "其他",
}
ASPECTS = {
    "authenticity": "真实性",
    "integrity": "完整性",
    "usability": "可用性",
    "security": "安全性",
}
ACTIONS = {
    "auth.login": "登录",
    "auth.lockout": "锁定登录",
    "console.logout": "退出控制台",
    "archive.create": "归档",
    "archive.read": "查阅档案",
    "archive.hold": "暂停销毁",
    "archive.hold_release": "解除暂停销毁",
    "archive.retention": "变更保管期限",
    "destruction.propose": "提出销毁清册",
    "destruction.approve": "批准销毁",
    "destruction.reject": "驳回销毁",
    "destruction.confirm": "监销确认",
    "destruction.execute": "执行销毁",
    "destruction.destroy": "销毁档案",
    "destruction.record_read": "查阅销毁记录",
    "document.issue": "制作文书",
    "document.void": "作废文书",
    "document.download": "下载文书",
    "document.pdf": "生成PDF",
    "template.upload": "上传模板",
    "template.activate": "启用模板",
    "template.download": "下载模板",
    "user.create": "添加用户",
    "user.disable": "停用用户",
    "user.enable": "启用用户",
    "user.password_reset": "重置密码",
    "api_key.create": "创建密钥",
    "api_key.rotate": "轮换密钥",
    "api_key.revoke": "吊销密钥",
}
OUTCOMES = {"ok": "成功", "failed": "失败", "refused": "被拒绝", "locked": "已锁定"}


@dataclass(frozen=True)
class NavItem:
    """A link of the navigation, shown only to roles whose policy allows its action."""

    action: str
    href: str
    label: str


NAV = (
    NavItem("cases.create", "/cases", "我的案件"),
    NavItem("archives.read", "/archives", "档案检索"),
    NavItem("archives.due", "/archives/due", "到期档案"),
    NavItem("destruction.read", "/destructions", "销毁清册"),
    NavItem("destruction.read", "/destruction-register", "销毁登记簿"),
    NavItem("destruction.decide", "/warnings", "红黄牌预警"),
    NavItem("statistics.read", "/statistics", "统计分析"),
    NavItem("reviews.read", "/reviews", "案卷评查"),
    NavItem("audit.read", "/audit", "审计日志"),
    NavItem("templates.upload", "/templates", "文书模板"),
    NavItem("users.manage", "/admin", "用户与密钥"),
)

# Where each role lands after signing in: its own work queue.
HOME = {
    Role.archivist: "/archives",
    Role.leader: "/destructions?queue=decide",
    Role.supervisor: "/destructions?queue=confirm",
    Role.auditor: "/audit",
    Role.legal: "/templates",
    Role.admin: "/admin",
    Role.clerk: "/cases",
}


def nav_for(role: Role) -> list[NavItem]:
    """The links this role may follow."""
    return [item for item in NAV if allowed(item.action, role)]


def home_for(role: Role) -> str:
    """The first page of a role."""
    return HOME.get(role, "/welcome")


def cn_date(value: date | datetime | str | None) -> str:
    """A date as the office writes it: 2026年11月30日."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return f"{value.year}年{value.month}月{value.day}日"


def cn_time(value: datetime | None) -> str:
    """A moment in office time: 2026年11月30日 14:05."""
    if value is None:
        return "—"
    local = value.astimezone(LOCAL_TZ)
    return f"{cn_date(local.date())} {local:%H:%M}"


def who(label: str | None) -> str:
    """``user:zhang`` as the person's name."""
    if not label:
        return "—"
    return label.split(":", 1)[1] if label.startswith(("user:", "key:")) else label


TEMPLATES.env.filters.update(cn_date=cn_date, cn_time=cn_time, who=who)
TEMPLATES.env.globals.update(
    ROLE_LABELS=ROLE_LABELS,
    ARCHIVE_STATUS=ARCHIVE_STATUS,
    LIST_STATUS=LIST_STATUS,
    HOLD_KINDS=HOLD_KINDS,
    ASPECTS=ASPECTS,
    OUTCOMES=OUTCOMES,
    ACTIONS=ACTIONS,
)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """A console page, with the signed-in user's navigation and CSRF token."""
    user = getattr(request.state, "console_user", None)
    ctx: dict[str, Any] = {
        "user": user,
        "nav": nav_for(user.role) if user else [],
        "csrf": getattr(request.state, "console_csrf", ""),
        "path": request.url.path,
        "agency": request.app.state.runtime.settings.agency_name,
    }
    ctx.update(context or {})
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
    response.headers["Content-Security-Policy"] = CSP
    return response
