"""One case, one file (一案一档): the closed case as one PDF/A-3b dossier, and its checks."""

from archive.dossier.inspection import extract_text, inspect_dossier
from archive.dossier.merge import (
    DossierError,
    assemble_dossier,
    attachment_name,
    bookmark_title,
    material_attachment_name,
    material_bookmark,
)
from archive.dossier.models import (
    AssembledDossier,
    DossierCover,
    DossierDocument,
    DossierInspection,
    DossierMaterial,
    FontInfo,
    OutlineEntry,
)

__all__ = [
    "AssembledDossier",
    "DossierCover",
    "DossierDocument",
    "DossierError",
    "DossierInspection",
    "DossierMaterial",
    "FontInfo",
    "OutlineEntry",
    "assemble_dossier",
    "attachment_name",
    "bookmark_title",
    "extract_text",
    "inspect_dossier",
    "material_attachment_name",
    "material_bookmark",
]
