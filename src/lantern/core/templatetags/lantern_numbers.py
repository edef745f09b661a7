"""Numbers as each language writes them: "2,500" in English, "2 500" in French.

Lantern leaves ``USE_THOUSAND_SEPARATOR`` off, so that identifiers printed in templates
(addresses, form values) are never grouped; counts shown to people use ``grouped``.
"""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def grouped(value: object) -> object:
    """A count with the current language's thousands separator; anything else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return number_format(value, force_grouping=True)
