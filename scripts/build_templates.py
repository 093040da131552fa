"""Regenerate doc_templates/docx/01.docx … 12.docx (deterministic; safe to re-run)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from doc_templates.authoring.build import build_all  # noqa: E402


def main() -> None:
    """Build every template into doc_templates/docx/."""
    for path in build_all(ROOT / "doc_templates" / "docx"):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
