"""The intelligence submission form, in GOV.UK markup, with errors that name each field."""

import datetime
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantern.core import normalisers
from lantern.core.forms import GovukFormMixin
from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea, Organisation
from lantern.intelligence.models import (
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    ClosingReason,
    HandlingCode,
    IntelligenceAssessment,
    Sector,
    SourceEvaluation,
    Status,
)
from lantern.public.forms import TextField

DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%Y-%m-%d"]


class IntelligenceForm(GovukFormMixin, forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    summary = TextField(
        label=_("Summary"),
        help_text=_("One line that tells an analyst what this is about."),
        max_length=SUMMARY_MAX_LENGTH,
        required=True,
        error_messages={"required": _("Enter a summary")},
    )
    narrative = TextField(
        label=_("What do you know?"),
        help_text=_("The full account: who, what, where, when and how you know it."),
        max_length=NARRATIVE_MAX_LENGTH,
        rows=10,
        required=True,
        error_messages={"required": _("Enter what you know in the narrative")},
    )
    occurred_on = forms.DateField(
        label=_("Date it happened (optional)"),
        help_text=_("For example, 27/3/2026."),
        input_formats=DATE_FORMATS,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the date it happened as a real date, like 27/3/2026")},
    )
    location = TextField(
        label=_("Where did it happen? (optional)"),
        help_text=_("An address or a description of the place."),
        max_length=1000,
        rows=2,
    )
    postcode = TextField(
        label=_("Postcode (optional)"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "autocapitalize": "characters"}
        ),
    )
    area = forms.ModelChoiceField(
        label=_("Local authority area (optional)"),
        help_text=_("Leave it to be worked out from the postcode, or choose the right area."),
        queryset=LocalAuthorityArea.objects.all(),
        required=False,
        empty_label=_("Work it out from the postcode"),
        error_messages={"invalid_choice": _("Select a local authority area from the list")},
    )
    exploitation_types = forms.ModelMultipleChoiceField(
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
    child_involved = forms.BooleanField(label=_("A child (under 18) is involved"), required=False)
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators (optional)"),
        queryset=Indicator.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Select indicators from the list"),
            "invalid_pk_value": _("Select indicators from the list"),
        },
    )
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=Sector.choices,
        initial=Sector.UNKNOWN,
        error_messages={
            "required": _("Select a sector"),
            "invalid_choice": _("Select a sector from the list"),
        },
    )
    source_evaluation = forms.ChoiceField(
        label=_("Source evaluation"),
        choices=SourceEvaluation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a source evaluation of 1, 2 or 3"),
            "invalid_choice": _("Select a source evaluation of 1, 2 or 3"),
        },
    )
    intelligence_assessment = forms.ChoiceField(
        label=_("Intelligence assessment"),
        choices=IntelligenceAssessment.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select an intelligence assessment from A to E"),
            "invalid_choice": _("Select an intelligence assessment from A to E"),
        },
    )
    handling_code = forms.ChoiceField(
        label=_("Handling code"),
        help_text=_(
            "P is shared with every partner. C is seen only by your organisation, the hub "
            "and the organisations you name below."
        ),
        choices=HandlingCode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select handling code P or C"),
            "invalid_choice": _("Select handling code P or C"),
        },
    )
    handling_conditions = TextField(
        label=_("Handling conditions (required for C)"),
        help_text=_("Who may see it and what they may do with it."),
        max_length=2000,
        rows=3,
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Organisations named in the conditions (optional)"),
        queryset=Organisation.objects.with_shared_data_access(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Select organisations from the list of active partners"),
            "invalid_pk_value": _("Select organisations from the list of active partners"),
        },
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not _is_uuid(data.get("submission_key")):
            # A form sent without its key (it is hidden, so nobody could correct it)
            # gets a fresh one rather than an error that no one would see.
            data = data.copy()
            data["submission_key"] = str(uuid.uuid4())
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(data, *args, **kwargs)

    def clean_occurred_on(self) -> datetime.date | None:
        value = self.cleaned_data["occurred_on"]
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("The date it happened must be today or in the past"))
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        postcode = normalisers.normalise_postcode(value)
        if postcode is None:
            raise ValidationError(_("Enter a real UK postcode, like LE1 5AB, or leave it empty"))
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        conditions = data.get("handling_conditions", "").strip()
        coded_c = data.get("handling_code") == HandlingCode.C
        if coded_c and not conditions and "handling_conditions" not in self.errors:
            self.add_error(
                "handling_conditions",
                _("Enter the handling conditions: they are required for handling code C"),
            )
        return data


class _StatusChangeFields(forms.Form):
    """The fields, narrowed to the report's next statuses before the form validates."""

    to_status = forms.ChoiceField(
        label=_("New status"),
        error_messages={
            "required": _("Select a status this report can move to from the list"),
            "invalid_choice": _("Select a status this report can move to from the list"),
        },
    )
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        help_text=_("Only when you close the report."),
        choices=[("", _("Select a reason")), *ClosingReason.choices],
        required=False,
        error_messages={"invalid_choice": _("Select a reason for closing the report")},
    )
    note = TextField(
        label=_("Note (optional)"),
        help_text=_("What was decided and why, for the timeline."),
        max_length=NOTE_MAX_LENGTH,
        rows=3,
    )

    def __init__(
        self, data: Any = None, *args: Any, next_statuses: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(data, *args, **kwargs)
        # Set before GovukFormMixin reads the errors, which validates the form.
        self.fields["to_status"].choices = next_statuses
        if not any(status == Status.CLOSED for status, _label in next_statuses):
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        closing = data.get("to_status") == Status.CLOSED
        if closing and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", _("Select a reason for closing the report"))
        return data


class StatusChangeForm(GovukFormMixin, _StatusChangeFields):
    """Move a report on: the next statuses it allows, a reason when closing, a note."""


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
