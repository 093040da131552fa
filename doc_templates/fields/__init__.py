"""Typed field models of every template (the twelve interview templates, then the guidance
and mediation packs), keyed by template code."""

from __future__ import annotations

from pydantic import BaseModel

from doc_templates.fields import (
    g01_guidance_advice,
    g02_guidance_visit,
    m01_mediation_application,
    m02_mediation_record,
    m03_mediation_agreement,
    t01_clue_report,
    t02_approval_form,
    t03_legal_review,
    t04_interview_notice,
    t05_service_proof,
    t06_interview_outline,
    t07_interview_record,
    t08_rectification_notice,
    t09_tracking_ledger,
    t10_acceptance_opinion,
    t11_acceptance_certificate,
    t12_penalty_notice,
)
from doc_templates.fields.labels import field_label
from doc_templates.fields.t01_clue_report import ClueReport
from doc_templates.fields.t02_approval_form import ApprovalForm
from doc_templates.fields.t03_legal_review import LegalReview
from doc_templates.fields.t04_interview_notice import InterviewNotice
from doc_templates.fields.t05_service_proof import ServiceProof
from doc_templates.fields.t06_interview_outline import InterviewOutline
from doc_templates.fields.t07_interview_record import InterviewRecord
from doc_templates.fields.t08_rectification_notice import RectificationNotice
from doc_templates.fields.t09_tracking_ledger import TrackingLedger
from doc_templates.fields.t10_acceptance_opinion import AcceptanceOpinion
from doc_templates.fields.t11_acceptance_certificate import AcceptanceCertificate
from doc_templates.fields.t12_penalty_notice import PenaltyNotice
from doc_templates.spec import TemplateSpec

# Every template's spec (``doc_templates.spec``), in catalogue order. A new template: its
# module here, its DOCX in docx/, its sample in samples/.
SPECS: tuple[TemplateSpec, ...] = (
    t01_clue_report.SPEC,
    t02_approval_form.SPEC,
    t03_legal_review.SPEC,
    t04_interview_notice.SPEC,
    t05_service_proof.SPEC,
    t06_interview_outline.SPEC,
    t07_interview_record.SPEC,
    t08_rectification_notice.SPEC,
    t09_tracking_ledger.SPEC,
    t10_acceptance_opinion.SPEC,
    t11_acceptance_certificate.SPEC,
    t12_penalty_notice.SPEC,
    g01_guidance_advice.SPEC,
    g02_guidance_visit.SPEC,
    m01_mediation_application.SPEC,
    m02_mediation_record.SPEC,
    m03_mediation_agreement.SPEC,
)

FIELD_MODELS: dict[str, type[BaseModel]] = {spec.code: spec.model for spec in SPECS}

__all__ = [
    "FIELD_MODELS",
    "SPECS",
    "AcceptanceCertificate",
    "AcceptanceOpinion",
    "ApprovalForm",
    "ClueReport",
    "InterviewNotice",
    "InterviewOutline",
    "InterviewRecord",
    "LegalReview",
    "PenaltyNotice",
    "RectificationNotice",
    "ServiceProof",
    "TrackingLedger",
    "field_label",
]
