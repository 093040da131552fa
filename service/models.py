"""Import every model so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from service.archives.models import (
    Archive,
    ArchiveCheck,
    ArchiveNumber,
    ArchiveText,
    ArchiveVersion,
    Hold,
)
from service.audit.models import AuditEntry, AuditHead
from service.auth.models import ApiKey, LoginThrottle, User
from service.batches.models import Batch, BatchItem
from service.calendar.models import CalendarYear
from service.cases.models import Case
from service.db import Base
from service.destruction.models import (
    DestructionItem,
    DestructionList,
    RegisterEntry,
    SupervisorConfirmation,
)
from service.documents.models import Document
from service.jobs.models import JobOutcome
from service.materials.models import Material
from service.numbering.models import NumberSequence
from service.process.models import Act, CaseStep
from service.reports.models import QuarterlyReport
from service.reviews.models import ReviewDraw, ReviewSample
from service.statistics.models import StatisticsMonth
from service.templates.models import TemplateVersion
from service.webhooks.models import WebhookDelivery, WebhookSubscription

__all__ = [
    "Act",
    "ApiKey",
    "Archive",
    "ArchiveCheck",
    "ArchiveNumber",
    "ArchiveText",
    "ArchiveVersion",
    "AuditEntry",
    "AuditHead",
    "Base",
    "Batch",
    "BatchItem",
    "CalendarYear",
    "Case",
    "CaseStep",
    "DestructionItem",
    "DestructionList",
    "Document",
    "Hold",
    "JobOutcome",
    "LoginThrottle",
    "Material",
    "NumberSequence",
    "QuarterlyReport",
    "RegisterEntry",
    "ReviewDraw",
    "ReviewSample",
    "StatisticsMonth",
    "SupervisorConfirmation",
    "TemplateVersion",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
]
