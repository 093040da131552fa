"""Typed field models of the twelve numbered templates, keyed by template code."""

from __future__ import annotations

from pydantic import BaseModel

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

FIELD_MODELS: dict[str, type[BaseModel]] = {
    "01": ClueReport,
    "02": ApprovalForm,
    "03": LegalReview,
    "04": InterviewNotice,
    "05": ServiceProof,
    "06": InterviewOutline,
    "07": InterviewRecord,
    "08": RectificationNotice,
    "09": TrackingLedger,
    "10": AcceptanceOpinion,
    "11": AcceptanceCertificate,
    "12": PenaltyNotice,
}

__all__ = [
    "FIELD_MODELS",
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
