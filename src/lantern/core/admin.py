"""The administration site for system administrators.

Access goes through ``core.access.can_administer``; every change made here is written to
the audit log; the audit log itself is read-only; organisations and users are deactivated,
never deleted, so that nothing they did is lost.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseForm, BaseInlineFormSet, BaseModelFormSet, HiddenInput
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.core import access, audit, selectors, services
from lantern.core.audit import AuditContext
from lantern.core.models import (
    ApiToken,
    AuditEvent,
    ExploitationType,
    Indicator,
    IndicatorPhrase,
    LocalAuthorityArea,
    Organisation,
    RoleGrant,
    RoleGrantStatus,
    User,
)
from lantern.core.roles import SECOND_APPROVAL_ROLES, Role


class LanternAdminSite(admin.AdminSite):
    site_header = _("Lantern administration")
    site_title = _("Lantern administration")
    index_title = _("Partnership administration")
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)


site = LanternAdminSite(name="admin")


def label_row_inputs(form: BaseForm, index: int | None) -> None:
    """Name each input of a form laid out as a table row by its column and its row.

    The admin's editable lists and tabular inlines put inputs under column headers, which
    do not label them: a screen reader user hears "edit text" fourteen times (WCAG 1.3.1,
    4.1.2). An ``aria-label`` such as "Order, Police 101" says which cell it is.
    """
    instance = getattr(form, "instance", None)
    if instance is not None and instance.pk is not None:
        row = str(instance)
    elif index is not None:
        row = gettext("new row %(number)s") % {"number": index + 1}
    else:
        row = gettext("new row")
    for field in form.fields.values():
        if isinstance(field.widget, HiddenInput):
            continue
        field.widget.attrs["aria-label"] = gettext("%(column)s, %(row)s") % {
            "column": field.label,
            "row": row,
        }


class RowLabelledModelFormSet(BaseModelFormSet):
    """The editable list's formset, with labelled inputs (see ``label_row_inputs``)."""

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        label_row_inputs(form, index)


class RowLabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's formset, with labelled inputs (see ``label_row_inputs``)."""

    def add_fields(self, form: BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        label_row_inputs(form, index)


class AuditedAdmin(admin.ModelAdmin):
    """Writes every add, change and deletion made in the admin to the audit log.

    Its editable lists label their inputs (see ``label_row_inputs``).
    """

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs.setdefault("formset", RowLabelledModelFormSet)
        return super().get_changelist_formset(request, **kwargs)

    def _audit(self, request: HttpRequest, action: audit.Action, obj: Model, message: Any) -> None:
        audit.record(
            action=action,
            actor=request.user,
            request=request,
            target=obj,
            detail={"change": str(message)[:2000]} if message else {},
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, audit.Action.ADMIN_ADD, obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit(request, audit.Action.ADMIN_CHANGE, obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet) -> Any:
        for obj in queryset:
            self._audit(request, audit.Action.ADMIN_DELETE, obj, "")
        return super().log_deletions(request, queryset)


@admin.register(Organisation, site=site)
class OrganisationAdmin(AuditedAdmin):
    list_display = (
        "name",
        "organisation_type",
        "is_first_responder",
        "isa_signed_on",
        "is_active",
    )
    list_filter = ("organisation_type", "is_first_responder", "is_active", "areas")
    search_fields = ("name",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("name", "organisation_type", "is_first_responder", "areas")}),
        (
            _("What this organisation can help with"),
            {
                "fields": (
                    "helps_with_victims",
                    "helps_with_operations",
                    "helps_with_intelligence",
                    "helps_with_information",
                )
            },
        ),
        (_("Sharing"), {"fields": ("isa_signed_on", "is_active")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        return access.administrable_organisations(request.user).prefetch_related("areas")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "areas":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class LanternUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "organisation")


class LanternUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        """Moving someone who keeps a role needing approval would widen what they read (the
        new organisation's victims): the role is removed first and asked for again."""
        data = super().clean()
        user = self.instance
        organisation = data.get("organisation")
        if user.pk is None or "organisation" not in self.fields:
            return data
        if organisation == user.organisation:
            return data
        kept = {
            group.name
            for group in data.get("groups", Group.objects.filter(user=user))
            if group.name in SECOND_APPROVAL_ROLES
        }
        if kept:
            self.add_error(
                "organisation",
                _(
                    "Remove the roles that need a second administrator’s approval (%(roles)s) "
                    "before moving this person to another organisation, then ask for them again"
                )
                % {"roles": ", ".join(str(Role(name).label) for name in sorted(kept))},
            )
        return data


@admin.register(User, site=site)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    form = LanternUserChangeForm
    add_form = LanternUserCreationForm
    ordering = ("full_name",)
    list_display = ("full_name", "email", "organisation", "is_active")
    list_filter = ("is_active", "groups", "organisation__organisation_type")
    search_fields = ("full_name", "email", "organisation__name")
    filter_horizontal = ()
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "job_title", "organisation")}),
        (_("Roles"), {"fields": ("groups",)}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "organisation",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return access.administrable_users(request.user).select_related("organisation")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        """On their own account an administrator sees, but cannot change, their roles,
        organisation and status: a field not in the form is ignored if posted anyway."""
        fields = (*super().get_readonly_fields(request, obj), "roles_waiting")
        if obj is not None and not access.can_change_access_of(request.user, obj):
            fields = (*fields, "organisation", "groups", "is_active")
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [
            (name, {**options, "fields": (*options["fields"], "roles_waiting")})
            if options["fields"] == ("groups",)
            else (name, options)
            for name, options in fieldsets
        ]

    @admin.display(description=_("Roles waiting for approval"))
    def roles_waiting(self, obj: User) -> str:
        waiting = obj.role_grants.filter(status=RoleGrantStatus.PENDING)
        return ", ".join(grant.get_role_display() for grant in waiting) or "–"

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["help_text"] = _(
                "Hub analyst, hub coordinator, safeguarding lead and system administrator are "
                "given only when a different administrator approves them under Role grants."
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A move to another organisation cancels the roles still waiting for approval."""
        moved_from = form.initial.get("organisation") if change else None
        super().save_model(request, obj, form, change)
        if change and "organisation" in form.changed_data:
            services.cancel_role_grants_on_move(
                actor=request.user,
                user=obj,
                moved_from=moved_from,
                context=AuditContext.from_request(request),
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Roles are removed at once; a role that needs approval is asked for, not given."""
        user = form.instance
        wanted = form.cleaned_data.get("groups")
        held_back: list[Group] = []
        if wanted is not None:
            held = set(user.groups.values_list("name", flat=True))
            held_back = [
                group
                for group in wanted
                if group.name in SECOND_APPROVAL_ROLES and group.name not in held
            ]
            kept = [group for group in wanted if group not in held_back]
            form.cleaned_data["groups"] = kept
            unchanged = {group.name for group in kept} == held
            if held_back and unchanged and "groups" in form.changed_data:
                # The audit record of the change says what changed: roles asked for are
                # recorded as requests (``admin.role_grant_requested``), not as given.
                form.changed_data.remove("groups")
        super().save_related(request, form, formsets, change)
        for group in held_back:
            services.request_role_grant(
                actor=request.user,
                user=user,
                role=Role(group.name),
                context=AuditContext.from_request(request),
            )
            messages.warning(
                request,
                gettext(
                    "%(role)s was not given yet: it waits for another administrator to "
                    "approve it under Role grants."
                )
                % {"role": Role(group.name).label},
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """No administrator sets the password of someone holding a role that needs approval:
        with their authenticator removed, they could sign in as them."""
        user = self.get_object(request, unquote(id))
        if user is not None and not access.can_set_password_of(request.user, user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RoleGrant, site=site)
class RoleGrantAdmin(admin.ModelAdmin):
    """Roles waiting for a second administrator: approved or declined with the actions.

    Nothing is added or edited here; a grant is asked for on the user's page. Whoever asked
    for a grant, and whoever it is for, cannot approve it (``services``).
    """

    list_display = (
        "user",
        "user_organisation",
        "role",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status", "role")
    search_fields = ("user__email", "user__full_name", "requested_by__email")
    actions = ("approve", "decline")
    fields = list_display
    readonly_fields = list_display

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoleGrant]:
        return access.administrable_role_grants(request.user).select_related(
            "user__organisation", "requested_by", "decided_by"
        )

    @admin.display(description=_("organisation"))
    def user_organisation(self, grant: RoleGrant) -> str:
        """Where the role would be held: what it reads depends on the organisation."""
        return str(grant.user.organisation or "–")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.can_administer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def response_action(
        self, request: HttpRequest, queryset: QuerySet, **kwargs: Any
    ) -> HttpResponse | None:
        """Selected ids that are not ids are refused with a message, not sent to the database
        (where "" or a number too large for a key is a server error)."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(value.isascii() and value.isdecimal() and len(value) < 19 for value in selected):
            self.message_user(request, gettext("Select role grants from the list."), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)

    def _decide(self, request: HttpRequest, grants: QuerySet[RoleGrant], decide: Any) -> None:
        done, refused = [], []
        for grant in grants:
            try:
                decide(actor=request.user, grant=grant, context=AuditContext.from_request(request))
            except (PermissionDenied, ValidationError):
                refused.append(str(grant))
            else:
                done.append(str(grant))
        if done:
            self.message_user(request, gettext("Done: %s") % "; ".join(done), messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                gettext(
                    "Not done (already decided, asked for by you or for you, or for a "
                    "deactivated account): %s"
                )
                % "; ".join(refused),
                messages.ERROR,
            )

    @admin.action(description=_("Approve the selected role grants"))
    def approve(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        self._decide(request, queryset, services.approve_role_grant)

    @admin.action(description=_("Decline the selected role grants"))
    def decline(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        self._decide(request, queryset, services.decline_role_grant)


@admin.register(Group, site=site)
class RoleAdmin(DjangoGroupAdmin):
    """Roles are created by migrations; here they can be read, not redefined."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(LocalAuthorityArea, site=site)
class LocalAuthorityAreaAdmin(AuditedAdmin):
    """Areas come from the ONS-coded data file; administrators correct them, never add."""

    list_display = ("name", "gss_code", "population", "postcode_districts")
    search_fields = ("name", "gss_code")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(TOTPDevice, site=site)
class AuthenticatorAdmin(AuditedAdmin):
    """Lets an administrator remove a lost authenticator so its owner can enrol a new one."""

    list_display = ("user", "name", "confirmed")
    search_fields = ("user__email", "user__full_name")
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user", "name", "confirmed")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.can_administer(request.user)


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: no add, change or delete path exists for audit entries."""

    list_display = (
        "id",
        "occurred_at",
        "action",
        "actor_email",
        "organisation_name",
        "object_repr",
    )
    list_filter = ("action",)
    search_fields = ("actor_email", "object_repr", "action")
    date_hierarchy = "occurred_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEvent]:
        if not access.can_administer(request.user):
            return AuditEvent.objects.none()
        return super().get_queryset(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class PhraseInline(admin.TabularInline):
    model = IndicatorPhrase
    formset = RowLabelledInlineFormSet
    extra = 1
    fields = ["language", "phrase"]


@admin.register(Indicator, site=site)
class IndicatorAdmin(AuditedAdmin):
    """Indicators and their lexicon: analysts' vocabulary, kept as data (DOMAIN.md)."""

    list_display = ["name", "name_fr", "code", "order"]
    search_fields = ["name", "name_fr", "phrases__phrase"]
    inlines = [PhraseInline]


@admin.register(ExploitationType, site=site)
class ExploitationTypeAdmin(AuditedAdmin):
    list_display = ["name", "name_fr", "code", "order"]
    inlines = [PhraseInline]


@admin.register(ApiToken, site=site)
class ApiTokenAdmin(admin.ModelAdmin):
    """Partner systems' API tokens: who holds one, since when, until when; expire one now.

    Only a token's first characters and its hash are stored, so there is nothing secret to
    show. Tokens are issued and rotated with ``lantern api-token``, which prints a new
    token once on the operator's terminal: shown here it would pass through the session.
    """

    list_display = ("beginning", "account", "issued", "expires", "is_valid")
    search_fields = ("user__email", "user__full_name", "token_key")
    fields = ("beginning", "account", "issued", "expires", "is_valid")
    readonly_fields = fields
    actions = ["expire_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        return selectors.api_tokens(request.user)

    @admin.display(description=_("begins with"), ordering="token_key")
    def beginning(self, obj: ApiToken) -> str:
        return f"{obj.token_key}…"

    @admin.display(description=_("account"), ordering="user__email")
    def account(self, obj: ApiToken) -> str:
        return str(obj.user)

    @admin.display(description=_("issued"), ordering="created")
    def issued(self, obj: ApiToken) -> datetime.datetime:
        return obj.created

    @admin.display(description=_("expires"), ordering="expiry", empty_value=_("never"))
    def expires(self, obj: ApiToken) -> datetime.datetime | None:
        return obj.expiry

    @admin.display(boolean=True, description=_("valid"))
    def is_valid(self, obj: ApiToken) -> bool:
        return not obj.has_expired

    @admin.action(description=_("Expire the selected tokens now"))
    def expire_now(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        expired = services.expire_api_tokens(
            tokens=queryset, actor=request.user, context=AuditContext.from_request(request)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d token expired: systems using it are refused from now on.",
                "%(count)d tokens expired: systems using them are refused from now on.",
                expired,
            )
            % {"count": expired},
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.can_administer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return access.can_administer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
