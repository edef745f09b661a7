"""Lookups read on every report, kept in each process for a minute.

Exploitation types, indicators, the indicator lexicon and the postcode-district map are
small tables that change only when an administrator edits them. Reading them on every
submission was the largest cost of storing a public report, so each process keeps them
for ``LOOKUP_CACHE_SECONDS``: an edit shows everywhere within that time, and at once in
the process that made it (the model signals below clear its copy).
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lantern.core.models import (
    ExploitationType,
    Indicator,
    IndicatorPhrase,
    LocalAuthorityArea,
)

_caches: list[Callable[[], None]] = []


def kept_for_a_while[Value](function: Callable[[], Value]) -> Callable[[], Value]:
    """Memoise a function without arguments for ``settings.LOOKUP_CACHE_SECONDS``."""
    state: dict[str, Any] = {}

    @wraps(function)
    def cached() -> Value:
        now = time.monotonic()
        if state.get("expires", 0.0) <= now:
            state["value"] = function()
            state["expires"] = now + settings.LOOKUP_CACHE_SECONDS
        return state["value"]

    _caches.append(state.clear)
    return cached


def clear() -> None:
    """Forget every kept lookup in this process."""
    for clear_cache in _caches:
        clear_cache()


@kept_for_a_while
def indicator_ids() -> dict[str, int]:
    return dict(Indicator.objects.values_list("code", "pk"))


@kept_for_a_while
def exploitation_type_ids() -> dict[str, int]:
    return dict(ExploitationType.objects.values_list("code", "pk"))


@kept_for_a_while
def lexicon() -> list[tuple[int | None, int | None, str]]:
    """Every phrase as ``(indicator id, exploitation type id, phrase)``."""
    return list(
        IndicatorPhrase.objects.order_by("id").values_list(
            "indicator_id", "exploitation_type_id", "phrase"
        )
    )


@kept_for_a_while
def areas_by_district() -> dict[str, int]:
    """Postcode district → area id; a district listed by two areas goes to the larger."""
    mapping: dict[str, int] = {}
    areas = LocalAuthorityArea.objects.order_by("-population", "name")
    for pk, districts in areas.values_list("pk", "postcode_districts"):
        for district in districts.split():
            mapping.setdefault(district, pk)
    return mapping


@receiver(post_save, sender=Indicator)
@receiver(post_save, sender=ExploitationType)
@receiver(post_save, sender=IndicatorPhrase)
@receiver(post_save, sender=LocalAuthorityArea)
@receiver(post_delete, sender=Indicator)
@receiver(post_delete, sender=ExploitationType)
@receiver(post_delete, sender=IndicatorPhrase)
@receiver(post_delete, sender=LocalAuthorityArea)
def _lookup_changed(**kwargs: object) -> None:
    clear()
