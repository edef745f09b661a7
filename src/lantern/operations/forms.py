"""The forms of an operation's plan, status and debrief, in GOV.UK markup.

Forms check the shape of what was typed; the services check the rules (who may, which
move, which entity and report the user may read) and name the field they refuse.
"""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lantern.core.forms import GovukFormMixin, exploitation_types_field
from lantern.core.models import LocalAuthorityArea, Organisation
from lantern.intelligence.forms import SubmittedOnceForm
from lantern.operations.models import TEXT_MAX_LENGTH, EnforcementKind, OperationStatus, Target
from lantern.public.forms import TextField
from lantern.safeguarding.forms import choice_field, date_field
from lantern.safeguarding.models import OLDEST_AGE, Gender

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]
MAX_COUNT = 100_000
_REFERENCE_SEPARATORS = re.compile(r"[\s,;]+")


def _datetime_field(label: str, required_message: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=_("Date and time, for example 27/3/2026 06:00."),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "govuk-input--width-20"},
            format="%Y-%m-%dT%H:%M",
        ),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date and time, like 27/3/2026 06:00"),
        },
    )


# Each form whose fields depend on the user or the operation sets them in a class of its
# own, below GovukFormMixin: the mixin reads the errors, which validates the form.


class _PlanFields(SubmittedOnceForm):
    name = TextField(
        label=_("Operational name"),
        max_length=100,
        required=True,
        error_messages={"required": _("Enter the operational name")},
    )
    objective = TextField(
        label=_("Objective"),
        help_text=_("What the operation sets out to achieve."),
        max_length=TEXT_MAX_LENGTH,
        rows=4,
        required=True,
        error_messages={"required": _("Enter the objective")},
    )
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=Organisation.objects.none(),
        empty_label=_("Select an agency"),
        error_messages={
            "required": _("Select the lead agency"),
            "invalid_choice": _("Select a lead agency from the list of active partners"),
        },
    )
    lead_role = TextField(
        label=_("Lead agency’s role"),
        max_length=200,
        required=True,
        initial=_("Lead agency"),
        error_messages={"required": _("Enter the lead agency’s role")},
    )
    area = forms.ModelChoiceField(
        label=_("Local authority area (optional)"),
        queryset=LocalAuthorityArea.objects.all(),
        required=False,
        empty_label=_("Not given"),
        error_messages={"invalid_choice": _("Select a local authority area from the list")},
    )
    starts_at = _datetime_field(_("Starts"), _("Enter when the operation starts"))
    ends_at = _datetime_field(_("Ends"), _("Enter when the operation ends"))
    briefing_notes = TextField(
        label=_("Briefing notes (optional)"), max_length=TEXT_MAX_LENGTH, rows=6
    )
    risk_assessment = TextField(
        label=_("Risk assessment"),
        help_text=_(
            "Risks to officers, to the people found and to the public, and how each is managed."
        ),
        max_length=TEXT_MAX_LENGTH,
        rows=6,
        required=True,
        error_messages={"required": _("Enter the risk assessment")},
    )
    method = TextField(
        label=_("Method (optional)"),
        help_text=_("How the operation will be carried out: entry, search, who does what."),
        max_length=TEXT_MAX_LENGTH,
        rows=4,
    )
    rendezvous_point = TextField(
        label=_("Rendezvous point (optional)"),
        help_text=_("Where the teams meet before deploying."),
        max_length=300,
    )
    administration = TextField(
        label=_("Administration (optional)"),
        help_text=_("Timings, dress, equipment, vehicles, refreshments, duty times."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )
    command_roles = TextField(
        label=_("Command roles and contacts (optional)"),
        help_text=_("Gold, silver and bronze commanders and how to reach each, one a line."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )
    communications = TextField(
        label=_("Communications (optional)"),
        help_text=_("Radio channels, call signs and the phone numbers used on the day."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )
    interpreters = TextField(
        label=_("Interpreters (optional)"),
        help_text=_("Languages expected and who will interpret."),
        max_length=500,
    )
    reception_centre = TextField(label=_("Reception centre (optional)"), max_length=500)
    support_on_standby = TextField(
        label=_("Support on standby (optional)"),
        help_text=_("Support providers, health, children’s services and housing ready to help."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )

    def __init__(
        self, *args: Any, lead_choices: QuerySet[Organisation] | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if lead_choices is None:
            del self.fields["lead_organisation"]
        else:
            self.fields["lead_organisation"].queryset = lead_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start"))
        return data


class PlanForm(GovukFormMixin, _PlanFields):
    """The plan. The lead agency is chosen only by a hub coordinator (``lead_choices``)."""


class _ParticipantFields(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Organisation.objects.none(),
        empty_label=_("Select an agency"),
        error_messages={
            "required": _("Select the agency"),
            "invalid_choice": _("Select an agency from the list of active partners"),
        },
    )
    role = TextField(
        label=_("Role in the operation"),
        help_text=_("For example: entry team, licensing checks, victim reception."),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the agency’s role in the operation")},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ParticipantForm(GovukFormMixin, _ParticipantFields):
    """An agency to add, among the active partners not yet taking part."""


class ReferencesField(forms.CharField):
    """Intelligence report references, separated by spaces, commas or new lines."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(max_length=2000, **kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        return [reference for reference in _REFERENCE_SEPARATORS.split(text) if reference]


class _TargetFields(forms.Form):
    entity = forms.TypedChoiceField(
        label=_("Hub entity"),
        help_text=_("Search for it above, then select it here."),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Search for the hub entity and select it"),
            "invalid_choice": _("Select a hub entity from the search results"),
        },
    )
    description = TextField(
        label=_("Description for participants"),
        help_text=_(
            "What every participating agency reads, for example: Hand car wash, rear unit. "
            "Agencies that may not read the intelligence see only this."
        ),
        max_length=300,
        required=True,
        error_messages={"required": _("Enter a description for participants")},
    )
    justification = ReferencesField(
        label=_("Intelligence that justifies it"),
        help_text=_("References of intelligence reports you may read, like K7PD-3XQA."),
        error_messages={"required": _("Enter the reference of at least one intelligence report")},
    )

    def __init__(self, *args: Any, entities: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = entities


class TargetForm(GovukFormMixin, _TargetFields):
    """A target chosen among the hub entities the planner found and may read, never typed
    as a number: the choices are the search results (and the entity a page linked from)."""


class _MoveFields(forms.Form):
    to_status = forms.TypedChoiceField(
        label=_("Move the operation to"),
        coerce=OperationStatus,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the status to move to"),
            "invalid_choice": _("Select a status from the list"),
        },
    )
    reason = TextField(
        label=_("Reason (required to cancel, or to go live before the planned start)"),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )

    def __init__(
        self,
        *args: Any,
        next_statuses: list[tuple[str, str]],
        before_start: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = next_statuses
        allowed = dict(next_statuses)
        early_start = before_start and OperationStatus.LIVE in allowed
        if OperationStatus.CANCELLED not in allowed and not early_start:
            del self.fields["reason"]


class MoveForm(GovukFormMixin, _MoveFields):
    """The next status, among the moves allowed now; a reason only when one is needed:
    to cancel, or to bring the start forward by going live before the planned start."""


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": _("Enter a number, 0 or more"),
            "invalid": _("Enter a whole number, 0 or more"),
            "min_value": _("Enter a number, 0 or more"),
            "max_value": _("Enter a smaller number"),
        },
    )


class TargetDebriefForm(GovukFormMixin, forms.Form):
    """What happened at one target."""

    visited = forms.BooleanField(label=_("The target was visited"), required=False)
    people_spoken_to = _count(_("People spoken to"))
    arrests = _count(_("Arrests"))
    charges = _count(_("Charges"))
    warrants_executed = _count(_("Warrants executed"))
    closure_orders = _count(_("Closure orders and notices"))
    items_seized = _count(_("Items seized"))
    disruptions = forms.MultipleChoiceField(
        label=_("Business disrupted by (optional)"),
        choices=EnforcementKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": _("Select kinds of enforcement from the list")},
    )
    outcome_notes = TextField(
        label=_("What happened (optional)"), max_length=TEXT_MAX_LENGTH, rows=5
    )


class DebriefNotesForm(GovukFormMixin, forms.Form):
    notes = TextField(
        label=_("Debrief notes"),
        help_text=_("What went well, what to change, and what follows on."),
        max_length=TEXT_MAX_LENGTH,
        rows=8,
    )


class IntelligenceLinkForm(GovukFormMixin, forms.Form):
    references = ReferencesField(
        label=_("New intelligence generated"),
        help_text=_("References of the intelligence reports the operation produced."),
        error_messages={"required": _("Enter the reference of at least one report")},
    )


class _HandOverFields(SubmittedOnceForm):
    receiving_organisation = forms.ModelChoiceField(
        label=_("Handed to"),
        help_text=_(
            "A participating organisation whose safeguarding lead takes the person on. "
            "It becomes responsible for them and is told at once."
        ),
        queryset=Organisation.objects.none(),
        empty_label=_("Select an organisation"),
        error_messages={
            "required": _("Select the organisation the person is handed to"),
            "invalid_choice": _("Select a participating organisation with a safeguarding lead"),
        },
    )
    target = forms.ModelChoiceField(
        label=_("Where they were found (optional)"),
        queryset=Target.objects.none(),
        required=False,
        empty_label=_("Not at a target"),
        error_messages={"invalid_choice": _("Select a target of this operation")},
    )
    identified_on = date_field(_("Date found"))
    age_at_identification = forms.IntegerField(
        label=_("Estimated age (optional)"),
        help_text=_("Under 18 is a child."),
        required=False,
        min_value=0,
        max_value=OLDEST_AGE,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the estimated age as a whole number of years"),
            "min_value": _("Enter an estimated age of 0 or more"),
            "max_value": _("Enter a smaller estimated age"),
        },
    )
    may_be_child = forms.BooleanField(label=_("The person may be under 18"), required=False)
    gender = choice_field(_("Gender"), Gender.choices, initial=Gender.UNKNOWN)
    nationality = choice_field(
        _("Nationality (optional)"),
        lambda: [("", _("Not known")), *countries],
        required=False,
    )
    languages = TextField(label=_("Languages spoken (optional)"), max_length=200)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    exploitation_types = exploitation_types_field()

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        targets: QuerySet[Target],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiving_organisation"].queryset = organisations
        self.fields["target"].queryset = targets


class HandOverForm(GovukFormMixin, _HandOverFields):
    """A person found in the operation, by non-identifying facts only: the safeguarding lead
    who takes them on records who they are."""
