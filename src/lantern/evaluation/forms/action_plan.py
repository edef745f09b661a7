"""The action plan's forms, in GOV.UK markup.

Forms check the shape of what was typed; the services check the rules (who may, which
owner, which lead, which evidence exists) and name the field they refuse.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantern.core.forms import GovukFormMixin
from lantern.core.models import Organisation, User
from lantern.evaluation.models.action_plan import (
    TEXT_MAX_LENGTH,
    ActionStatus,
    Objective,
    Pillar,
    Rag,
)
from lantern.intelligence.forms import SubmittedOnceForm
from lantern.public.forms import TextField

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


class _ObjectiveFields(SubmittedOnceForm):
    pillar = forms.ChoiceField(
        label=_("Strand of the strategy"),
        choices=Pillar.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select Pursue, Prevent, Protect or Prepare"),
            "invalid_choice": _("Select Pursue, Prevent, Protect or Prepare"),
        },
    )
    title = TextField(
        label=_("Objective"),
        help_text=_("What the partnership means to achieve, in one line."),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the objective")},
    )
    description = TextField(label=_("Description (optional)"), max_length=TEXT_MAX_LENGTH, rows=4)


class ObjectiveForm(GovukFormMixin, _ObjectiveFields):
    """An objective under one of the four Ps."""


class _ActionFields(SubmittedOnceForm):
    objective = forms.ModelChoiceField(
        label=_("Objective"),
        queryset=Objective.objects.none(),
        empty_label=_("Select an objective"),
        error_messages={
            "required": _("Select the objective this action serves"),
            "invalid_choice": _("Select an objective from the list"),
        },
    )
    title = TextField(
        label=_("Action"),
        help_text=_("What will be done, in one line."),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the action")},
    )
    description = TextField(label=_("Description (optional)"), max_length=TEXT_MAX_LENGTH, rows=4)
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Select an organisation"),
        error_messages={
            "required": _("Select the organisation that owns the action"),
            "invalid_choice": _("Select an owner from the list of active partners"),
        },
    )
    lead_name = TextField(
        label=_("Lead (optional)"),
        help_text=_("A role or a name, for example: Modern slavery coordinator."),
        max_length=200,
    )
    lead_user = forms.ModelChoiceField(
        label=_("Or a lead who uses Lantern (optional)"),
        help_text=_("They must work for the owner organisation."),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody chosen"),
        error_messages={"invalid_choice": _("Select a lead from the list")},
    )
    due_on = forms.DateField(
        label=_("Due date"),
        help_text=_("For example 31/3/2027."),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={
            "required": _("Enter the due date"),
            "invalid": _("Enter a real date, like 31/3/2027"),
        },
    )

    def __init__(
        self,
        *args: Any,
        objectives: QuerySet[Objective],
        owners: QuerySet[Organisation],
        leads: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["objective"].label_from_instance = lambda objective: (
            f"{objective.get_pillar_display()}: {objective.title}"
        )
        self.fields["owner"].queryset = owners
        self.fields["lead_user"].queryset = leads
        self.fields["lead_user"].label_from_instance = lambda lead: (
            f"{lead.full_name} ({lead.organisation})"
        )


class ActionForm(GovukFormMixin, _ActionFields):
    """An action: its objective, owner, lead and due date."""


class _ProgressFields(SubmittedOnceForm):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the action’s status"),
            "invalid_choice": _("Select the action’s status from the list"),
        },
    )
    rag = forms.ChoiceField(
        label=_("RAG status"),
        help_text=_("Green: on track. Amber: at risk. Red: will not be met without help."),
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a RAG status"),
            "invalid_choice": _("Select a RAG status from the list"),
        },
    )
    rag_reason = TextField(
        label=_("Reason for the RAG status (required for amber and red)"),
        max_length=1000,
        rows=3,
    )
    note = TextField(label=_("Progress update"), max_length=TEXT_MAX_LENGTH, rows=5)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rag") in {Rag.AMBER, Rag.RED} and not data.get("rag_reason", "").strip():
            self.add_error("rag_reason", _("Say why the action is amber or red"))
        return data


class ProgressForm(GovukFormMixin, _ProgressFields):
    """The owner's report on an action: status, RAG status and what happened."""


class _EvidenceFields(SubmittedOnceForm):
    kind = forms.ChoiceField(
        label=_("Kind of evidence"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the kind of evidence"),
            "invalid_choice": _("Select a kind of evidence from the list"),
        },
    )
    reference = TextField(
        label=_("Reference"),
        help_text=_(
            "An operation’s reference (K7PD-3XQA), a KPI’s code (NRM_REFERRALS), a "
            "campaign’s code (K7PD3X), a training course’s number (12) or the address of "
            "a page in Lantern (/operations/)."
        ),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the reference of the evidence")},
    )
    description = TextField(label=_("What it shows (optional)"), max_length=300)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class EvidenceForm(GovukFormMixin, _EvidenceFields):
    """A Lantern record that shows the action's progress."""


class _FilterFields(forms.Form):
    pillar = forms.ChoiceField(required=False)
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    rag = forms.ChoiceField(required=False)
    overdue = forms.BooleanField(required=False)

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = [("", ""), *Pillar.choices]
        self.fields["owner"].choices = [("", ""), *owners]
        self.fields["rag"].choices = [("", ""), *Rag.choices]


class PlanFilterForm(_FilterFields):
    """The plan's filters, from the query string. A value that is not offered is ignored
    (the filter shows "any"), never an error page."""
