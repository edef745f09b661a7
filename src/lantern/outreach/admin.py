from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from lantern.core.admin import AuditedAdmin, site
from lantern.outreach.models import Campaign, FrontlineRole, TrainingSector, TrainingTopic


@admin.register(TrainingTopic, TrainingSector, FrontlineRole, site=site)
class TrainingLookupAdmin(AuditedAdmin):
    """Training topics, sectors and frontline roles: data an administrator extends."""

    list_display = ["code", "name", "name_fr", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name", "name_fr"]


@admin.register(Campaign, site=site)
class CampaignAdmin(AuditedAdmin):
    """Awareness campaigns, for an administrator to correct a name, dates or a status.

    Campaigns are created on their own pages (``/campaigns/``), which draw the short-link
    code and keep channels, areas and partners together; a campaign is never deleted,
    since public reports keep its code.
    """

    list_display = ["name", "code", "starts_on", "ends_on", "status"]
    list_filter = ["status", "starts_on"]
    search_fields = ["name", "code"]
    date_hierarchy = "starts_on"
    ordering = ["-starts_on"]
    fields = ["code", "name", "purpose", "starts_on", "ends_on", "status", "landing", "cost"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
