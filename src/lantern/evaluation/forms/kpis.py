"""What a KPI page and a board pack are asked for: a year, a baseline, a breakdown.

Only values offered in the page are accepted; anything else is refused with a message
naming the field, before any figure is computed.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.evaluation import periods
from lantern.evaluation.measures import Breakdown


def year_choices() -> list[tuple[int, str]]:
    return [(year.start_year, year.label) for year in periods.selectable_years()]


class KpiPeriodForm(forms.Form):
    """The year shown, the year compared with, the trend's step and the breakdown."""

    year = forms.TypedChoiceField(
        label=_("Year (April to March)"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )
    baseline = forms.TypedChoiceField(
        label=_("Compared with"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a baseline year from the list.")},
    )
    by = forms.ChoiceField(
        label=_("Trend by"),
        choices=[(periods.QUARTER, _("Quarter")), (periods.MONTH, _("Month"))],
        required=False,
        error_messages={"invalid_choice": _("Choose quarter or month.")},
    )
    breakdown = forms.ChoiceField(
        label=_("Break down by"),
        required=False,
        error_messages={"invalid_choice": _("Choose a breakdown from the list.")},
    )

    def __init__(
        self,
        data: Any = None,
        *,
        breakdowns: list[Breakdown] = (),
        monthly: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        years = year_choices()
        self.fields["year"].choices = years
        self.fields["baseline"].choices = [("", _("The KPI's baseline")), *years]
        self.fields["breakdown"].choices = [
            ("", _("No breakdown")),
            *((breakdown.code, breakdown.label) for breakdown in breakdowns),
        ]
        if not monthly:
            self.fields["by"].choices = [(periods.QUARTER, _("Quarter"))]
        if not breakdowns:
            del self.fields["breakdown"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, baseline = data.get("year"), data.get("baseline")
        if year in (None, ""):
            data["year"] = periods.last_complete_year().start_year
        if baseline is not None and data.get("year") is not None and baseline >= data["year"]:
            self.add_error("baseline", _("The baseline year must be before the year shown."))
        data["by"] = data.get("by") or periods.QUARTER
        data["breakdown"] = data.get("breakdown") or ""
        return data


class BoardPackForm(forms.Form):
    """A board pack: the year it covers, its format and its language."""

    year = forms.TypedChoiceField(
        label=_("Year (April to March)"),
        coerce=int,
        error_messages={
            "required": _("Choose the year the board pack covers."),
            "invalid_choice": _("Choose a year from the list."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("pdf", _("PDF document")), ("xlsx", _("Excel workbook"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose PDF or Excel."),
            "invalid_choice": _("Choose PDF or Excel."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("en-gb", "English"), ("fr", "Français")],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose English or French."),
            "invalid_choice": _("Choose English or French."),
        },
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["year"].choices = year_choices()
