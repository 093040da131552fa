"""Warm DOCX → PDF/A-2b conversion on a pool of persistent LibreOffice processes."""

from doc_templates.converter.errors import ConversionError, ConversionFailed, ConversionTimeout
from doc_templates.converter.pool import ConverterPool, PoolStats, WorkerStats

__all__ = [
    "ConversionError",
    "ConversionFailed",
    "ConversionTimeout",
    "ConverterPool",
    "PoolStats",
    "WorkerStats",
]
