"""Support referrals go only to organisations that work with victims, as the partner
directory records it: enforcement agencies are not asked for accommodation."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.core.roles import Role
from lantern.safeguarding import selectors, services
from lantern.safeguarding.models import SupportReferral
from tests.factories import OrganisationFactory
from tests.safeguarding.factories import VictimFactory


@pytest.fixture
def lead(make_user, council):
    return make_user(Role.SAFEGUARDING_LEAD, organisation=council)


@pytest.fixture
def victim(council):
    return VictimFactory(
        identified_by=council, identified_on=timezone.localdate() - datetime.timedelta(days=2)
    )


@pytest.fixture
def immigration(db):
    return OrganisationFactory(name="Immigration Enforcement", organisation_type="public_body")


@pytest.fixture
def refuge(db):
    return OrganisationFactory(name="Women's refuge", helps_with_victims=True)


def refer(lead, victim, organisation):
    return services.refer_for_support(
        actor=lead,
        victim=victim,
        submission_key=uuid.uuid4(),
        to_organisation=organisation,
        service="housing",
        request_text="A safe room tonight",
        shared_details=["name"],
        consented=True,
    )


def test_only_organisations_working_with_victims_are_offered(lead, immigration, refuge):
    offered = list(selectors.support_organisations(lead))

    assert refuge in offered
    assert immigration not in offered


def test_an_organisation_that_does_not_work_with_victims_is_refused_on_its_field(
    lead, victim, immigration
):
    with pytest.raises(ValidationError) as refusal:
        refer(lead, victim, immigration)

    assert "works with victims" in refusal.value.message_dict["to_organisation"][0]
    assert not SupportReferral.objects.exists()


def test_an_organisation_working_with_victims_receives_the_referral(lead, victim, refuge):
    assert refer(lead, victim, refuge).to_organisation == refuge


def test_the_form_lists_only_organisations_working_with_victims(
    client, lead, victim, immigration, refuge
):
    client.force_login(lead)

    page = client.get(
        f"/safeguarding/victims/{victim.reference}/support-referrals/new/"
    ).content.decode()

    assert "Women&#x27;s refuge" in page
    assert "Immigration Enforcement" not in page
