"""Factories for potential victims and the records around them."""

import datetime

import factory
from django.utils import timezone

from lantern.core.models import OrganisationType
from tests.factories import OrganisationFactory, UserFactory


class FirstResponderFactory(OrganisationFactory):
    """A police force: a First Responder Organisation and a public authority under s.52."""

    name = factory.Sequence(lambda number: f"Police force {number}")
    organisation_type = OrganisationType.POLICE
    is_first_responder = True


class VictimFactory(factory.django.DjangoModelFactory):
    """An adult identified a month ago by a First Responder Organisation."""

    class Meta:
        model = "safeguarding.PotentialVictim"

    reference = factory.Sequence(lambda number: f"PV{number:02d}-TEST")
    submission_key = factory.Faker("uuid4", cast_to=None)
    name = factory.Sequence(lambda number: f"Zdenka Novakova{number}")
    identified_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    age_at_identification = 30
    identified_by = factory.SubFactory(FirstResponderFactory)
    recorded_by = factory.SubFactory(
        UserFactory, organisation=factory.SelfAttribute("..identified_by")
    )


class NRMReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "safeguarding.NRMReferral"

    victim = factory.SubFactory(VictimFactory)
    referring_organisation = factory.SelfAttribute("victim.identified_by")
    referred_on = factory.SelfAttribute("victim.identified_on")
    consent_given_on = factory.SelfAttribute("victim.identified_on")
    referred_by = factory.SelfAttribute("victim.recorded_by")


class SupportReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "safeguarding.SupportReferral"

    victim = factory.SubFactory(VictimFactory)
    from_organisation = factory.SelfAttribute("victim.identified_by")
    to_organisation = factory.SubFactory(OrganisationFactory)
    service = "support_provider"
    request = "Safe house place for an adult woman."
    shared_details = factory.LazyFunction(lambda: ["name"])
    referred_by = factory.SelfAttribute("victim.recorded_by")
