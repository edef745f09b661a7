"""Forms of the entities pages: the network's filters and an exclusion's reason."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lantern.core import access
from lantern.core.forms import DATE_FORMATS, GovukFormMixin
from lantern.core.models import Organisation, User
from lantern.entities.chart import ChartFilters
from lantern.entities.models import EntityKind
from lantern.entities.selectors import NetworkFilters
from lantern.entities.services import EXCLUSION_REASON_MAX_LENGTH


class NetworkFilterForm(GovukFormMixin, forms.Form):
    """Which neighbours the network shows; bad dates are named, never a 500."""

    kind = forms.MultipleChoiceField(
        label=_("Kinds of entity"),
        choices=EntityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    since = forms.DateField(
        label=_("Reports from"),
        help_text=_("For example, 1/1/2025."),
        input_formats=DATE_FORMATS,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the first date as a real date, like 1/1/2025")},
    )
    until = forms.DateField(
        label=_("Reports until"),
        help_text=_("For example, 31/12/2026."),
        input_formats=DATE_FORMATS,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the last date as a real date, like 31/12/2026")},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last date must be the same as or after the first date"))
        return data

    def filters(self) -> NetworkFilters:
        if not self.is_valid():
            return NetworkFilters()
        data = self.cleaned_data
        return NetworkFilters(
            kinds=frozenset(data["kind"]), since=data["since"], until=data["until"]
        )


class ExclusionForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why this value should not link reports"),
        help_text=_("For example, a national helpline number or a supermarket car park."),
        max_length=EXCLUSION_REASON_MAX_LENGTH,
        error_messages={"required": _("Enter why this value should not link reports")},
    )


class ChartFilterForm(NetworkFilterForm):
    """The link chart's filters: the network's, and the organisation whose reports count.

    The organisations offered are those whose intelligence the viewer may read: listing
    the others would tell a partner who else holds intelligence.
    """

    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self._user = user
        super().__init__(*args, **kwargs)

    def full_clean(self) -> None:
        # Set here, not after ``__init__``: the GOV.UK mixin validates within it.
        readable = access.readable_intelligence(self._user)
        self.fields["organisation"].choices = [
            ("", _("Every organisation")),
            *Organisation.objects.filter(pk__in=readable.values("originating_organisation_id"))
            .order_by("name")
            .values_list("pk", "name"),
        ]
        super().full_clean()

    def chart_filters(self) -> ChartFilters:
        if not self.is_valid():
            return ChartFilters()
        data = self.cleaned_data
        return ChartFilters(
            kinds=frozenset(data["kind"]),
            organisations=frozenset([data["organisation"]])
            if data["organisation"]
            else frozenset(),
            since=data["since"],
            until=data["until"],
        )
