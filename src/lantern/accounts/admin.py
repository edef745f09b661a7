"""Invitations, unused-account flags and access reviews, read-only in the admin: they
change only through the services (the organisation users pages and the daily run).
Identity providers are set up here by a system administrator."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lantern.accounts.models import AccessReview, IdentityProvider, IdleAccount, Invitation
from lantern.accounts.services import providers
from lantern.core import access
from lantern.core.admin import AuditedAdmin, site


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


@admin.register(AccessReview, site=site)
class AccessReviewAdmin(ReadOnlyAdmin):
    list_display = ("organisation", "period_start", "due_on", "confirmed_at", "confirmed_by")
    list_filter = ("period_start",)


class IdentityProviderForm(forms.ModelForm):
    """The secret is written, never shown back; the endpoints come from discovery."""

    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the secret already saved."),
    )

    class Meta:
        model = IdentityProvider
        fields = (
            "organisation",
            "issuer",
            "client_id",
            "client_secret",
            "email_domains",
            "trust_provider_mfa",
            "mfa_acr_values",
            "is_active",
        )

    def clean_client_secret(self) -> str:
        secret = self.cleaned_data.get("client_secret", "")
        if secret:
            return secret
        if self.instance.pk is not None:
            return IdentityProvider.objects.get(pk=self.instance.pk).client_secret
        raise ValidationError(_("Enter the client secret the provider gave Lantern"))

    def clean_email_domains(self) -> str:
        value = self.cleaned_data.get("email_domains", "")
        candidate = IdentityProvider(email_domains=value)
        if not candidate.domains:
            raise ValidationError(_("Enter at least one email domain"))
        claimed = providers.claimed_domains(exclude=self.instance)
        taken = [domain for domain in candidate.domains if domain in claimed]
        if taken:
            raise ValidationError(
                _("%(domains)s already sign in through another organisation's provider")
                % {"domains": ", ".join(taken)}
            )
        return " ".join(candidate.domains)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            self.instance.issuer = data["issuer"]
            providers.discover(self.instance)
        return data


@admin.register(IdentityProvider, site=site)
class IdentityProviderAdmin(AuditedAdmin):
    form = IdentityProviderForm
    list_display = ("organisation", "issuer", "email_domains", "trust_provider_mfa", "is_active")
    list_filter = ("is_active", "trust_provider_mfa")
    readonly_fields = ("authorization_endpoint", "token_endpoint", "jwks_uri")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.can_administer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return access.can_administer(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
