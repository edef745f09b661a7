"""A campaign linked as an action's evidence: by its code, only if the user may read it."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lantern.core.roles import Role
from lantern.evaluation import evidence
from lantern.evaluation.models import Evidence
from lantern.evaluation.services import action_plan as services
from tests.outreach.campaigns.factories import CampaignFactory


@pytest.fixture
def campaign(coordinator):
    return CampaignFactory(
        code="K7PD3X", name="Anti-Slavery Day on the radio", created_by=coordinator
    )


def link(actor, action, reference):
    return services.link_evidence(
        action=action,
        actor=actor,
        submission_key=uuid.uuid4(),
        kind="campaign",
        reference=reference,
    )


def test_campaigns_are_offered_as_evidence():
    assert "campaign" in dict(evidence.available_kinds())
    assert "course" in dict(evidence.available_kinds())


def test_the_coordinator_links_a_campaign_by_its_code(coordinator, action, campaign):
    linked = link(coordinator, action, " k7pd3x ")
    assert linked.reference == "K7PD3X"
    assert action.evidence.filter(kind="campaign", reference="K7PD3X").exists()


def test_an_outreach_officer_owning_the_action_links_a_campaign(
    make_user, council, action, campaign
):
    officer = make_user(Role.OUTREACH_OFFICER, organisation=council)
    assert link(officer, action, "K7PD3X").reference == "K7PD3X"


@pytest.mark.parametrize("reference", ["K7PD3Y", "K7PD3X-1", "K7PD3", "<script>", "K7PD 3X"])
def test_a_code_that_is_not_a_campaign_is_refused(coordinator, action, campaign, reference):
    with pytest.raises(ValidationError) as refusal:
        link(coordinator, action, reference)
    assert "reference" in refusal.value.error_dict
    assert not Evidence.objects.exists()


def test_a_partner_who_may_not_read_campaigns_cannot_probe_codes(council_user, action, campaign):
    """The owner's contributor may update the action, but not link (or learn of) a campaign."""
    with pytest.raises(ValidationError) as existing:
        link(council_user, action, "K7PD3X")
    with pytest.raises(ValidationError) as missing:
        link(council_user, action, "K7PD3Y")
    assert existing.value.message_dict == missing.value.message_dict
    assert not Evidence.objects.exists()


def test_the_campaign_is_named_and_linked_only_for_readers(
    client, coordinator, board, action, campaign
):
    link(coordinator, action, "K7PD3X")
    address = reverse("evaluation:action", args=[action.reference])
    campaign_page = reverse("outreach:campaign", args=["K7PD3X"])

    client.force_login(coordinator)
    text = client.get(address).text
    assert "Anti-Slavery Day on the radio (K7PD3X)" in text
    assert f'href="{campaign_page}"' in text

    client.force_login(board)
    text = client.get(address).text
    assert "K7PD3X" in text
    assert "Anti-Slavery Day on the radio" not in text
    assert campaign_page not in text
