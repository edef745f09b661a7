"""The entity page lists the potential victims linked to it, by reference only, and only
to those who may see who they are: the entity page names the person."""

import pytest
from django.urls import reverse

from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.intelligence.services.mentions import add_mentions
from tests.safeguarding.factories import VictimFactory

SECRET = "Secret Victimname"


@pytest.fixture
def linked(police, charity, report, person_entity):
    [mention] = add_mentions(
        report, [MentionData(kind="person", role="potential_victim", value="Z Novakova")]
    )
    absorbed = mention.entity
    absorbed.merged_into = person_entity
    absorbed.save()
    return {
        "root": VictimFactory(identified_by=police, entity=person_entity, name=SECRET),
        "absorbed": VictimFactory(identified_by=police, entity=absorbed, name=SECRET),
        "elsewhere": VictimFactory(identified_by=charity, entity=person_entity, name=SECRET),
    }


@pytest.mark.parametrize(
    ("role", "place", "shown"),
    [
        (Role.SAFEGUARDING_LEAD, "police", {"root", "absorbed"}),
        (Role.HUB_COORDINATOR, "police", {"root", "absorbed", "elsewhere"}),
        (Role.HUB_ANALYST, "police", set()),
        (Role.PARTNER_CONTRIBUTOR, "charity", set()),
    ],
)
def test_only_readable_victims_by_reference(
    client, make_user, police, charity, person_entity, linked, role, place, shown
):
    organisation = {"police": police, "charity": charity}[place]
    client.force_login(make_user(role, organisation=organisation))
    page = client.get(reverse("entities:entity", args=[person_entity.pk])).content.decode()
    assert {key for key, victim in linked.items() if victim.reference in page} == shown
    assert ('id="victims"' in page) == bool(shown)
    assert SECRET not in page
