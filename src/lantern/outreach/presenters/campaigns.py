"""What the campaign pages show: short links, QR codes, the year's month grid, filters.

QR codes are drawn with ``segno`` (as the authenticator QR is): SVG for slides and the
web, PNG for print. The short link is the language-neutral address, so one poster serves
English and French visitors alike.
"""

import calendar
import datetime
import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from lantern.outreach.models import Audience, Campaign, CampaignStatus, Channel

QR_FORMATS = ("png", "svg")


def short_url(request: HttpRequest, code: str) -> str:
    """The absolute short link for a campaign or activity code, without a language prefix."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("outreach:landing", args=[code]))


def qr_code(url: str, kind: str) -> tuple[bytes, str]:
    """The QR code of ``url`` as PNG or SVG bytes, and its content type."""
    code = segno.make(url, error="m")
    output = io.BytesIO()
    if kind == "svg":
        code.save(output, kind="svg", scale=10, border=4, title=url)
        return output.getvalue(), "image/svg+xml"
    code.save(output, kind="png", scale=20, border=4)
    return output.getvalue(), "image/png"


def status_tag(status: str) -> str:
    """The GOV.UK tag colour of a campaign status."""
    return {
        CampaignStatus.PLANNED: "govuk-tag--blue",
        CampaignStatus.RUNNING: "govuk-tag--green",
        CampaignStatus.FINISHED: "govuk-tag--grey",
        CampaignStatus.CANCELLED: "govuk-tag--red",
    }.get(status, "govuk-tag--grey")


def channel_labels(campaign: Campaign) -> list[str]:
    labels = dict(Channel.choices)
    return [str(labels[channel]) for channel in campaign.channel_list if channel in labels]


def audience_labels(campaign: Campaign) -> list[str]:
    labels = dict(Audience.choices)
    return [str(labels[audience]) for audience in campaign.audiences if audience in labels]


@dataclass(frozen=True)
class Month:
    number: int
    name: str
    campaigns: list[Campaign]


def year_grid(year: int, campaigns: list[Campaign]) -> list[Month]:
    """Twelve months, each with the campaigns running at some point in it."""
    months = []
    for number in range(1, 13):
        first = datetime.date(year, number, 1)
        last = datetime.date(year, number, calendar.monthrange(year, number)[1])
        running = [
            campaign
            for campaign in campaigns
            if campaign.starts_on <= last and campaign.ends_on >= first
        ]
        months.append(
            Month(
                number=number,
                name=_month_name(first),
                campaigns=running,
            )
        )
    return months


def _month_name(day: datetime.date) -> str:
    from django.utils.dateformat import format as date_format

    return date_format(day, "F")
