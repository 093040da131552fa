"""Build the built-in DOCX templates reproducibly (the seed of every template's first version)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from doc_templates.authoring import guidance, implementation, initiation, mediation, result
from doc_templates.authoring.builder import TemplateDoc
from doc_templates.authoring.style import INITIALS_LINE
from doc_templates.fields import SPECS
from doc_templates.qr import qr_png

QR_PART = "word/media/qr.png"
PLACEHOLDER_PAYLOAD = "https://example.invalid/anjuan/placeholder"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Parts of python-docx's default package that only add weight (a stock thumbnail, 430 kB of
# legacy style effects); dropped together with their relationships and content types.
_DROPPED = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml")

NAMES = {spec.code: spec.name for spec in SPECS}
LAYOUTS: dict[str, Callable[[TemplateDoc], None]] = {
    "01": initiation.clue_report,
    "02": initiation.approval_form,
    "03": initiation.legal_review,
    "04": implementation.interview_notice,
    "05": implementation.service_proof,
    "06": implementation.interview_outline,
    "07": implementation.interview_record,
    "08": result.rectification_notice,
    "09": result.tracking_ledger,
    "10": result.acceptance_opinion,
    "11": result.acceptance_certificate,
    "12": result.penalty_notice,
    "G01": guidance.guidance_advice,
    "G02": guidance.guidance_visit,
    "M01": mediation.mediation_application,
    "M02": mediation.mediation_record,
    "M03": mediation.mediation_agreement,
}
# A record of several pages is initialled by the party on every page (逐页签名).
INITIALS = {"07": INITIALS_LINE, "M02": mediation.INITIALS_LINE}


def build_template(code: str) -> bytes:
    """The DOCX bytes of template ``code``, identical on every run."""
    doc = TemplateDoc(NAMES[code])
    doc.header_footer(qr_png(PLACEHOLDER_PAYLOAD), initials=INITIALS.get(code, ""))
    LAYOUTS[code](doc)
    return normalise_package(doc.to_bytes())


def normalise_package(docx: bytes) -> bytes:
    """Rename the single picture to ``word/media/qr.png`` and rewrite the zip deterministically."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zin:
        members = {info.filename: zin.read(info) for info in zin.infolist()}
    media = [name for name in members if name.startswith("word/media/")]
    if len(media) != 1:
        raise ValueError(f"expected exactly one picture, found {media}")
    old = media[0]
    members[QR_PART] = members.pop(old)
    old_target, new_target = old.removeprefix("word/"), QR_PART.removeprefix("word/")
    for name in members:
        if name.endswith(".rels"):
            members[name] = members[name].replace(
                f'Target="{old_target}"'.encode(), f'Target="{new_target}"'.encode()
            )
    for part in _DROPPED:
        members.pop(part, None)
        leaf = part.rsplit("/", 1)[-1]
        for name in members:
            if name.endswith(".rels") or name == "[Content_Types].xml":
                pattern = rf'<(Relationship|Override) [^>]*"(?:[^"]*/)?{re.escape(leaf)}"[^>]*/>'
                members[name] = re.sub(pattern.encode(), b"", members[name])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        order = ["[Content_Types].xml", *sorted(n for n in members if n != "[Content_Types].xml")]
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, members[name], compresslevel=9)
    return out.getvalue()


def build_all(out_dir: Path) -> list[Path]:
    """Write ``01.docx`` … ``12.docx``, ``G01.docx`` … into ``out_dir``; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for code in LAYOUTS:
        path = out_dir / f"{code}.docx"
        data = build_template(code)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written
