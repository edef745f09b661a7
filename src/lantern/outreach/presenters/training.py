"""What training pages show: figures formatted for reading, the session's QR code."""

from dataclasses import dataclass
from typing import Any

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from lantern.outreach.models.training import TrainingSession
from lantern.outreach.statistics import MIN_ATTEMPTS_FOR_ITEMS, PairedResult


def percent(value: float | None, *, signed: bool = False) -> str:
    """``42%``, ``+140%``; an en dash when there is no figure."""
    if value is None:
        return "–"
    text = formats.number_format(round(value), use_l10n=True)
    if signed and value > 0:
        text = f"+{text}"
    return f"{text}%"


def decimal(value: float | None, places: int = 2) -> str:
    if value is None:
        return "–"
    return formats.number_format(round(value, places), places, use_l10n=True)


@dataclass(frozen=True)
class PairedFigures:
    """A paired comparison as the results page reads it."""

    n: int
    mean_pre: str
    mean_post: str
    relative_change: str
    normalised_gain: str
    difference: str
    interval: str
    p: str
    hidden: bool = False


def paired_figures(result: PairedResult | None) -> PairedFigures | None:
    """The figures of a comparison; under 5 pairs only their number, since the means of
    one to four people come close to telling each one's scores."""
    if result is None:
        return None
    if result.n < MIN_ATTEMPTS_FOR_ITEMS:
        return PairedFigures(result.n, "–", "–", "–", "–", "–", "–", "–", hidden=True)
    interval = "–"
    if result.ci_low is not None and result.ci_high is not None:
        interval = _("%(low)s to %(high)s points") % {
            "low": decimal(result.ci_low, 1),
            "high": decimal(result.ci_high, 1),
        }
    p = "–"
    if result.p is not None:
        p = "< 0.001" if result.p < 0.001 else decimal(result.p, 3)
    return PairedFigures(
        n=result.n,
        mean_pre=percent(result.mean_pre),
        mean_post=percent(result.mean_post),
        relative_change=percent(
            None if result.relative_change is None else 100 * result.relative_change, signed=True
        ),
        normalised_gain=decimal(result.normalised_gain),
        difference=_("%(points)s points") % {"points": decimal(result.mean_difference, 1)},
        interval=interval,
        p=p,
    )


def attendee_url(request: HttpRequest, session: TrainingSession) -> str:
    """The address attendees open on their phones (the QR code holds it)."""
    return request.build_absolute_uri(reverse("outreach:attendee_session", args=[session.code]))


def qr_code_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2)


def reach_tables(totals: dict[str, Any]) -> dict[str, Any]:
    """The reach page's tables: by sector (labelled), by year, by organisation."""
    from lantern.core.models import OrganisationType

    labels = dict(OrganisationType.choices)
    return {
        "total": totals["total"],
        "tables": [
            (
                _("By sector"),
                [(labels.get(code, code), count) for code, count in totals["by_sector"]],
            ),
            (_("By year"), totals["by_year"]),
            (_("By organisation"), totals["by_organisation"]),
        ],
    }
