from django.contrib import admin

from lantern.core.admin import AuditedAdmin, site
from lantern.outreach.models import FrontlineRole, TrainingSector, TrainingTopic


@admin.register(TrainingTopic, TrainingSector, FrontlineRole, site=site)
class TrainingLookupAdmin(AuditedAdmin):
    """Training topics, sectors and frontline roles: data an administrator extends."""

    list_display = ["code", "name", "name_fr", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name", "name_fr"]
