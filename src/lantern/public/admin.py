from django.contrib import admin

from lantern.core.admin import AuditedAdmin, site
from lantern.public.models import HelpChannel, LocalContact


@admin.register(HelpChannel, site=site)
class HelpChannelAdmin(AuditedAdmin):
    """The numbers on the get-help pages: data, so that a change needs no release."""

    list_display = ["name", "phone_number", "audience", "order", "is_active"]
    list_filter = ["audience", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(LocalContact, site=site)
class LocalContactAdmin(AuditedAdmin):
    """Each area's council services, local police route and partnership contact."""

    list_display = ["name", "area", "kind", "phone_number", "order", "is_active"]
    list_filter = ["area", "kind", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "name_fr"]
