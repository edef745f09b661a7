"""The review of one record due under the retention schedule: keep it, or dispose of it."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.core.forms import GovukFormMixin
from lantern.housekeeping.disposal import REASON_MAX_LENGTH
from lantern.intelligence.forms import DATE_FORMATS
from lantern.public.forms import TextField

RETAIN = "retain"
DISPOSE = "dispose"


class ReviewForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("What happens to this record?"),
        choices=[
            (RETAIN, _("Keep it, and review it again later")),
            (DISPOSE, _("Dispose of it")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether to keep the record or dispose of it")},
    )
    reason = TextField(
        label=_("Why"),
        help_text=_(
            "Needed to keep the record: the case, victim or pattern it is still needed for. "
            "Write no personal details: the reason stays after the record is disposed of."
        ),
        max_length=REASON_MAX_LENGTH,
        rows=4,
    )
    retain_until = forms.DateField(
        label=_("Next review"),
        help_text=_("If you keep it: a date within ten years, for example 27/3/2030."),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the next review as a real date, like 27/3/2030")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == RETAIN:
            if not data.get("reason", "").strip() and "reason" not in self.errors:
                self.add_error("reason", _("Enter why the record is kept"))
            if data.get("retain_until") is None and "retain_until" not in self.errors:
                self.add_error("retain_until", _("Enter the date of the next review"))
        return data

    @staticmethod
    def suggested_review(period_days: int, today: datetime.date) -> datetime.date:
        """The schedule's period again from today, at most ten years: the default."""
        return today + datetime.timedelta(days=min(period_days, 10 * 365))
