"""The API's JSON parser: DRF's, refusing text that cannot be stored (core/text.py), and
its exception handler, refusing a body that is too large in JSON."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import parsers, status, views
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from lantern.core import text
from lantern.core.access import NotFoundOrNotAllowed


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


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's answers, a JSON 400 for a body over Django's limits, and DRF's JSON 404 for
    the domain's "not found or not allowed" (the pages' HTML 404 is no answer for a partner
    system).

    Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` as it is read, which in the
    API is inside the view: left alone it became the web pages' HTML 400, which a partner
    system cannot read.
    """
    if isinstance(error, RequestDataTooBig):
        message = _(
            "The request is too large. Send one report of at most %(megabytes)s MB at a time."
        ) % {"megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1}
        return Response({"non_field_errors": [message]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(error, NotFoundOrNotAllowed):
        error = Http404()
    return views.exception_handler(error, context)
