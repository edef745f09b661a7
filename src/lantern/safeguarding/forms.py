"""Safeguarding forms, in GOV.UK markup. Each runs the NRM rules (``rules.py``) in ``clean``
so that a refused route is explained on the field it is about before anything is sent."""

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from lantern.core.forms import DATE_FORMATS, GovukFormMixin, exploitation_types_field
from lantern.core.models import LocalAuthorityArea, Organisation
from lantern.intelligence.forms import SubmittedOnceForm
from lantern.public.forms import TextField
from lantern.safeguarding import rules
from lantern.safeguarding.models import (
    OLDEST_AGE,
    SHAREABLE_DETAILS,
    TEXT_MAX_LENGTH,
    ActionKind,
    CompetentAuthority,
    Decision,
    ExploitationLocation,
    Gender,
    NRMReferral,
    Outcome,
    PotentialVictim,
    SupportService,
)

# Labels read "(optional)" on the page; the messages name the field without it.
_lower = lazy(lambda label: str(label).removesuffix(str(_(" (optional)"))).lower(), str)
_AGE_RANGE = format_lazy(_("The estimated age must be between 0 and {oldest}"), oldest=OLDEST_AGE)


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    """A date typed as 27/3/2026, with errors that name the field."""
    return forms.DateField(
        label=label,
        help_text=help_text or _("For example, 27/3/2026."),
        input_formats=DATE_FORMATS,
        required=required,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={
            "required": format_lazy(_("Enter {label}"), label=_lower(label)),
            "invalid": format_lazy(
                _("Enter {label} as a real date, like 27/3/2026"), label=_lower(label)
            ),
        },
    )


def choice_field(
    label: Any,
    choices: Any,
    *,
    required: bool = True,
    required_message: Any = None,
    **kwargs: Any,
) -> Any:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={
            "required": required_message or format_lazy(_("Select {label}"), label=_lower(label)),
            "invalid_choice": format_lazy(_("Select {label} from the list"), label=_lower(label)),
        },
        **kwargs,
    )


def _apply(form: forms.Form, rule: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """Run a rule; its refusal lands on the field it names (or the form if not shown)."""
    try:
        rule(*args, **kwargs)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)


def refusal(rule: Callable[..., None], *args: Any, **kwargs: Any) -> str:
    """Why a route is closed whatever is typed (shown instead of the form), or ""."""
    try:
        rule(*args, **kwargs)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


DETAIL_CHOICES = [
    (name, capfirst(PotentialVictim._meta.get_field(name).verbose_name))
    for name in SHAREABLE_DETAILS
]


class _PersonalFields(forms.Form):
    name = TextField(label=_("Name (optional)"), max_length=200)
    date_of_birth = date_field(
        _("Date of birth (optional)"),
        required=False,
        help_text=_("For example, 27/3/1990. The age is worked out from it."),
    )
    contact = TextField(label=_("Contact details (optional)"), max_length=1000, rows=2)
    address = TextField(label=_("Address (optional)"), max_length=1000, rows=2)
    immigration_status = TextField(label=_("Immigration status (optional)"), max_length=200)


class PersonalDetailsForm(GovukFormMixin, _PersonalFields):
    """Correct the person's details (shown only to those allowed them)."""

    def __init__(self, *args: Any, victim: PotentialVictim, **kwargs: Any) -> None:
        self.victim = victim
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "date_of_birth" not in self.errors:
            _apply(
                self,
                rules.check_personal_details,
                self.victim,
                date_of_birth=data.get("date_of_birth"),
            )
        return data


