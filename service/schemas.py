"""Base of every request body, and the query-string text type.

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


# For query parameters (``Annotated[SafeQuery, Query(max_length=...)]``).
SafeQuery = Annotated[str, AfterValidator(xml_safe)]
OptionalSafeQuery = Annotated[str | None, AfterValidator(xml_safe_or_none)]
