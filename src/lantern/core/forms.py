"""Forms rendered with GOV.UK Frontend markup through Django's field templates."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

# Dates as partners type them (27/3/2026, 27 3 2026, 27-3-2026, 2026-03-27), shared by
# every form that asks for one day.
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]

_INPUT_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.widgets.Input: "govuk-input",
}


def add_refusal(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's refusal on the fields it names, and above the form what names none
    of this form's fields (a rule about the whole record, or a field the form does not
    show): Django's own ``add_error`` fails on a field the form lacks."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def saved(form: forms.BaseForm, write: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and run the service with its cleaned data; a refusal lands on the
    form (``add_refusal``) and nothing is saved."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        add_refusal(form, error)
        return False
    return True


def exploitation_types_field() -> forms.ModelMultipleChoiceField:
    """The NRM's exploitation types (DOMAIN.md §1) as checkboxes, none required."""
    from lantern.core.models import ExploitationType

    return forms.ModelMultipleChoiceField(
        label=_("Types of exploitation (optional)"),
        queryset=ExploitationType.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Select types of exploitation from the list"),
            "invalid_pk_value": _("Select types of exploitation from the list"),
        },
    )


class GovukFormRenderer(DjangoTemplates):
    """Renders ``{{ form }}`` and ``{{ field.as_field_group }}`` as GOV.UK form groups."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


class GovukFormMixin:
    """Adds GOV.UK classes and error descriptions to every widget of the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css_class = next(
                (css for kind, css in _INPUT_CLASSES.items() if isinstance(widget, kind)), ""
            )
            if self.errors.get(name) and css_class in {
                "govuk-input",
                "govuk-textarea",
                "govuk-select",
            }:
                css_class += f" {css_class}--error"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css_class}".strip()


class SignInForm(GovukFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "Enter a correct email address and password. The password is case-sensitive."
        ),
        "inactive": _("This account has been closed. Ask your organisation's administrator."),
    }


class TokenForm(GovukFormMixin, forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6-digit code your app shows for Lantern."),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "invalid": _("The code must be 6 digits"),
        },
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
            }
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].strip()
