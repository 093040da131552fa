"""Base of every request body, and the text type of paths, query strings and forms.

Every text field is checked for characters a document cannot hold (``doc_templates.text_rules``)
and, like every list, bounded when it states no limit of its own — so no input can corrupt a
DOCX, fail a later step with a 500, or be too large to render.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict

from doc_templates.text_rules import bound_fields, xml_safe, xml_safe_or_none


class RequestModel(BaseModel):
    """A request body: unknown fields refused, every text and list checked and bounded."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        bound_fields(cls)


# Text that is not in a body: a path segment, a query parameter, a form field. The same rules
# as bodies' text, so NUL, U+FFFE or a lone surrogate is a 422 naming the parameter, never a
# database error (PostgreSQL refuses NUL in text) or a broken full-text query. Bound it where
# it is used: ``Annotated[SafeText, Query(max_length=...)]``, ``Path(...)``, ``Form(...)``.
SafeText = Annotated[str, AfterValidator(xml_safe)]
OptionalSafeText = Annotated[str | None, AfterValidator(xml_safe_or_none)]
