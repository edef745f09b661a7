"""Answers of a report as summary-list rows, for the check page and the hub's view."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from lantern.core.models import ExploitationType, Indicator
from lantern.public.forms import NOT_SURE
from lantern.public.models import ChildrenInvolved, HeardFrom, PublicReport


@dataclass(frozen=True)
class AnswerRow:
    label: str
    values: list[str]
    step: str


def _labels(model: type[Indicator] | type[ExploitationType], codes: list[str]) -> list[str]:
    by_code = {entry.code: entry.label for entry in model.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def answer_rows(answers: dict[str, Any], photo_names: list[str]) -> list[AnswerRow]:
    """One row per question, in the order of the form; empty answers say so."""
    types = _labels(ExploitationType, answers.get("suspected_types", []))
    if NOT_SURE in answers.get("suspected_types", []):
        types.append(str(_("I’m not sure")))
    contact = []
    if answers.get("wants_contact") == "yes":
        contact = [
            answers.get(name, "")
            for name in ("contact_name", "contact_email", "contact_phone")
            if answers.get(name)
        ]
    yes_no = {"yes": _("Yes"), "no": _("No")}
    rows = [
        (
            _("Anyone in immediate danger"),
            [yes_no.get(answers.get("immediate_danger"), "")],
            "danger",
        ),
        (_("What you saw or heard"), [answers.get("what_happened", "")], "what-happened"),
        (_("Signs you noticed"), _labels(Indicator, answers.get("indicators", [])), "signs"),
        (_("Kind of exploitation"), types, "exploitation"),
        (
            _("Anyone under 18"),
            [ChildrenInvolved(answers["children_involved"]).label]
            if answers.get("children_involved") in ChildrenInvolved.values
            else [],
            "exploitation",
        ),
        (_("Where"), [answers.get("location", ""), answers.get("postcode", "")], "where"),
        (_("When"), [answers.get("when", "")], "when"),
        (_("People"), [answers.get("people", "")], "people"),
        (
            _("Vehicles"),
            [answers.get("vehicles", ""), *answers.get("vehicle_registrations", [])],
            "people",
        ),
        (_("Phone numbers"), answers.get("phone_numbers", []), "people"),
        (_("Business"), [answers.get("business_name", "")], "people"),
        (_("Photos"), photo_names, "photos"),
        (_("Contact"), contact or [str(_("Anonymous"))], "contact"),
        (
            _("How you heard about this service"),
            [HeardFrom(answers["heard_from"]).label]
            if answers.get("heard_from") in HeardFrom.values
            else [],
            "heard",
        ),
    ]
    return [
        AnswerRow(label=str(label), values=[str(value) for value in values if value], step=step)
        for label, values, step in rows
    ]


def report_answers(report: PublicReport) -> dict[str, Any]:
    """A stored report in the shape of the form's answers, so both pages share one view."""
    return {
        "immediate_danger": "yes" if report.immediate_danger else "no",
        "what_happened": report.what_happened,
        "indicators": [indicator.code for indicator in report.indicators.all()],
        "suspected_types": [kind.code for kind in report.suspected_types.all()]
        + ([NOT_SURE] if report.type_not_sure else []),
        "children_involved": report.children_involved,
        "location": report.location,
        "postcode": report.postcode,
        "when": report.when,
        "people": report.people,
        "vehicles": report.vehicles,
        "vehicle_registrations": report.vehicle_registrations,
        "phone_numbers": report.phone_numbers,
        "business_name": report.business_name,
        "wants_contact": "yes" if report.consent_to_contact else "no",
        "contact_name": report.contact_name,
        "contact_email": report.contact_email,
        "contact_phone": report.contact_phone,
        "heard_from": report.heard_from,
    }
