"""Service settings: one pydantic-settings class, environment prefix ``ANJUAN_``."""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from archive.completeness import DEFAULT_REQUIREMENTS
from archive.numbers import CATEGORY_RE, DEFAULT_CATEGORY
from archive.numbers import DEFAULT_PATTERN as DEFAULT_ARCHIVE_NO_PATTERN
from archive.retention import DEFAULT_CLASSES, RetentionClass
from doc_templates.fields import SPECS
from service.auth.throttle import ThrottlePolicy
from service.process.limits import DEFAULT_LIMITS, Limit, Step
from service.reviews.checklist import DEFAULT_CHECKLIST, DEFAULT_PASS_MARK, ChecklistItem

Environment = Literal["development", "test", "production"]

# A generated secret is written here in development so that restarts keep tokens valid.
SECRET_FILE = "secret_key"


class Settings(BaseSettings):
    """Everything configurable, read from ``ANJUAN_*`` environment variables (or ``.env``)."""

    model_config = SettingsConfigDict(env_prefix="ANJUAN_", env_file=".env", extra="ignore")

    env: Environment = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file under the data dir"
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="HMAC/JWT secret; generated under the data dir in development, "
        "required in production",
    )
    public_base_url: str = "http://127.0.0.1:8000"
    access_token_minutes: int = 8 * 60

    # Sign-in throttling: failures within the window lock the account (or the address) for
    # login_lock_seconds, doubling with every further failure up to login_lock_max_seconds.
    login_account_threshold: int = Field(default=5, ge=1, le=100)
    login_address_threshold: int = Field(default=20, ge=1, le=10_000)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_lock_seconds: int = Field(default=60, ge=1)
    login_lock_max_seconds: int = Field(default=15 * 60, ge=1)

    # The issuing agency.
    agency_name: str = "中村市综合行政执法局"
    agency_code: str = "中村"  # 机关代字 used in 案号/文号
    fonds_no: str = "Z001"  # 全宗号, used for 档号 later

    # Number patterns (GB/T 9704): {agency_code} {pack} {type_code} {year} {seq}; {pack} is the
    # pack's word (约 for interviews, 导 guidance, 调 mediation). A 案号 pattern without
    # {pack} numbers every pack's cases in one sequence, so that no two cases share a number.
    case_no_pattern: str = "{agency_code}{pack}〔{year}〕{seq}号"
    doc_no_pattern: str = "{agency_code}{pack}{type_code}〔{year}〕{seq}号"
    doc_type_codes: dict[str, str] = Field(
        default_factory=lambda: {spec.code: spec.type_code for spec in SPECS},
        description="类型代字 per template code, JSON object",
    )

    # Archives (DA/T 13, DA/T 22).
    archive_no_pattern: str = Field(default=DEFAULT_ARCHIVE_NO_PATTERN, description="档号 pattern")
    archive_category: str = Field(
        default=DEFAULT_CATEGORY,
        pattern=rf"^{CATEGORY_RE}$",
        description="档案门类代码 in the 档号 (DA/T 22), e.g. ZF for enforcement case files",
    )
    dossier_checker: str = Field(
        default="", max_length=50, description="检查人 printed on the 卷内备考表 (name or post)"
    )
    retention_classes: dict[str, RetentionClass] = Field(
        default_factory=lambda: dict(DEFAULT_CLASSES),
        description="保管期限 classes: code -> {years (null: permanent), label}, JSON",
    )
    dossier_requirements: dict[str, list[str]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_REQUIREMENTS.items()},
        description='template codes a case file must hold: "*" for all, then per outcome',
    )
    archive_url_minutes: int = Field(default=10, ge=1, le=60, description="presigned URL life")

    # Object storage: embedded SeaweedFS unless an endpoint is given.
    s3_endpoint: str | None = Field(default=None, description="host:port of an external S3")
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    s3_bucket_documents: str = "anjuan-documents"
    s3_bucket_archive: str = "anjuan-archive"

    # The case process: the time-limit table and when a warning turns yellow.
    time_limits: dict[Step, Limit] = Field(
        default_factory=lambda: dict(DEFAULT_LIMITS),
        description="time limit per step (working days, major/urgent variants), JSON",
    )
    review_share: float = Field(
        default=0.15,
        gt=0,
        le=1,
        description="share of the cases closed in a month drawn for the case-file review "
        "(rounded up)",
    )
    revisit_share: float = Field(
        default=0.10, gt=0, le=1, description="share of a quarter's closed cases revisited"
    )
    review_checklist: tuple[ChecklistItem, ...] = Field(
        default=DEFAULT_CHECKLIST,
        min_length=1,
        description="the case-file review checklist: items with code, label and points, JSON",
    )
    review_pass_mark: int = Field(
        default=DEFAULT_PASS_MARK, ge=1, description="the score a reviewed case file passes at"
    )
    review_cron: str = Field(
        default="0 18 1 * *",
        description="when the previous month's review sample is drawn (cron, UTC: 18:00 on the "
        "1st is 02:00 on the 2nd in China)",
    )
    yellow_working_days: int = Field(
        default=1,
        ge=0,
        le=10,
        description="yellow warning when at most this many working days are left",
    )
    yellow_hours: int = Field(
        default=6, ge=1, le=48, description="yellow warning for a step counted in hours"
    )

    reminder_cron: str = Field(
        default="*/5 * * * *",
        description="when the reminder sweep reports newly yellow or red steps (cron, UTC); "
        "it also runs when a worker starts",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="how long a webhook receiver may take to answer"
    )

    max_body_bytes: int = 8 * 1024 * 1024  # a batch of 1,000 documents fits
    # Background jobs (service/jobs, procrastinate): see the README's "Jobs".
    jobs_in_serve: bool = Field(
        default=True,
        description="run jobs inside `anjuan serve` (off where `anjuan worker` processes run "
        "them: serve then never starts LibreOffice for them)",
    )
    pdf_on_demand: bool = Field(
        default=True,
        description="a download of a PDF not made yet makes it on the spot; false: 503 "
        "pdf_not_ready (web processes without LibreOffice)",
    )
    job_concurrency: int = Field(default=2, ge=1, le=32, description="jobs run at once")
    job_poll_seconds: float = Field(
        default=1.0, gt=0, le=60, description="how often a SQLite worker looks for jobs"
    )
    job_heartbeat_seconds: float = Field(default=5.0, gt=0, le=300)
    job_stalled_seconds: float = Field(
        default=30.0,
        gt=0,
        description="a worker silent this long is dead: its jobs go back in the queue",
    )
    job_shutdown_seconds: float = Field(
        default=60.0, gt=0, description="how long a stopping worker lets its jobs finish"
    )
    archive_wait_seconds: float = Field(
        default=30.0,
        ge=0,
        le=300,
        description="how long POST /cases/{id}/archive waits for its job before answering 202",
    )
    fixity_cron: str = Field(
        default="30 18 * * *",
        description="when the archive fixity audit runs (cron, UTC: 18:30 is 02:30 in China)",
    )
    fixity_share: float = Field(
        default=0.1, ge=0, le=1, description="share of archived dossiers re-read each run"
    )
    material_max_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        le=2_000_000_000,  # one PUT, and the size column's range
        description="largest material file (a case's upload; its own body limit)",
    )
    pdf_timeout_seconds: float = 60.0
    pdf_workers: int = Field(default=2, ge=1, le=16, description="warm LibreOffice processes")
    pdf_warm_at_start: bool = Field(
        default=True, description="start the LibreOffice pool when the service starts"
    )

    @field_validator("case_no_pattern", "doc_no_pattern", mode="after")
    @classmethod
    def _pattern_formats(cls, value: str) -> str:
        try:
            value.format(agency_code="中村", pack="约", type_code="通", year=2026, seq=1)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"{value!r}: only {{agency_code}} {{pack}} {{type_code}} {{year}} {{seq}} may be "
                f"used ({exc!r})"
            ) from None
        return value

    @field_validator("time_limits", mode="after")
    @classmethod
    def _limits_complete(cls, value: dict[Step, Limit]) -> dict[Step, Limit]:
        # An office overrides the steps it names; the others keep their defaults.
        return {**DEFAULT_LIMITS, **value}

    @model_validator(mode="after")
    def _pass_mark_reachable(self) -> Settings:
        total = sum(item.points for item in self.review_checklist)
        if self.review_pass_mark > total:
            raise ValueError(f"the review pass mark exceeds the checklist's {total} points")
        if len({item.code for item in self.review_checklist}) != len(self.review_checklist):
            raise ValueError("the review checklist repeats an item code")
        return self

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.env == "production":
            if self.secret_key is None or len(self.secret_key.get_secret_value()) < 32:
                raise ValueError("ANJUAN_SECRET_KEY (32+ characters) is required in production")
            if self.database_url is None:
                raise ValueError("ANJUAN_DATABASE_URL is required in production")
            if self.s3_endpoint is None:
                raise ValueError("ANJUAN_S3_ENDPOINT is required in production")
            if self.s3_secret_key is None or self.s3_access_key is None:
                raise ValueError("ANJUAN_S3_ACCESS_KEY and ANJUAN_S3_SECRET_KEY are required")
            if "public_base_url" not in self.model_fields_set or _is_local(self.public_base_url):
                raise ValueError(
                    "ANJUAN_PUBLIC_BASE_URL (the address printed in QR codes, reachable by "
                    "whoever scans them) is required in production"
                )
            if any(c.seconds is not None for c in self.retention_classes.values()):
                raise ValueError("retention periods in seconds are for tests, not production")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the SQLite file under the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'anjuan.sqlite3').resolve()}"

    @cached_property
    def secret(self) -> bytes:
        """The service secret; generated once and kept under the data dir outside production."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / SECRET_FILE
        if not path.exists():
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                return path.read_text().strip().encode()
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(48))
        return path.read_text().strip().encode()

    @property
    def login_policy(self) -> ThrottlePolicy:
        """The sign-in throttle these settings describe."""
        return ThrottlePolicy(
            account_threshold=self.login_account_threshold,
            address_threshold=self.login_address_threshold,
            window=timedelta(seconds=self.login_window_seconds),
            first_lock=timedelta(seconds=self.login_lock_seconds),
            max_lock=timedelta(seconds=self.login_lock_max_seconds),
        )

    @property
    def embedded_s3(self) -> bool:
        """True when the service runs its own SeaweedFS instead of an external S3."""
        return self.s3_endpoint is None

    @property
    def api_base(self) -> str:
        """Public base URL without a trailing slash."""
        return self.public_base_url.rstrip("/")


def _is_local(url: str) -> bool:
    """Whether ``url`` names no address a scanner of a printed QR code could reach: none,
    loopback, or unspecified (``0.0.0.0``, ``::``)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
