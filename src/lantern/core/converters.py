"""URL converters shared by the apps, registered when this module is imported."""

from django.urls import register_converter


class ReferenceConverter:
    """A record reference such as ``K7PD-3XQA``: capitals, digits and hyphens only.

    Anything else never reaches a query, so odd bytes in a URL (a NUL, which PostgreSQL
    refuses) are simply not found.
    """

    regex = "[A-Z0-9-]{1,12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "reference")
