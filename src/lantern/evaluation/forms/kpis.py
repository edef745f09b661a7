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


class YearForm(forms.Form):
    """Just the year (the outcome chain)."""

    year = forms.TypedChoiceField(
        label=_("Year (April to March)"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["year"].choices = year_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("year") in (None, ""):
            data["year"] = periods.last_complete_year().start_year
        return data


def _measure_choices() -> list[tuple[str, str]]:
    from lantern.evaluation import measures

    return [("", _("Choose what is counted")), *measures.measure_choices()]


class KpiTargetForm(forms.Form):
    """The baseline year, the target and whether the KPI is a headline figure."""

    baseline_year = forms.TypedChoiceField(
        label=_("Baseline year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a baseline year from the list.")},
    )
    target = forms.DecimalField(
        label=_("Target figure"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        help_text=_("In the KPI's own unit. Leave empty for no target."),
    )
    is_headline = forms.BooleanField(label=_("Show as a headline figure"), required=False)

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["baseline_year"].choices = [("", _("No baseline")), *year_choices()]


class KpiForm(KpiTargetForm):
    """A new KPI from the registered measures."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, numbers and hyphens, e.g. victims-safeguarded."),
    )
    name = forms.CharField(label=_("Name in English"), max_length=200)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200)
    measure = forms.ChoiceField(
        label=_("What is counted"),
        error_messages={
            "required": _("Choose what is counted."),
            "invalid_choice": _("Choose what is counted from the list."),
        },
    )
    statistic = forms.ChoiceField(label=_("Statistic"))
    denominator = forms.ChoiceField(
        label=_("Counted out of (for a percentage)"),
        required=False,
        error_messages={"invalid_choice": _("Choose what the share is taken of from the list.")},
    )
    direction = forms.ChoiceField(label=_("Better when"))
    note = forms.CharField(
        label=_("Note in English"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say how to read the figure where “up” is ambiguous."),
    )
    note_fr = forms.CharField(
        label=_("Note in French"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "code",
        "name",
        "name_fr",
        "measure",
        "statistic",
        "denominator",
        "direction",
        "note",
        "note_fr",
        "baseline_year",
        "target",
        "is_headline",
    ]

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        from lantern.evaluation.models import Direction, Statistic

        super().__init__(data, **kwargs)
        self.fields["measure"].choices = _measure_choices()
        self.fields["denominator"].choices = [("", _("Nothing")), *_measure_choices()[1:]]
        self.fields["statistic"].choices = Statistic.choices
        self.fields["direction"].choices = Direction.choices
        self.order_fields(self.field_order)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].lower()
