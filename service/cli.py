"""The ``anjuan`` command line."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from service.audit.service import Actor, record
from service.auth.models import Role
from service.auth.security import Principal
from service.config import Settings
from service.data_dir import prepare_data_dir
from service.db import make_engine, make_sessionmaker, reading, transaction
from service.errors import DomainError, FieldError

app = typer.Typer(
    help="行政约谈文书与档案服务 — documents and archives for administrative interviews.",
    no_args_is_help=True,
)
users_app = typer.Typer(help="Manage users (people who log in).", no_args_is_help=True)
keys_app = typer.Typer(help="Manage API keys (other systems).", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
archive_app = typer.Typer(help="Archived dossiers.", no_args_is_help=True)
calendar_app = typer.Typer(
    help="The working-day calendar (the State Council's holiday schedules).", no_args_is_help=True
)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")
app.add_typer(archive_app, name="archive")
app.add_typer(calendar_app, name="calendar")
templates_app = typer.Typer(
    help="Template versions: upload a DOCX as a draft, activate a version.", no_args_is_help=True
)
app.add_typer(templates_app, name="templates")
report_app = typer.Typer(help="Reports of the statistics.", no_args_is_help=True)
app.add_typer(report_app, name="report")


def _sessions(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(settings.resolved_database_url)
    return engine, make_sessionmaker(engine)


CLI_ACTOR = Actor(Principal("cli", 0, "console", Role.admin))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations."""
    from service.migrate import upgrade

    settings = Settings()
    prepare_data_dir(settings)
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    engine.dispose()
    typer.echo("database is up to date")


