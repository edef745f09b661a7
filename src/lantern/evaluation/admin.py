from django.contrib import admin
from django.http import HttpRequest

from lantern.core.admin import AuditedAdmin, site
from lantern.evaluation.models import PopulationEstimate, PublishedCell


@admin.register(PopulationEstimate, site=site)
class PopulationEstimateAdmin(AuditedAdmin):
    """ONS population estimates behind the rates per 100,000 people: data, so that a new
    year's estimates need no release."""

    list_display = ["area", "year", "population", "source"]
    list_filter = ["year"]


@admin.register(PublishedCell, site=site)
class PublishedCellAdmin(admin.ModelAdmin):
    """The ledger of published figures: read only, since disclosure control relies on it."""

    list_display = ["table_id", "cell_key", "period", "shown", "release", "published_at"]
    list_filter = ["release"]
    search_fields = ["table_id", "cell_key"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
