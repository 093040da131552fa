"""What a conversion can fail with."""

from __future__ import annotations


class ConversionError(Exception):
    """A DOCX could not be converted to PDF."""


class ConversionTimeout(ConversionError):
    """LibreOffice did not finish the job in time; its worker was killed and is restarting."""


class ConversionFailed(ConversionError):
    """LibreOffice rejected the document, crashed twice on it, or no worker could be started."""
