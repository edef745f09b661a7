"""Forms for invitations, passwords and organisation users, in GOV.UK markup."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.core.forms import GovukFormMixin
from lantern.core.models import Organisation, User
from lantern.core.roles import Role


def _role_choices(roles: frozenset[Role]) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role if role in roles]


class RolesField(forms.MultipleChoiceField):
    """The roles the signed-in administrator may give, and only those, as checkboxes."""

    def __init__(self, roles: frozenset[Role], **kwargs: Any) -> None:
        super().__init__(
            label=_("Roles"),
            widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
            choices=_role_choices(roles),
            required=False,
            error_messages={"invalid_choice": _("Select roles from the list")},
            **kwargs,
        )


class InvitationForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter the person's full name")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("Their work email address. The invitation link is sent to it."),
        error_messages={
            "required": _("Enter the person's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    job_title = forms.CharField(label=_("Job title (optional)"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Select the organisation"),
            "invalid_choice": _("Select the organisation from the list"),
        },
    )

    def __init__(
        self, *args: Any, organisations: Any, roles: frozenset[Role], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["roles"] = RolesField(roles)
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
            self.fields["organisation"].widget = forms.HiddenInput()
        # GovukFormMixin cleaned the data to mark fields in error, before the choices
        # above existed: clean again with them.
        self._errors = None

    def clean_full_name(self) -> str:
        name = self.cleaned_data["full_name"].strip()
        if not name or any(ord(character) < 32 for character in name):
            raise ValidationError(_("Enter the person's full name"))
        return name


class SetPasswordForm(GovukFormMixin, forms.Form):
    """A new password, typed twice, checked against Django's validators for ``user``."""

    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 12 characters. Avoid common passwords and your own name."),
        error_messages={"required": _("Enter a new password")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Confirm new password"),
        strip=False,
        max_length=4096,
        error_messages={"required": _("Enter the new password again")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_new_password1(self) -> str:
        password = self.cleaned_data["new_password1"]
        password_validation.validate_password(password, user=self.user)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords do not match"))
        return data


class PasswordResetRequestForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )


class UserRolesForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, roles: frozenset[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = RolesField(roles)
        self._errors = None  # cleaned again with the roles field (see InvitationForm)


class AccessReviewForm(GovukFormMixin, forms.Form):
    checked = forms.BooleanField(
        label=_(
            "I have checked that everyone listed still needs their Lantern account, with the "
            "roles shown"
        ),
        error_messages={
            "required": _("Confirm that you have checked every person and their roles")
        },
    )


class ProviderEmailForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your work email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your work email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
