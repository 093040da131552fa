"""The public verification page a citizen reads on a phone after scanning a QR code.

``/api/v1/verify/{token}`` stays JSON for API clients; a browser (``Accept: text/html``)
gets this page: who issued the document, which document, its 文号 and date, its status in
words, and what to do when the paper in hand does not match.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from service.console.pages import CSP, TEMPLATES

STATUS = {
    "valid": ("有效", "本文书由发文机关依法制发，目前有效。", "ok"),
    "archived": ("有效（已归档）", "本文书由发文机关依法制发，案件已结案归档。", "ok"),
    "superseded": (
        "已作废",
        "本文书已被发文机关作废，请以替代文书为准。",
        "bad",
    ),
    "destroyed": (
        "档案已依法销毁",
        "本文书所在档案保管期满，已经批准依法销毁。",
        "bad",
    ),
}


def verification_page(request: Request, record: Any | None) -> HTMLResponse:
    """The page for a genuine document (``record``) or for a code this service never issued."""
    status = STATUS.get(record.status, (record.status, "", "")) if record is not None else None
    response = TEMPLATES.TemplateResponse(
        request,
        "verify.html",
        {"v": record, "status": status},
        status_code=200 if record is not None else 404,
    )
    response.headers["Content-Security-Policy"] = CSP
    return response
