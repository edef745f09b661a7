"""Numbers as each language writes them: "2,500" in English, "2 500" in French.

Lantern leaves ``USE_THOUSAND_SEPARATOR`` off, so that identifiers printed in templates
(addresses, form values) are never grouped; counts shown to people use ``grouped``, and
counts that choose a plural in ``{% blocktranslate count %}`` use ``grouped_count``.
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


class GroupedCount(int):
    """An int that prints grouped: still a number for ngettext's plural rule.

    ``{% blocktranslate count counter=n|grouped_count %}{{ counter }} reports…`` keeps
    the catalogue's msgid and its plural forms, and prints "2,500" or "2 500".
    """

    def __str__(self) -> str:
        return str(number_format(int(self), force_grouping=True))


@register.filter
def grouped_count(value: object) -> object:
    """A count for ``blocktranslate count``, printed with the language's grouping."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return GroupedCount(value)
