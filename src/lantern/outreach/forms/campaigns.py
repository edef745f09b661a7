"""The forms of a campaign, its activities, reach imports and materials, in GOV.UK markup.

Forms check the shape of what was typed (a date, a whole number, a choice from the list);
the services check the rules and name the field they refuse.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lantern.core.forms import GovukFormMixin
from lantern.core.models import LocalAuthorityArea, Organisation
from lantern.intelligence.forms import SubmittedOnceForm
from lantern.outreach.models import Audience, CampaignStatus, Channel, Landing, ReachKind
from lantern.outreach.models.campaigns import MAX_REACH, TEXT_MAX_LENGTH
from lantern.public.forms import TextField

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# Primary keys fit a signed 64-bit integer; a longer number is not one of the choices,
# and asking the database about it fails (SQLite refuses integers that large).
_LARGEST_PK = 2**63 - 1


def _is_pk(value: object) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= _LARGEST_PK


class AreaChoiceField(forms.ModelChoiceField):
    """A model choice whose out-of-range keys are an invalid choice, not a database error."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _is_pk(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ChoicesByPkField(forms.ModelMultipleChoiceField):
    """Model choices whose out-of-range keys are an invalid choice, not a database error."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if not _is_pk(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def _date_field(label: Any, required_message: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=_("For example, 18/10/2026."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date, like 18/10/2026"),
        },
    )


def _reach_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_REACH,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": _("Enter a whole number, like 1200"),
            "min_value": _("Enter a number that is 0 or more"),
            "max_value": _("Enter a number that is 100,000,000 or less"),
        },
    )


class _CampaignFields(SubmittedOnceForm):
    name = TextField(
        label=_("Name"),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the campaign’s name")},
    )
    purpose = TextField(
        label=_("Purpose"),
        help_text=_("What the campaign sets out to change, and for whom."),
        max_length=TEXT_MAX_LENGTH,
        rows=4,
        required=True,
        error_messages={"required": _("Enter the campaign’s purpose")},
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one channel"),
            "invalid_choice": _("Select channels from the list"),
        },
    )
    starts_on = _date_field(_("Starts"), _("Enter the date the campaign starts"))
    ends_on = _date_field(_("Ends"), _("Enter the date the campaign ends"))
    areas = ChoicesByPkField(
        label=_("Local authority areas covered (optional)"),
        queryset=LocalAuthorityArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Select areas from the list"),
            "invalid_pk_value": _("Select areas from the list"),
        },
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audiences (optional)"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select audiences from the list")},
    )
    languages = TextField(
        label=_("Languages (optional)"),
        help_text=_("The languages of the material, separated by commas."),
        max_length=500,
    )
    partners = ChoicesByPkField(
        label=_("Partner organisations taking part (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={
            "invalid_choice": _("Select partner organisations from the list"),
            "invalid_pk_value": _("Select partner organisations from the list"),
        },
    )
    cost = forms.DecimalField(
        label=_("Cost in pounds (optional)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": _("Enter the cost as a number, like 1250.00"),
            "min_value": _("Enter a cost that is 0 or more"),
            "max_digits": _("Enter a cost below £10,000,000"),
            "max_whole_digits": _("Enter a cost below £10,000,000"),
            "max_decimal_places": _("Enter the cost in pounds and pence, like 1250.50"),
        },
    )
    landing = forms.ChoiceField(
        label=_("Where the short link and QR code go"),
        choices=Landing.choices,
        initial=Landing.SIGNS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where the short link goes"),
            "invalid_choice": _("Select where the short link goes"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "name"
        )

    def clean_languages(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date must be the same as or after the start date"))
        return data


class CampaignForm(GovukFormMixin, _CampaignFields):
    """A new campaign."""


class _CampaignChangeFields(_CampaignFields):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=CampaignStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the campaign’s status"),
            "invalid_choice": _("Select the campaign’s status"),
        },
    )


class CampaignChangeForm(GovukFormMixin, _CampaignChangeFields):
    """A campaign's plan and status, changed."""


class _ActivityFields(SubmittedOnceForm):
    title = TextField(
        label=_("What it was"),
        help_text=_(
            "For example, ‘Post on Anti-Slavery Day’ or ‘Stall at Market Harborough market’."
        ),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter what the activity was")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[("", _("Select a channel")), *Channel.choices],
        error_messages={
            "required": _("Select the channel"),
            "invalid_choice": _("Select the channel"),
        },
    )
    happened_on = _date_field(_("Date"), _("Enter the date of the activity"))
    area = AreaChoiceField(
        label=_("Local authority area (optional)"),
        queryset=LocalAuthorityArea.objects.all(),
        required=False,
        empty_label=_("Not given"),
        error_messages={"invalid_choice": _("Select a local authority area from the list")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ReachKind.choices:
            self.fields[kind] = _reach_field(label)

    def reach(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(kind) for kind in ReachKind.values}

    def reach_fields(self) -> list[forms.BoundField]:
        return [self[kind] for kind in ReachKind.values]


class ActivityForm(GovukFormMixin, _ActivityFields):
    """An activity and its reach, entered by hand."""


class _ReachFields(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in ReachKind.choices:
            self.fields[kind] = _reach_field(label)

    def reach(self) -> dict[str, int | None]:
        return {kind: self.cleaned_data.get(kind) for kind in ReachKind.values}


class ReachForm(GovukFormMixin, _ReachFields):
    """An activity's reach figures, corrected."""


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file of reach"),
        help_text=_("Up to 5 MB and 5,000 rows, in the columns of the template."),
        error_messages={
            "required": _("Select a CSV file"),
            "empty": _("The selected file is empty"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class MaterialForm(GovukFormMixin, forms.Form):
    title = TextField(
        label=_("Title"),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter a title for the material")},
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, image, document, slides, audio or video, up to 20 MB."),
        error_messages={
            "required": _("Select a file"),
            "empty": _("The selected file is empty"),
        },
    )
    is_public = forms.BooleanField(
        label=_("The public pages and partners’ websites may link to this file"),
        required=False,
    )


class FilterForm(forms.Form):
    """The campaigns list's filters; anything not understood is ignored, never an error."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2015, max_value=2100)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any channel")), *Channel.choices], required=False
    )
    area = AreaChoiceField(
        label=_("Area"),
        queryset=LocalAuthorityArea.objects.all(),
        required=False,
        empty_label=_("Any area"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *CampaignStatus.choices],
        required=False,
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.Select(
            choices=[("", _("Any year")), *[(year, year) for year in years]],
            attrs={"class": "govuk-select"},
        )
        for name in ("channel", "area", "status"):
            self.fields[name].widget.attrs["class"] = "govuk-select"
