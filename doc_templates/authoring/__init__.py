"""Build-time code that lays out the twelve DOCX templates (used by scripts/build_templates.py)."""
