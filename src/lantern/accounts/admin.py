"""Invitations and unused-account flags, read-only in the admin: they change only through
the services (the organisation users pages and ``lantern accounts review``)."""

from django.contrib import admin
from django.http import HttpRequest

from lantern.accounts.models import IdleAccount, Invitation
from lantern.core import access
from lantern.core.admin import site


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.can_administer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Invitation, site=site)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = (
        "email",
        "full_name",
        "organisation",
        "invited_by",
        "sent_at",
        "expires_at",
        "accepted_at",
        "withdrawn_at",
    )
    list_filter = ("organisation",)
    search_fields = ("email", "full_name")
    exclude = ("token_hash",)


@admin.register(IdleAccount, site=site)
class IdleAccountAdmin(ReadOnlyAdmin):
    list_display = ("user", "flagged_at", "outcome", "resolved_at", "resolved_by")
    list_filter = ("outcome",)