class _VictimFields(SubmittedOnceForm, _PersonalFields):
    identified_on = date_field(_("Date identified"))
    age_at_identification = forms.IntegerField(
        label=_("Estimated age when identified (optional)"),
        help_text=_("Only when the date of birth is not known. Under 18 is a child."),
        required=False,
        min_value=0,
        max_value=OLDEST_AGE,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the estimated age as a whole number of years"),
            "min_value": _AGE_RANGE,
            "max_value": _AGE_RANGE,
        },
    )
    may_be_child = forms.BooleanField(
        label=_("The person may be under 18"),
        help_text=_(
            "When no age is known but there are reasons to believe the person is a child: "
            "they are treated as a child (referred without consent) until their age is "
            "assessed."
        ),
        required=False,
    )
    gender = choice_field(_("Gender"), Gender.choices, initial=Gender.UNKNOWN)
    nationality = choice_field(
        _("Nationality (optional)"),
        lambda: [("", _("Not known")), *countries],
        required=False,
    )
    languages = TextField(label=_("Languages spoken (optional)"), max_length=200)
    interpreter_needed = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    exploitation_types = exploitation_types_field()
    county_lines = forms.BooleanField(label=_("County lines"), required=False)
    exploitation_location = choice_field(
        _("Where the exploitation happened"),
        ExploitationLocation.choices,
        initial=ExploitationLocation.UK_ONLY,
    )
    area = forms.ModelChoiceField(
        label=_("Local authority area identified in (optional)"),
        queryset=LocalAuthorityArea.objects.all(),
        required=False,
        empty_label=_("Not known"),
        error_messages={"invalid_choice": _("Select a local authority area from the list")},
    )
    operation = forms.ModelChoiceField(
        label=_("Operation the person was identified in (optional)"),
        queryset=None,  # the user's linkable operations, given to __init__
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select a live operation you take part in")},
    )
    target = forms.ModelChoiceField(
        label=_("Operation target (optional)"),
        queryset=None,  # the user's linkable targets, given to __init__
        required=False,
        empty_label=_("None"),
        error_messages={"invalid_choice": _("Select a target of the operation chosen")},
    )
    intelligence = TextField(
        label=_("Reference of the intelligence it came from (optional)"),
        help_text=_("For example, K7PD-3XQA."),
        max_length=12,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    entity = forms.IntegerField(
        label=_("Hub entity number of the person (optional)"),
        help_text=_("The number at the end of the entity page’s address."),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the hub entity number as a whole number"),
            "min_value": _("Enter the hub entity number as a whole number"),
        },
    )

    field_order = [
        "identified_on",
        "name",
        "date_of_birth",
        "age_at_identification",
        "may_be_child",
        "gender",
        "nationality",
        "languages",
        "interpreter_needed",
        "contact",
        "address",
        "immigration_status",
        "exploitation_types",
        "county_lines",
        "exploitation_location",
        "area",
        "operation",
        "target",
        "intelligence",
        "entity",
    ]

    def __init__(
        self,
        *args: Any,
        operations: Any,
        targets: Any,
        find_report: Callable[[str], Any],
        find_entity: Callable[[int], Any],
        **kwargs: Any,
    ) -> None:
        """``operations``/``targets``: the user's linkable ones; the finders look links up."""
        self._find_report, self._find_entity = find_report, find_entity
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = operations
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda target: (
            f"{target.operation.name}: {target.description}"
        )

    def clean_intelligence(self) -> Any:
        reference = self.cleaned_data["intelligence"].strip().upper()
        if not reference:
            return None
        report = self._find_report(reference)
        if report is None:
            raise ValidationError(_("Enter the reference of intelligence you can read"))
        return report

    def clean_entity(self) -> Any:
        number = self.cleaned_data["entity"]
        if number is None:
            return None
        entity = self._find_entity(number)
        if entity is None:
            raise ValidationError(_("Enter the number of a hub entity you can read"))
        return entity

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("identified_on") is not None:
            _apply(
                self,
                rules.check_victim,
                identified_on=data["identified_on"],
                date_of_birth=data.get("date_of_birth"),
                estimated_age=data.get("age_at_identification"),
            )
        target, operation = data.get("target"), data.get("operation")
        if target is not None and (operation is None or target.operation_id != operation.pk):
            self.add_error("target", _("Select a target of the operation chosen"))
        return data


class VictimForm(GovukFormMixin, _VictimFields):
    """Record a potential victim."""


def _case_reference_field() -> forms.CharField:
    return TextField(
        label=_("NRM case reference (optional)"),
        help_text=_("The reference the Home Office gives the case. You can add it later."),
        max_length=30,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )


