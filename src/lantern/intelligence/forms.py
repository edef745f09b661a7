"""The intelligence submission form, in GOV.UK markup, with errors that name each field."""

import datetime
import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from lantern.core import normalisers
from lantern.core.forms import DATE_FORMATS, GovukFormMixin, exploitation_types_field
from lantern.core.models import Indicator, LocalAuthorityArea, Organisation
from lantern.entities.mentions import MentionData
from lantern.entities.models import (
    MENTION_VALUE_MAX_LENGTH,
    MentionKind,
    MentionRole,
    mention_value_error,
    person_details_error,
)
from lantern.intelligence.models import (
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REQUEST_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    UPDATE_MAX_LENGTH,
    ClosingReason,
    HandlingCode,
    IntelligenceAssessment,
    Sector,
    SourceEvaluation,
    Status,
    TaskingResult,
)
from lantern.intelligence.submitted import ReportFields
from lantern.public.forms import TextField
from lantern.public.models import ChildrenInvolved, PublicReport


class SubmittedOnceForm(forms.Form):
    """A form with a hidden submission key, so that sending it twice stores one record."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        if data is not None and not _is_uuid(data.get("submission_key")):
            # A form sent without its key (it is hidden, so nobody could correct it)
            # gets a fresh one rather than an error that no one would see.
            data = data.copy()
            data["submission_key"] = str(uuid.uuid4())
        kwargs["initial"] = {"submission_key": uuid.uuid4(), **(kwargs.get("initial") or {})}
        super().__init__(data, *args, **kwargs)


class IntelligenceForm(GovukFormMixin, SubmittedOnceForm):
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
    exploitation_types = exploitation_types_field()
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

    def report_fields(self, mentions: Sequence[MentionData] = ()) -> ReportFields:
        """The valid form as the submission service takes it, with the report's mentions
        (a formset's rows, a CSV row's columns, an API request's lists)."""
        data = self.cleaned_data
        return ReportFields(
            summary=data["summary"],
            narrative=data["narrative"],
            source_evaluation=data["source_evaluation"],
            intelligence_assessment=data["intelligence_assessment"],
            handling_code=data["handling_code"],
            handling_conditions=data["handling_conditions"],
            shared_with=tuple(data["shared_with"]),
            occurred_on=data["occurred_on"],
            location=data["location"],
            postcode=data["postcode"],
            area=data["area"],
            exploitation_types=tuple(data["exploitation_types"]),
            child_involved=data["child_involved"],
            indicators=tuple(data["indicators"]),
            sector=data["sector"],
            mentions=tuple(mentions),
        )

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


class MentionForm(GovukFormMixin, forms.Form):
    """One person, place, business, vehicle, phone or profile the report mentions.

    A row left empty is no mention; a row started but not finished names what is missing.
    """

    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=[("", _("Select what it is")), *MentionKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Select what it is from the list")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Select its role")), *MentionRole.choices],
        required=False,
        error_messages={"invalid_choice": _("Select its role from the list")},
    )
    value = TextField(
        label=_("Name, number or address"),
        max_length=MENTION_VALUE_MAX_LENGTH,
    )
    details = TextField(
        label=_("Details (optional)"),
        help_text=_("For example an age, a description or when it was seen."),
        max_length=1000,
    )
    date_of_birth = forms.DateField(
        label=_("Person’s date of birth (optional)"),
        help_text=_("For example, 27/3/1990."),
        input_formats=DATE_FORMATS,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the date of birth as a real date, like 27/3/1990")},
    )
    nationality = forms.CharField(
        label=_("Person’s nationality (optional)"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, role, value = data.get("kind"), data.get("role"), data.get("value", "").strip()
        if (data.get("date_of_birth") or data.get("nationality")) and kind != MentionKind.PERSON:
            field = "date_of_birth" if data.get("date_of_birth") else "nationality"
            self.add_error(field, _("Only a person has a date of birth or a nationality"))
        problem = person_details_error(data.get("date_of_birth"))
        if problem:
            self.add_error("date_of_birth", problem)
        if not value:
            if kind or role or data.get("details"):
                self.add_error("value", _("Enter the name, number or address, or clear the row"))
            return data
        if not kind and "kind" not in self.errors:
            self.add_error("kind", _("Select what it is"))
        if not role and "role" not in self.errors:
            self.add_error("role", _("Select its role"))
        problem = mention_value_error(kind, value) if kind else None
        if problem:
            self.add_error("value", problem)
        return data

    def mention(self) -> MentionData | None:
        """The mention this row holds, once valid; ``None`` for an empty row."""
        data = self.cleaned_data
        if not data.get("value", "").strip():
            return None
        return MentionData(
            kind=data["kind"],
            role=data["role"],
            value=data["value"],
            details=data["details"],
            date_of_birth=data.get("date_of_birth"),
            nationality=data.get("nationality", ""),
        )


class _MentionRows(forms.BaseFormSet):
    def mentions(self) -> list[MentionData]:
        return [mention for form in self.forms if (mention := form.mention()) is not None]


# Empty rows on the submission form, after any filled in from a report from the public;
# analysts add more on the report page, one at a time.
MentionFormSet = forms.formset_factory(
    MentionForm, formset=_MentionRows, extra=4, max_num=12, absolute_max=12, validate_max=True
)


class SanitisedVersionForm(IntelligenceForm):
    """The edited text and grading of a sanitised version; the rest is the original's."""

    occurred_on = None
    postcode = None
    area = None
    exploitation_types = None
    child_involved = None
    indicators = None
    sector = None
    handling_code = None
    handling_conditions = None
    shared_with = None


def initial_from_public_report(report: PublicReport) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """What an analyst starts from when turning a report from the public into intelligence.

    The reporter's words open the narrative; their other answers follow, labelled; the
    phone numbers, registrations and business they gave become mention rows. A member of
    the public is an untested source (2) until the analyst decides otherwise.
    """
    parts = [report.what_happened]
    labelled = [
        (_("When"), report.when),
        (_("People"), report.people),
        (_("Vehicles"), report.vehicles),
        (_("Business"), report.business_name),
    ]
    parts += [f"{label}: {value}" for label, value in labelled if value]
    parts += [
        _("Added on %(date)s: %(text)s")
        % {"date": date_format(addition.submitted_at, "j F Y"), "text": addition.text}
        for addition in report.additions.all()
    ]
    initial = {
        "summary": Truncator(report.what_happened).chars(SUMMARY_MAX_LENGTH),
        "narrative": "\n\n".join(str(part) for part in parts)[:NARRATIVE_MAX_LENGTH],
        "location": report.location,
        "postcode": report.postcode,
        "area": report.area_id,
        "exploitation_types": [kind.code for kind in report.suspected_types.all()],
        "child_involved": report.children_involved == ChildrenInvolved.YES,
        "indicators": [indicator.code for indicator in report.indicators.all()],
        "source_evaluation": SourceEvaluation.UNTESTED,
    }
    mentions = [
        {"kind": MentionKind.PHONE, "role": MentionRole.CONTACT, "value": number}
        for number in report.phone_numbers
    ] + [
        {"kind": MentionKind.VEHICLE, "role": MentionRole.VEHICLE_USED, "value": registration}
        for registration in report.vehicle_registrations
    ]
    if report.business_name:
        mentions.append(
            {
                "kind": MentionKind.BUSINESS,
                "role": MentionRole.PREMISES,
                "value": report.business_name,
            }
        )
    return initial, mentions[: MentionFormSet.max_num]


class _StatusChangeFields(forms.Form):
    """The fields, narrowed to the report's next statuses before the form validates."""

    to_status = forms.TypedChoiceField(
        label=_("New status"),
        coerce=Status,
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


class AssessmentForm(GovukFormMixin, forms.Form):
    """The analyst's assessment of a report: what it means and what should happen."""

    assessment = TextField(
        label=_("Analyst's assessment"),
        help_text=_("What the intelligence means, how far it can be relied on and what to do."),
        max_length=NARRATIVE_MAX_LENGTH,
        rows=10,
        required=True,
        error_messages={"required": _("Enter your assessment")},
    )


class _RegradingFields(forms.Form):
    """The submission form's grading fields and a reason, set up before validation."""

    source_evaluation = IntelligenceForm.base_fields["source_evaluation"]
    intelligence_assessment = IntelligenceForm.base_fields["intelligence_assessment"]
    handling_code = IntelligenceForm.base_fields["handling_code"]
    handling_conditions = IntelligenceForm.base_fields["handling_conditions"]
    shared_with = IntelligenceForm.base_fields["shared_with"]
    reason = TextField(
        label=_("Reason for the new grading"),
        help_text=_("Shown in the report's timeline."),
        max_length=NOTE_MAX_LENGTH,
        rows=3,
        required=True,
        error_messages={"required": _("Enter the reason for the new grading")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling_code"].help_text = _(
            "P is shared with every partner. C is seen only by the originating organisation, "
            "the hub and the organisations named below."
        )
        # Partners who join or sign their agreement today are listed today.
        self.fields["shared_with"].queryset = Organisation.objects.with_shared_data_access()


class RegradingForm(GovukFormMixin, _RegradingFields):
    """A new 3x5x2 grading for a report, with the reason for it."""


class _TaskingFields(SubmittedOnceForm):
    """The tasking's fields, the organisations narrowed before the form validates."""

    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations to task"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one organisation to task"),
            "invalid_choice": _("Select organisations from the list of active partners"),
            "invalid_pk_value": _("Select organisations from the list of active partners"),
        },
    )
    request_text = TextField(
        label=_("What do you ask them to do?"),
        help_text=_("Each organisation receives the same request."),
        max_length=REQUEST_MAX_LENGTH,
        rows=5,
        required=True,
        error_messages={"required": _("Enter what you ask the agency to do")},
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        help_text=_("Today or later, for example 27/3/2026."),
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the deadline"),
            "invalid": _("Enter the deadline as a real date, like 27/3/2026"),
        },
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        """``organisations``: the agencies this analyst may task (a selector's queryset)."""
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations

    def clean_deadline(self) -> datetime.date:
        value = self.cleaned_data["deadline"]
        if value < timezone.localdate():
            raise ValidationError(_("The deadline must be today or in the future"))
        return value


class TaskingForm(GovukFormMixin, _TaskingFields):
    """Task one or more agencies with a request and a deadline."""


class TaskingAnswerForm(GovukFormMixin, forms.Form):
    """What the tasked agency did and what came of it."""

    result = forms.ChoiceField(
        label=_("Result"),
        choices=TaskingResult.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the result"),
            "invalid_choice": _("Select the result from the list"),
        },
    )
    response = TextField(
        label=_("What did your organisation do?"),
        help_text=_("What you did, what you found and anything the hub should know."),
        max_length=REQUEST_MAX_LENGTH,
        rows=6,
        required=True,
        error_messages={"required": _("Enter what your organisation did")},
    )


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


class ImportForm(GovukFormMixin, forms.Form):
    """A CSV file of intelligence in the template, and the key that makes its import once."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("In the template’s columns, saved as CSV UTF-8, up to 50,000 rows."),
        error_messages={
            "required": _("Select a CSV file"),
            "empty": _("The selected file is empty"),
            "invalid": _("Select a CSV file"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        # GOV.UK styles a file input with its own class, not the text input's.
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload" + (
            " govuk-file-upload--error" if self.errors.get("file") else ""
        )


class ReportUpdateForm(GovukFormMixin, SubmittedOnceForm):
    """What the organisation has learnt since it sent the report."""

    text = TextField(
        label=_("Update"),
        help_text=_(
            "What your organisation has learnt since. It is added to the report’s timeline; "
            "the report as sent does not change."
        ),
        max_length=UPDATE_MAX_LENGTH,
        rows=6,
        required=True,
        error_messages={"required": _("Enter the update")},
    )
