"""Factories for campaigns: built through the services where the services add rules."""

import datetime
import uuid

import factory

from lantern.outreach.services import campaigns as services
from lantern.public import services as public_services
from tests.factories import UserFactory
from tests.public.test_report import ANSWERS


class CampaignFactory(factory.django.DjangoModelFactory):
    """An October campaign around Anti-Slavery Day, on social media and local radio."""

    class Meta:
        model = "outreach.Campaign"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda number: f"TST{number:03d}"[:6])
    submission_key = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda number: f"Anti-Slavery Day {number}")
    purpose = "Help people in the city spot the signs and know where to report."
    starts_on = datetime.date(2026, 10, 1)
    ends_on = datetime.date(2026, 10, 31)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def channels(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            for channel in extracted if extracted is not None else ["social_media", "local_radio"]:
                self.channel_rows.create(channel=channel)


def report_through(code: str = "", heard_from: str = "", **changes: dict) -> object:
    """A public report sent as the form sends one, with a campaign code and an answer."""
    answers: dict = {}
    for page in ANSWERS.values():
        answers.update(page)
    answers.pop("action", None)
    answers.update({"vehicle_registrations": [], "phone_numbers": [], "heard_from": heard_from})
    answers["postcode"] = "LE1 5AB"
    answers.update(changes)
    report, _token = public_services.submit_report(
        submission_key=uuid.uuid4(), answers=answers, language="en-gb", campaign_code=code
    )
    return report


def activity(campaign, actor, **fields):
    values = {
        "title": "Post on Anti-Slavery Day",
        "channel": "social_media",
        "happened_on": datetime.date(2026, 10, 18),
        "reach": {"impressions": 5400, "link_clicks": 120},
        **fields,
    }
    return services.record_activity(
        campaign=campaign, actor=actor, submission_key=uuid.uuid4(), **values
    )
