"""The API's own documentation: every error a route can answer, and the docs page served
offline from vendored assets (no CDN; a CSP without inline script)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles

from doc_templates import all_templates
from doc_templates.samples import sample_data
from service.audit.refusals import route_action
from service.error_handlers import ErrorBody, ValidationErrorBody

STATIC_DIR = Path(__file__).resolve().parent / "static"

ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "`malformed_json`: the body is not JSON",
    401: "`not_authenticated`: missing or invalid credentials",
    403: "`forbidden`: the caller's role may not do this",
    404: "`not_found` (or a more specific code): no such resource",
    409: "a conflict with the resource's state (the code says which, e.g. "
    "`illegal_transition`, `not_destroyable`, `idempotency_key_reused`)",
    413: "`payload_too_large`: the body is over ANJUAN_MAX_BODY_BYTES",
    422: "`validation_error`: invalid fields, each named with its Chinese label",
    429: "`too_many_attempts`: sign-in locked for a while (see Retry-After)",
    502: "a converter failed on this document",
    503: "`service_unavailable`: object storage or the PDF converter is down; retry later",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route's own error statuses (the generic ones are added for it)."""
    return {status: _error_response(status) for status in statuses}


def _error_response(status: int) -> dict[str, Any]:
    model = ValidationErrorBody if status == 422 else ErrorBody
    return {"model": model, "description": ERROR_DESCRIPTIONS.get(status, "error")}


def generic_errors(route: APIRoute) -> list[int]:
    """The statuses any route of its shape can answer: auth, path, body and validation."""
    statuses = [503]
    if route_action(route) is not None:
        statuses += [401, 403]
    if route.dependant.path_params:
        statuses.append(404)
    params = (
        route.dependant.path_params
        or route.dependant.query_params
        or route.dependant.header_params
        or route.body_field is not None
    )
    if params or _has_nested_params(route):
        statuses.append(422)
    if route.body_field is not None:
        statuses += [400, 413]
    if route.methods and route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
        statuses.append(409)  # any change can meet a state that forbids it
    return statuses


def _has_nested_params(route: APIRoute) -> bool:
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        if dep.query_params or dep.header_params or dep.body_params or dep.path_params:
            return True
        stack.extend(dep.dependencies)
    return False


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every API route of the app, those of included routers too (not the console's pages,
    which answer browsers and have their own policy test)."""
    return [
        rc.original_route
        for rc in iter_route_contexts(app.routes)
        if isinstance(rc.original_route, APIRoute) and "console" not in rc.original_route.tags
    ]


def install_openapi(app: FastAPI) -> None:
    """Generate the OpenAPI document with every error each route can answer, in the bodies
    the error handlers really send (FastAPI's own ``HTTPValidationError`` is not what a 422
    looks like here)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorBody, ValidationErrorBody):
            body = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(body.pop("$defs", {}))
            components[model.__name__] = body
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        _template_variants(components)
        routes = {(m.lower(), r.path): r for r in api_routes(app) for m in r.methods or ()}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                route = routes.get((method, path))
                if route is None:
                    continue
                _template_examples(operation)
                responses = operation.setdefault("responses", {})
                for status in generic_errors(route):
                    responses.setdefault(str(status), {})
                for status, spec in responses.items():
                    if status.isdigit() and int(status) >= 400:
                        _describe_error(int(status), spec)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# Request bodies whose ``template`` chooses the schema of their ``data``.
TEMPLATE_BODIES = ("DocumentIssue", "BatchItemIn", "SpecimenRequest")


def _template_variants(components: dict[str, Any]) -> None:
    """Say which schema ``data`` follows for each template (one ``oneOf`` variant per code,
    with the sample as an example), so that clients — and the fuzzer — can build valid data."""
    variants = []
    for template in all_templates():
        model = template.model
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
        variants.append(
            {
                "title": f"{template.code} {template.name}",
                "properties": {
                    "template": {"const": template.code},
                    "data": {"$ref": f"#/components/schemas/{model.__name__}"},
                },
                "required": ["template", "data"],
            }
        )
    for name in TEMPLATE_BODIES:
        body = components.get(name)
        if body is not None:
            body["oneOf"] = variants
            body.setdefault("examples", [{"template": "04", "data": sample_data("04")}])


def _template_examples(operation: dict[str, Any]) -> None:
    """A body whose ``template`` chooses its ``data``: each template's sample as a named
    example (Swagger UI offers them; schemathesis sends them as they are)."""
    media = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = media.get("schema", {}).get("$ref", "")
    if ref.rsplit("/", 1)[-1] not in TEMPLATE_BODIES:
        return
    media["examples"] = {
        t.code: {
            "summary": f"{t.code} {t.name}",
            "value": {"template": t.code, "data": sample_data(t.code)},
        }
        for t in all_templates()
    }


def _describe_error(status: int, spec: dict[str, Any]) -> None:
    name = "ValidationErrorBody" if status == 422 else "ErrorBody"
    if not spec.get("description") or spec["description"] in ("Validation Error",):
        spec["description"] = ERROR_DESCRIPTIONS.get(status, "error")
    spec.setdefault("description", ERROR_DESCRIPTIONS.get(status, "error"))
    spec["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


DOCS_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title} — API</title>
<link rel="icon" href="/static/vendor/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""

# Swagger UI sets inline styles and draws its icons as data: URIs; it runs no inline script.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and the static assets it needs from this service."""
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    page = DOCS_PAGE.format(title=app.title, openapi_url=app.openapi_url)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Content-Security-Policy": DOCS_CSP})
