"""FastAPI dependencies, declared as ``Annotated`` aliases so a route's signature says who may
call it and what it touches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session

from service.audit.service import Actor
from service.auth import service as auth_service
from service.auth.policy import POLICY, allowed
from service.auth.security import Principal
from service.config import Settings
from service.db import reading
from service.errors import Forbidden, NotAuthenticated
from service.runtime import Runtime
from service.schemas import SafeText

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


def get_runtime(request: Request) -> Runtime:
    """The runtime built at start-up."""
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings(runtime: RuntimeDep) -> Settings:
    """The service settings."""
    return runtime.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def _session(request: Request, runtime: Runtime, *, read_only: bool) -> Iterator[Session]:
    session = runtime.sessions()
    if read_only:
        # A read needs no write lock on SQLite (BEGIN DEFERRED); other backends ignore this.
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
    request.state.db_sessions = [*getattr(request.state, "db_sessions", []), session]
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def get_session(request: Request, runtime: RuntimeDep) -> Iterator[Session]:
    """The request's unit of work: committed when the route returns, before the response is
    sent (``scope="function"``), rolled back on any error."""
    yield from _session(request, runtime, read_only=False)


def get_read_session(request: Request, runtime: RuntimeDep) -> Iterator[Session]:
    """A transaction for routes that only read (and so write no audit entry either)."""
    yield from _session(request, runtime, read_only=True)


def roll_back_request(request: Request) -> None:
    """Undo the request's unit of work now, releasing its locks: for a refusal answered as a
    page instead of raised (the console), whose session would otherwise commit on return."""
    for session in getattr(request.state, "db_sessions", []):
        session.rollback()


# scope="function": FastAPI (>= 0.118) would otherwise run the dependency's exit, and so the
# commit, after the response has been sent — a 2xx for a write that may never land.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]


def get_principal(
    request: Request,
    runtime: RuntimeDep,
    token: Annotated[str | None, Depends(oauth2)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Principal:
    """The authenticated caller (bearer token or ``X-API-Key``), or 401."""
    principal: Principal | None = None
    if api_key or token:
        # A short read of its own, so the request's transaction is not held open by it.
        with reading(runtime.sessions) as session:
            if api_key:
                principal = auth_service.principal_from_api_key(session, api_key)
            elif token:
                principal = auth_service.principal_from_token(
                    session, runtime.settings.secret, token
                )
    if principal is None:
        raise NotAuthenticated("missing or invalid credentials")
    request.state.principal = principal  # lets a refusal be audited under its author
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def authorize(action: str) -> Callable[..., Actor]:
    """Dependency that admits the roles ``POLICY[action]`` allows and returns the actor."""
    if action not in POLICY:
        raise KeyError(f"no policy declared for {action!r}")

    def dependency(request: Request, principal: PrincipalDep) -> Actor:
        if not allowed(action, principal.role):
            raise Forbidden(f"role {principal.role} may not {action}")
        return Actor(
            principal,
            request_id=request.state.request_id,
            client_addr=request.client.host if request.client else None,
        )

    dependency.action = action  # type: ignore[attr-defined]  # read by the policy test
    return dependency


def _id_path(description: str) -> object:
    return Path(ge=1, le=2**31 - 1, description=description)


CaseId = Annotated[int, _id_path("Case id")]
DocumentId = Annotated[int, _id_path("Document id")]
MaterialId = Annotated[int, _id_path("Material id")]
BatchId = Annotated[int, _id_path("Batch id")]
ListId = Annotated[int, _id_path("Destruction list id")]
JobId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Job id")]
HoldId = Annotated[int, _id_path("Hold id")]
# Text in a path: checked like every other text (see ``SafeText``), 422 naming it.
ArchiveNo = Annotated[SafeText, Path(min_length=1, max_length=64, description="档号")]
TemplateCode = Annotated[SafeText, Path(min_length=1, max_length=8, description="Template code")]
