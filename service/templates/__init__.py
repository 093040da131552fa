"""The template registry: every version of every template, the DOCX kept in object storage,
linted and rendered as a specimen before the legal section activates it."""
