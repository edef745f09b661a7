"""The API's JSON parser: DRF's, refusing text that cannot be stored (core/text.py)."""

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ValidationError

from lantern.core import text


class JSONParser(parsers.JSONParser):
    """Refuses a body holding a lone surrogate anywhere, naming the top-level field.

    ``"\\ud800"`` is valid JSON but not storable text: without this, the report's insert or
    the 400 echoing the value fails with a server error.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        fields = list(data.items()) if isinstance(data, dict) else [("non_field_errors", data)]
        names = text.unreadable_fields(fields)
        if names:
            raise ValidationError({name: [text.unreadable_message(name)] for name in names})
        return data