@contextlib.contextmanager
def _admin_session() -> Iterator[tuple[Session, Settings]]:
    """A transaction for an administrative command; domain errors exit with their message."""
    settings = Settings()
    engine, sessions = _sessions(settings)
    try:
        with transaction(sessions) as session:
            yield session, settings
    except DomainError as exc:
        detail = exc.detail
        if isinstance(detail, list):
            detail = "; ".join(str(p.get("message", p)) for p in detail)
        typer.echo(f"error: {detail}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()


def _read_password(from_stdin: bool) -> str | None:
    return sys.stdin.readline().rstrip("\n") if from_stdin else None


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input")
]


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[Role, typer.Option(help="One of the service roles")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user; the password comes from stdin (or is generated and printed once)."""
    from service.auth import admin

    with _admin_session() as (session, settings):
        _, generated = admin.add_user(
            session, CLI_ACTOR, username, role, _read_password(password_stdin), settings.agency_name
        )
    typer.echo(f"user {username} ({role.value}) added")
    if generated:
        typer.echo(f"password (shown once): {generated}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable a user: their tokens stop working on the next request."""
    from service.auth import admin

    with _admin_session() as (session, _):
        admin.set_active(session, CLI_ACTOR, username, False)
    typer.echo(f"user {username} disabled")


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled user."""
    from service.auth import admin

    with _admin_session() as (session, _):
        admin.set_active(session, CLI_ACTOR, username, True)
    typer.echo(f"user {username} enabled")


@users_app.command("set-role")
def users_set_role(
    username: str, role: Annotated[Role, typer.Argument(help="The new role")]
) -> None:
    """Give a user another role."""
    from service.auth import admin

    with _admin_session() as (session, _):
        admin.set_role(session, CLI_ACTOR, username, role)
    typer.echo(f"user {username} is now {role.value}")


@users_app.command("reset-password")
def users_reset_password(username: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password (from stdin, or generated and printed once); the user's tokens end."""
    from service.auth import admin

    with _admin_session() as (session, settings):
        _, generated = admin.reset_password(
            session, CLI_ACTOR, username, _read_password(password_stdin), settings.agency_name
        )
    typer.echo(f"password of {username} reset")
    if generated:
        typer.echo(f"password (shown once): {generated}")


@keys_app.command("create")
def keys_create(
    name: str,
    role: Annotated[Role, typer.Option(help="Role of the system using the key")],
) -> None:
    """Create an API key for another system and print it once."""
    from service.auth import admin

    with _admin_session() as (session, _):
        _, key = admin.add_key(session, CLI_ACTOR, name, role)
    typer.echo(key)


@keys_app.command("revoke")
def keys_revoke(name: str) -> None:
    """Revoke an API key: the next request with it is refused."""
    from service.auth import admin

    with _admin_session() as (session, _):
        admin.revoke_key(session, CLI_ACTOR, name)
    typer.echo(f"API key {name} revoked")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the whole audit chain; exit 1 and name the first broken link if any."""
    from service.audit.verify import verify_chain

    engine, sessions = _sessions(Settings())
    try:
        with sessions() as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    if report.ok:
        typer.echo(f"audit chain intact: {report.entries} entries")
        return
    b = report.broken
    assert b is not None
    typer.echo(
        f"audit chain BROKEN at position {b.position} (seq {b.seq}, id {b.entry_id}): {b.reason}",
        err=True,
    )
    raise typer.Exit(1)


@archive_app.command("verify")
def archive_verify(
    archive_nos: Annotated[list[str] | None, typer.Argument(help="档号 to check")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Check every archive")] = False,
) -> None:
    """Re-read dossiers from storage, recompute hashes, report every finding (exit 1 if any)."""
    from service.archives import repository
    from service.archives.checks import verify_archive
    from service.archives.jobs import record_check
    from service.archives.models import CheckKind
    from service.runtime import Runtime

    if not all_ and not archive_nos:
        raise typer.BadParameter("name archives by 档号 or pass --all")
    runtime = Runtime.start(Settings())
    findings = 0
    try:
        # a read (no write lock on SQLite): each check is recorded in a transaction of its own
        with reading(runtime.sessions) as session:
            archives = (
                repository.all_archives(session)
                if all_
                else [a for n in archive_nos or [] if (a := repository.get_by_no(session, n))]
            )
            unknown = set(archive_nos or []) - {a.archive_no for a in archives}
            for n in sorted(unknown):
                typer.echo(f"{n}: no such archive", err=True)
                findings += 1
            for a in archives:
                if a.status != "archived":
                    typer.echo(f"{a.archive_no}: {a.status}, skipped")
                    continue
                report = verify_archive(runtime.settings, runtime.archive, a)
                record_check(runtime.sessions, a, report, CheckKind.verify)  # the 四性 history
                findings += len(report.findings)
                typer.echo(f"{a.archive_no}: {'ok' if report.ok else 'FINDINGS'}")
                for f in report.findings:
                    typer.echo(f"  [{f.aspect}] {f.code}: {f.message}")
    finally:
        runtime.close()
    typer.echo(f"{findings} finding(s)")
    if findings:
        raise typer.Exit(1)


@archive_app.command("reconcile")
def archive_reconcile() -> None:
    """List stored dossiers without a record and records without a dossier; repair what is
    safe (statuses, legal holds). Exit 1 when something is left for an archivist."""
    from service.archives.checks import reconcile
    from service.db import transaction
    from service.runtime import Runtime

    runtime = Runtime.start(Settings())
    try:
        with transaction(runtime.sessions) as session:
            result = reconcile(runtime.archive, session)
            if result.repaired:
                record(
                    session,
                    CLI_ACTOR,
                    "archive.reconcile",
                    "archive",
                    "*",
                    {"repaired": result.repaired},
                )
    finally:
        runtime.close()
    for line in result.objects_without_record:
        typer.echo(f"object without record: {line}")
    for line in result.records_without_object:
        typer.echo(f"record without object: {line}")
    for line in result.repaired:
        typer.echo(f"repaired: {line}")
    typer.echo("clean" if result.clean else "needs an archivist's attention")
    if not result.clean:
        raise typer.Exit(1)


@calendar_app.command("load")
def calendar_load(
    year: Annotated[int, typer.Argument(help="The year the schedule is for")],
    file: Annotated[Path, typer.Argument(help='JSON: {"holidays": [dates], "workdays": [dates]}')],
    notice: Annotated[
        str | None, typer.Option(help="The notice it comes from, e.g. 国办发明电〔2026〕7号")
    ] = None,
) -> None:
    """Load the State Council's published schedule for YEAR (replaces any other source)."""
    from pydantic import ValidationError

    from service.calendar.schemas import ScheduleIn
    from service.calendar.service import load_year
    from service.process.service import resync_running
    from service.validation import validation_problems

    try:
        payload = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None
    if notice is not None and isinstance(payload, dict):
        payload["notice"] = notice
    engine, sessions = _sessions(Settings())
    try:
        body = ScheduleIn.model_validate(payload)
        with transaction(sessions) as session:
            view = load_year(session, CLI_ACTOR, year, body)
            resync_running(session, Settings())
    except ValidationError as exc:
        _fail(validation_problems(exc, ScheduleIn))
    except FieldError as exc:
        _fail(exc.detail)
    finally:
        engine.dispose()
    s = view.schedule
    typer.echo(f"calendar {year} loaded: {len(s.holidays)} holidays, {len(s.workdays)} workdays")


@calendar_app.command("show")
def calendar_show(year: Annotated[int, typer.Argument(help="Calendar year")]) -> None:
    """Print a year's holidays and make-up workdays and where they come from, as JSON."""
    from service.calendar.service import describe_year
    from service.calendar.views import year_out

    engine, sessions = _sessions(Settings())
    try:
        with sessions() as session:
            out = year_out(describe_year(session, year))
    except FieldError as exc:
        _fail(exc.detail)
    finally:
        engine.dispose()
    typer.echo(out.model_dump_json(indent=2))


@templates_app.command("upload")
def templates_upload(
    code: Annotated[str, typer.Argument(help="Template code, e.g. 05")],
    file: Annotated[Path, typer.Argument(help="The DOCX (edited in Word, say)")],
    note: Annotated[str, typer.Option(help="What changed (修改说明)")] = "",
) -> None:
    """Upload FILE as a draft version of template CODE: print its version and every lint
    finding; exit 1 when there are findings (it cannot be activated then)."""
    from service.documents.service import resolve_template
    from service.runtime import Runtime
    from service.templates import service as templates

    try:
        docx = file.read_bytes()
    except OSError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from None
    runtime = Runtime.start(Settings())
    try:
        with transaction(runtime.sessions) as session:
            template = resolve_template(code)
            row, created = templates.upload(
                session,
                runtime.settings,
                runtime.documents,
                CLI_ACTOR,
                template,
                templates.Upload(docx, file.name, note),
            )
            version, status, lint = row.version, row.status, list(row.lint)
    except FieldError as exc:
        _fail(exc.detail)
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    typer.echo(f"{code} version {version} ({status}{'' if created else ', uploaded before'})")
    for f in lint:
        typer.echo(f"  [{f['kind']}] {f['part']}: {f['detail']}")
    typer.echo(f"{len(lint)} finding(s)")
    if lint:
        raise typer.Exit(1)


@templates_app.command("activate")
def templates_activate(
    code: Annotated[str, typer.Argument(help="Template code, e.g. 05")],
    version: Annotated[str, typer.Argument(help="The version hash, or 8+ of its first digits")],
) -> None:
    """Make VERSION the one documents of CODE are rendered with (an older one: a rollback).
    A version with findings is refused: each is printed, exit 1."""
    from service.documents.service import resolve_template
    from service.templates import service as templates

    settings = Settings()
    engine, sessions = _sessions(settings)
    try:
        with transaction(sessions) as session:
            row = templates.activate(session, CLI_ACTOR, resolve_template(code).code, version)
            full = row.version
    except templates.VersionHasFindings as exc:
        refusal: dict[str, Any] = (
            exc.detail if isinstance(exc.detail, dict) else {"message": str(exc.detail)}
        )
        typer.echo(f"refused: {refusal['message']}", err=True)
        for f in refusal.get("findings", []):
            typer.echo(f"  [{f['kind']}] {f['part']}: {f['detail']}", err=True)
        raise typer.Exit(1) from None
    except FieldError as exc:
        _fail(exc.detail)
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    typer.echo(f"{code} version {full} is active")


@templates_app.command("list")
def templates_list(
    code: Annotated[str | None, typer.Argument(help="Template code (default: all)")] = None,
) -> None:
    """Each template's versions: status, source, findings, when uploaded and activated."""
    from doc_templates import all_templates
    from service.templates import repository as template_versions

    engine, sessions = _sessions(Settings())
    try:
        with sessions() as session:
            codes = [code] if code else [t.code for t in all_templates()]
            for c in codes:
                for row in template_versions.versions(session, c):
                    activated = (
                        f" activated {row.activated_at:%Y-%m-%d %H:%M}" if row.activated_at else ""
                    )
                    typer.echo(
                        f"{c} {row.version[:16]} {row.status:<7} {row.source:<7} "
                        f"{len(row.lint)} finding(s) uploaded {row.uploaded_at:%Y-%m-%d %H:%M} "
                        f"by {row.uploaded_by}{activated}"
                    )
    finally:
        engine.dispose()


def _fail(problems: Any) -> NoReturn:
    """Print each field problem (``{"field", "message"}``) and exit 2."""
    for p in problems:
        typer.echo(f"{p['field']}: {p['message']}", err=True)
    raise typer.Exit(2)


@app.command("render")
def render(
    template: Annotated[str, typer.Argument(help='Template code, "01"…"12"')],
    data_file: Annotated[Path, typer.Argument(help="JSON file with the template's data")],
    output: Annotated[Path, typer.Option("-o", "--output", help="OUT.docx or OUT.pdf")],
) -> None:
    """Render a specimen (marked 样本, no number, no record) offline.

    The JSON may hold the template data alone, or ``{"case": {...}, "data": {...}}`` with the
    case facts (party, cause) for the specimen.
    """
    from service.specimens.service import render_specimen

    if output.suffix.lower() not in (".docx", ".pdf"):
        raise typer.BadParameter("output must end in .docx or .pdf", param_hint="-o")
    payload = json.loads(data_file.read_text(encoding="utf-8"))
    try:
        content = render_specimen(Settings(), template, payload, output.suffix.lower()[1:])
    except LookupError as exc:
        raise typer.BadParameter(str(exc), param_hint="TEMPLATE") from None
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    output.write_bytes(content)
    typer.echo(f"wrote {output} ({len(content)} bytes)")


@app.command("worker")
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Jobs run at once (default ANJUAN_JOB_CONCURRENCY)")
    ] = None,
    name: Annotated[str, typer.Option(help="Worker name, for the logs")] = "worker",
) -> None:
    """Run background jobs (PDFs, batch items, archiving, the fixity audit) until SIGTERM.

    Start as many as you like, on any host that reaches the database and the object store;
    each has its own LibreOffice pool. A job whose worker dies is run again by another.
    """
    import logging

    from service.jobs.worker import run_foreground
    from service.runtime import Runtime

    os.umask(0o077)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    if concurrency is not None:
        settings = settings.model_copy(update={"job_concurrency": concurrency})
    prepare_data_dir(settings)  # migrations are applied by `anjuan db upgrade` or `serve`
    runtime = Runtime.start(settings)
    typer.echo(f"anjuan: worker {name} running {settings.job_concurrency} job(s) at once")
    try:
        if settings.pdf_warm_at_start:
            runtime.converter()
        run_foreground(runtime, name)
    finally:
        runtime.close()


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (needs an external S3)")] = 1,
) -> None:
    """Apply migrations, create the first admin if there is none, and run the HTTP service."""
    import uvicorn

    from service.bootstrap import ensure_admin
    from service.migrate import upgrade

    os.umask(0o077)  # whatever the service writes (database, stores, logs) is its own
    settings = Settings()
    prepare_data_dir(settings)
    if workers > 1 and settings.embedded_s3:
        raise typer.BadParameter("several workers need ANJUAN_S3_ENDPOINT (external S3)")
    engine = make_engine(settings.resolved_database_url)
    upgrade(engine)
    password = ensure_admin(make_sessionmaker(engine))
    engine.dispose()
    url = f"http://{host}:{port}"
    if (
        "ANJUAN_PUBLIC_BASE_URL" not in os.environ
        and "public_base_url" not in settings.model_fields_set
    ):
        # QR codes must point somewhere that answers: by default, where we listen.
        os.environ["ANJUAN_PUBLIC_BASE_URL"] = url
    typer.echo(f"anjuan: serving on {url}  (API docs: {url}/docs)")
    if password is not None:
        typer.echo("first run: created user 'admin' (role admin)")
        typer.echo(f"  password (shown once, store it now): {password}")
    uvicorn.run("service.asgi:app", host=host, port=port, workers=workers, log_level="info")


@report_app.command("quarter")
def report_quarter(
    quarter: Annotated[str, typer.Argument(help="YYYYQn, e.g. 2026Q3")],
    out: Annotated[Path, typer.Option(help="Directory to write the DOCX and PDF to")] = Path(),
    pdf: Annotated[bool, typer.Option(help="Also convert to PDF (LibreOffice)")] = True,
) -> None:
    """Render the quarter's statistics report (a draft: a leader signs it off through the API,
    which archives it) as DOCX and PDF."""
    from doc_templates.pdf import docx_to_pdf
    from service.reports.quarterly import render

    settings = Settings()
    engine, sessions = _sessions(settings)
    try:
        with reading(sessions) as session:
            report = render(session, settings, quarter)
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    out.mkdir(parents=True, exist_ok=True)
    docx_path = out / f"{quarter}-quarterly-report.docx"
    docx_path.write_bytes(report.docx)
    typer.echo(f"{report.doc_no} ({report.issued_on}): {docx_path}")
    if pdf:
        pdf_path = docx_path.with_suffix(".pdf")
        pdf_path.write_bytes(docx_to_pdf(report.docx))
        typer.echo(f"{report.doc_no}: {pdf_path}")


if __name__ == "__main__":
    app()
