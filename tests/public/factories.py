"""Factories for the public's reports."""

import datetime

import factory
from django.utils import timezone


class PublicReportFactory(factory.django.DjangoModelFactory):
    """A concern from the public in English, with no one in immediate danger.

    ``submitted_at`` is automatic on saving: pass ``submitted_on`` (a date) to place the
    report on that day, at noon.
    """

    class Meta:
        model = "public.PublicReport"

    reference = factory.Sequence(lambda number: f"PR-T{number:04d}")
    submission_key = factory.Faker("uuid4", cast_to=None)
    follow_up_token_hash = factory.Sequence(lambda number: f"{number:064d}")
    language = "en-gb"
    immediate_danger = False
    what_happened = "Men sleeping at the car wash."
    children_involved = "no"
    location = "Belgrave Road"

    @classmethod
    def _create(cls, model_class, *args, submitted_on: datetime.date | None = None, **kwargs):
        report = super()._create(model_class, *args, **kwargs)
        if submitted_on is not None:
            noon = datetime.datetime.combine(submitted_on, datetime.time(12))
            report.submitted_at = timezone.make_aware(noon)
            model_class.objects.filter(pk=report.pk).update(submitted_at=report.submitted_at)
        return report
