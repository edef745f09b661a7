"""The hotspot page: counts by area, type and sector, a map of the areas, and the places
and businesses that score highest.

Like the intelligence lists it reads through selectors built on the access policy and is
not audited record by record: it shows aggregates and a list, not the reports themselves.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from lantern.core import access
from lantern.intelligence import hotspots
from lantern.intelligence.models import Sector
from lantern.intelligence.selectors import exploitation_type_choices


@login_required
@never_cache
def hotspots_page(request: HttpRequest) -> HttpResponse:
    if not access.can_read_intelligence(request.user):
        raise PermissionDenied
    filters = hotspots.HotspotFilters.from_query(request.GET)
    found = hotspots.hotspots(request.user, filters)
    return render(
        request,
        "intelligence/hotspots.html",
        {
            "filters": filters,
            "hotspots": found,
            "map_data": found.map_data(
                tile_url=settings.MAP_TILE_URL, attribution=settings.MAP_TILE_ATTRIBUTION
            ),
            "period_choices": [
                (
                    months,
                    ngettext("%(months)s month", "%(months)s months", months) % {"months": months},
                )
                for months in hotspots.PERIOD_MONTHS
            ],
            "sectors": Sector.choices,
            "exploitation_type_choices": exploitation_type_choices(),
            "weights": {
                "strong": hotspots.STRONG_WEIGHT,
                "middle": hotspots.MIDDLE_WEIGHT,
                "weak": hotspots.WEAK_WEIGHT,
                "agency": hotspots.AGENCY_BONUS,
                "half_life": hotspots.HALF_LIFE_DAYS,
            },
        },
        status=400 if filters.error else 200,
    )
