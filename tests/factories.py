"""Factories for test data. Defaults describe an ordinary partner with a signed ISA."""

import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from lantern.core.models import Organisation, OrganisationType, User
from lantern.core.roles import Role

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda number: f"Partner organisation {number}")
    organisation_type = OrganisationType.CHARITY
    isa_signed_on = datetime.date(2024, 4, 1)
    is_active = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda number: f"person{number}@partner.test")
    full_name = factory.Sequence(lambda number: f"Person {number}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[role.value for role in extracted]))


class IntelligenceReportFactory(factory.django.DjangoModelFactory):
    """A P-coded, 2 / B grading report from an ordinary partner."""

    class Meta:
        model = "intelligence.IntelligenceReport"
        skip_postgeneration_save = True

    class Params:
        # Handling code C with its conditions: no partner but its own may read it.
        restricted = factory.Trait(
            handling_code="C",
            handling_conditions="Police only: live investigation",
            summary="Operation Nightjar target premises",
        )

    reference = factory.Sequence(lambda number: f"TEST-{number:04d}")
    submission_key = factory.Faker("uuid4", cast_to=None)
    summary = factory.Sequence(lambda number: f"Workers living at car wash {number}")
    narrative = "Several men seen sleeping in the unit behind the car wash."
    source_evaluation = "2"
    intelligence_assessment = "B"
    handling_code = "P"
    originating_organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..originating_organisation")
    )

    @factory.post_generation
    def shared_with(self, create: bool, extracted: list[Organisation] | None, **kwargs: object):
        if create and extracted:
            self.shared_with.add(*extracted)

    @factory.post_generation
    def timeline(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Its first timeline entry, as ``services.submit_intelligence`` records it."""
        if create:
            self.status_changes.create(
                to_status="new", changed_by=self.created_by, changed_at=self.created_at
            )


class TaskingFactory(factory.django.DjangoModelFactory):
    """An open tasking of another partner on a report, due in a week."""

    class Meta:
        model = "intelligence.Tasking"

    report = factory.SubFactory(IntelligenceReportFactory, status="tasked")
    organisation = factory.SubFactory(OrganisationFactory)
    submission_key = factory.Faker("uuid4", cast_to=None)
    request = "Visit the car wash and speak to the workers."
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    created_by = factory.SubFactory(UserFactory)