class _ReferralFields(forms.Form):
    referred_on = date_field(_("Date referred"))
    first_responder_officer = TextField(
        label=_("First Responder officer"),
        help_text=_(
            "The officer who completed the referral and answers the Home Office. Left "
            "empty, it is you."
        ),
        max_length=200,
    )
    case_reference = _case_reference_field()
    consent_given_on = date_field(
        _("Date informed consent was given"),
        required=False,
        help_text=_(
            "An adult (or a person whose age is not known) must give informed consent "
            "before the referral. Leave empty for a child: no consent is needed."
        ),
    )
    competent_authority = choice_field(
        _("Competent authority"), CompetentAuthority.choices, initial=CompetentAuthority.SCA
    )

    def __init__(
        self, *args: Any, victim: PotentialVictim, organisation: Organisation, **kwargs: Any
    ) -> None:
        self.victim, self.organisation = victim, organisation
        super().__init__(*args, **kwargs)

    def refusal(self) -> str:
        """Why no referral can be made here, whatever the dates."""
        return refusal(rules.check_one_route, self.victim, field="referred_on") or refusal(
            rules.check_first_responder, self.organisation
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("referred_on") is None or "consent_given_on" in self.errors:
            return data
        # The same referral sent twice is not a second route: the service returns the first.
        if not rules.repeated_referral(
            self.victim, organisation=self.organisation, referred_on=data["referred_on"]
        ):
            _apply(
                self,
                rules.check_nrm_referral,
                self.victim,
                organisation=self.organisation,
                referred_on=data["referred_on"],
                consent_given_on=data.get("consent_given_on"),
            )
        return data


class NRMReferralForm(GovukFormMixin, _ReferralFields):
    """Refer the person to the National Referral Mechanism."""


def _decision_field(label: Any) -> Any:
    return choice_field(label, [("", _("Not yet decided")), *Decision.choices], required=False)


class _DecisionFields(forms.Form):
    case_reference = _case_reference_field()
    reasonable_grounds = _decision_field(_("Reasonable grounds decision"))
    reasonable_grounds_on = date_field(_("Reasonable grounds decision date"), required=False)
    conclusive_grounds = _decision_field(_("Conclusive grounds decision"))
    conclusive_grounds_on = date_field(_("Conclusive grounds decision date"), required=False)
    reconsideration_requested_on = date_field(
        _("Date reconsideration was requested"),
        required=False,
        help_text=_("Only after a negative decision."),
    )
    reconsideration = _decision_field(_("Reconsideration outcome"))
    reconsideration_on = date_field(_("Reconsideration decision date"), required=False)

    def __init__(self, *args: Any, referral: NRMReferral, **kwargs: Any) -> None:
        self.referral = referral
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            decisions = {name: value for name, value in data.items() if name != "case_reference"}
            _apply(self, rules.check_decisions, self.referral, **decisions)
        return data


class NRMDecisionForm(GovukFormMixin, _DecisionFields):
    """The competent authority's decisions as they now stand."""


class _DutyToNotifyFields(forms.Form):
    notified_on = date_field(_("Date notified"))
    identified_with_consent = forms.BooleanField(
        label=_("The person agreed to be identified in the notification"),
        help_text=_("Otherwise the notification is anonymous."),
        required=False,
    )

    def __init__(
        self, *args: Any, victim: PotentialVictim, organisation: Organisation, **kwargs: Any
    ) -> None:
        self.victim, self.organisation = victim, organisation
        super().__init__(*args, **kwargs)

    def refusal(self) -> str:
        return refusal(
            rules.check_duty_to_notify,
            self.victim,
            organisation=self.organisation,
            notified_on=timezone.localdate(),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("notified_on") is not None and not rules.repeated_notification(
            self.victim, organisation=self.organisation, notified_on=data["notified_on"]
        ):
            _apply(
                self,
                rules.check_duty_to_notify,
                self.victim,
                organisation=self.organisation,
                notified_on=data["notified_on"],
            )
        return data


class DutyToNotifyForm(GovukFormMixin, _DutyToNotifyFields):
    """A Duty to Notify report for an adult who does not consent to an NRM referral."""


class _ActionFields(SubmittedOnceForm):
    kind = choice_field(_("Action"), ActionKind.choices, widget=forms.RadioSelect)
    done_on = date_field(_("Date of the action"))
    note = TextField(label=_("What was done (optional)"), max_length=TEXT_MAX_LENGTH, rows=4)

    def __init__(self, *args: Any, victim: PotentialVictim, **kwargs: Any) -> None:
        self.victim = victim
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("done_on") is not None:
            _apply(self, rules.check_action, self.victim, done_on=data["done_on"])
        return data


class ActionForm(GovukFormMixin, _ActionFields):
    """Something done for the person."""


class _SupportReferralFields(SubmittedOnceForm):
    to_organisation = forms.ModelChoiceField(
        label=_("Organisation to refer to"),
        queryset=Organisation.objects.none(),
        empty_label=_("Select an organisation"),
        error_messages={
            "required": _("Select the organisation to refer to"),
            "invalid_choice": _("Select an organisation from the list of active partners"),
        },
    )
    service = choice_field(_("Support asked for"), SupportService.choices)
    request_text = TextField(
        label=_("What is asked"),
        max_length=TEXT_MAX_LENGTH,
        rows=4,
        required=True,
        error_messages={"required": _("Enter what is asked")},
    )
    shared_details = forms.MultipleChoiceField(
        label=_("Personal details to share (optional)"),
        help_text=_("The organisation sees only these until it accepts the referral."),
        choices=DETAIL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Select the details to share from the list")},
    )
    consented = forms.BooleanField(
        label=_("The person consented to share the details selected"), required=False
    )
    consent_override_reason = TextField(
        label=_("Legal basis for sharing without consent"),
        help_text=_("Only when the person did not consent, for example to protect a child."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        from_organisation: Organisation,
        held: tuple[str, ...],
        **kwargs: Any,
    ) -> None:
        self.from_organisation = from_organisation
        self.held = held
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations
        # Only the details the referrer holds can be passed on.
        self.fields["shared_details"].choices = [
            (name, label) for name, label in DETAIL_CHOICES if name in held
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("to_organisation") is not None and "shared_details" not in self.errors:
            _apply(
                self,
                rules.check_support_referral,
                from_organisation=self.from_organisation,
                to_organisation=data["to_organisation"],
                shared_details=data.get("shared_details", []),
                held=self.held,
                consented=data.get("consented", False),
                consent_override_reason=data.get("consent_override_reason", ""),
            )
        return data


class SupportReferralForm(GovukFormMixin, _SupportReferralFields):
    """Refer the person to another partner for support."""


class _SupportDecisionFields(forms.Form):
    accept = choice_field(
        _("Does your organisation accept the referral?"),
        [("yes", _("Yes, we accept it")), ("no", _("No, we decline it"))],
        widget=forms.RadioSelect,
        required_message=_("Select whether your organisation accepts the referral"),
    )
    decline_reason = TextField(
        label=_("Reason for declining"),
        help_text=_("Required when you decline."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        self.status = status
        super().__init__(*args, **kwargs)

    def clean_accept(self) -> bool:
        return self.cleaned_data["accept"] == "yes"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "accept" in data:
            _apply(
                self,
                rules.check_support_decision,
                status=self.status,
                accept=data["accept"],
                decline_reason=data.get("decline_reason", ""),
            )
        return data


class SupportDecisionForm(GovukFormMixin, _SupportDecisionFields):
    """Accept or decline a support referral."""


class _OutcomeFields(forms.Form):
    outcome = choice_field(
        _("Outcome"),
        Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Safeguarded means a place of safety or police protection was recorded, or a "
            "support referral was accepted."
        ),
    )
    outcome_recorded_on = date_field(_("Date of the outcome"))

    def __init__(self, *args: Any, victim: PotentialVictim, **kwargs: Any) -> None:
        self.victim = victim
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") and data.get("outcome_recorded_on") is not None:
            _apply(
                self,
                rules.check_outcome,
                self.victim,
                outcome=data["outcome"],
                recorded_on=data["outcome_recorded_on"],
            )
        return data


class OutcomeForm(GovukFormMixin, _OutcomeFields):
    """Where the person ended up."""


class _StatisticsFields(forms.Form):
    since = date_field(_("From"), required=False, help_text=_("For example, 1/4/2026."))
    until = date_field(_("To"), required=False, help_text=_("For example, 31/3/2027."))

    def clean(self) -> dict[str, Any]:
        """Both dates between ``rules.EARLIEST_DATE`` and today, so no date sum can overflow."""
        data = super().clean()
        for field, label in (("since", _("The start date")), ("until", _("The end date"))):
            if data.get(field) is not None:
                _apply(self, rules.check_event_date, field, data[field], label)
        if self.errors:
            return data
        today = timezone.localdate()
        data["until"] = data.get("until") or today
        data["since"] = data.get("since") or max(
            rules.EARLIEST_DATE, data["until"] - datetime.timedelta(days=364)
        )
        if data["since"] > data["until"]:
            self.add_error("since", _("The start date must be on or before the end date"))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for; the last twelve months when none or a wrong one is given."""
        if self.is_valid():
            return self.cleaned_data["since"], self.cleaned_data["until"]
        today = timezone.localdate()
        return today - datetime.timedelta(days=364), today


class StatisticsForm(GovukFormMixin, _StatisticsFields):
    """The period the statistics cover."""
