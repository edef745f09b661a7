"""Analysts confirm or reject suggested matches; a merge keeps every source and can be undone."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities import services
from lantern.entities.models import Entity, Match, MatchStatus
from tests.entities.factories import MatchFactory
from tests.factories import IntelligenceReportFactory

BORN = datetime.date(1988, 11, 2)


@pytest.fixture
def suggestion(mention, police, council):
    first = IntelligenceReportFactory(originating_organisation=police)
    second = IntelligenceReportFactory(originating_organisation=council)
    mention(first, "person", "Ion Rusu", date_of_birth=BORN)
    mention(second, "person", "RUSU Ion", date_of_birth=BORN)
    return Match.objects.get()


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


def decide(client, match, decision, **data):
    return client.post(f"/entities/matches/{match.pk}/{decision}/", data)


def test_the_analyst_sees_the_suggestion_on_the_report_and_in_the_queue(analyst, suggestion):
    report = suggestion.entity.mentions.get().report

    report_page = analyst.get(f"/intelligence/{report.reference}/").content.decode()
    queue = analyst.get("/entities/matches/").content.decode()
    triage = analyst.get("/intelligence/triage/").content.decode()

    assert "Matches 1 existing entity" in report_page
    assert "Same date of birth" in report_page
    assert "Ion Rusu" in queue and "RUSU Ion" in queue
    assert "existing entity matched" in triage


def test_confirming_merges_and_the_entity_keeps_both_sources(analyst, suggestion):
    response = decide(analyst, suggestion, "confirm")

    suggestion.refresh_from_db()
    survivor = suggestion.candidate
    page = analyst.get(f"/entities/{survivor.pk}/").content.decode()
    assert response.status_code == 302
    assert suggestion.status == MatchStatus.CONFIRMED
    assert suggestion.decided_by == analyst.user
    assert Entity.objects.get(pk=suggestion.entity_id).merged_into == survivor
    assert "Ion Rusu" in page and "RUSU Ion" in page
    assert "Corroborated by 2 agencies" in page
    assert AuditEvent.objects.filter(action="entities.match_confirmed").exists()


def test_the_absorbed_entity_page_leads_to_the_survivor(analyst, suggestion):
    decide(analyst, suggestion, "confirm")

    response = analyst.get(f"/entities/{suggestion.entity_id}/")

    assert response.status_code == 302
    assert response["Location"] == f"/entities/{suggestion.candidate_id}/"


def test_a_merge_can_be_undone(analyst, suggestion):
    decide(analyst, suggestion, "confirm")
    page = analyst.get(f"/entities/{suggestion.candidate_id}/").content.decode()
    assert "Merged from" in page
    assert f"Confirmed by {analyst.user.full_name}" in page
    assert f'action="/entities/matches/{suggestion.pk}/undo/"' in page

    decide(analyst, suggestion, "undo")

    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.UNDONE
    assert Entity.objects.get(pk=suggestion.entity_id).merged_into is None
    assert AuditEvent.objects.filter(action="entities.merge_undone").exists()


def test_undoing_waits_for_a_later_merge_to_be_undone_first(analyst, suggestion, mention):
    decide(analyst, suggestion, "confirm")
    other = mention(IntelligenceReportFactory(), "person", "Ion Rusu senior").entity
    later = MatchFactory(entity=suggestion.candidate, candidate=other)
    services.confirm_match(match=later, actor=analyst.user)

    response = decide(analyst, suggestion, "undo")

    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.CONFIRMED
    page = analyst.get(response["Location"]).content.decode()
    assert "undo the later merge first" in page
    decide(analyst, later, "undo")
    assert decide(analyst, suggestion, "undo").status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.UNDONE
    assert not Entity.objects.filter(merged_into__isnull=False).exists()


def test_rejecting_leaves_both_apart_and_is_not_suggested_again(analyst, suggestion):
    decide(analyst, suggestion, "reject")

    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.REJECTED
    assert Entity.objects.filter(merged_into__isnull=False).count() == 0
    assert decide(analyst, suggestion, "confirm").status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.REJECTED


def test_entities_of_different_kinds_are_never_merged(analyst, mention):
    report = IntelligenceReportFactory()
    person = mention(report, "person", "Ion Rusu").entity
    place = mention(report, "location", "Ion Rusu Road, LE2 7AA").entity
    match = MatchFactory(entity=place, candidate=person, confidence=0.99)

    with pytest.raises(ValidationError):
        services.confirm_match(match=match, actor=analyst.user)

    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
    assert Entity.objects.filter(merged_into__isnull=False).count() == 0


def test_partners_cannot_decide_or_see_the_queue(signed_in, suggestion):
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)

    assert partner.get("/entities/matches/").status_code == 403
    assert decide(partner, suggestion, "confirm").status_code == 404
    excluded = partner.post(f"/entities/{suggestion.candidate_id}/exclude/", {"reason": "Mine"})
    page = partner.get(f"/entities/{suggestion.candidate_id}/").content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == MatchStatus.SUGGESTED
    assert excluded.status_code == 403
    assert not Entity.objects.filter(excluded_at__isnull=False).exists()
    assert "Exclude this value from linking" not in page
    assert "Suggested matches" not in page


def test_an_unknown_decision_or_a_foreign_return_address_is_refused(analyst, suggestion):
    assert decide(analyst, suggestion, "explode").status_code == 404
    response = decide(analyst, suggestion, "reject", next="https://evil.example/")
    assert response["Location"] == "/entities/matches/"


def test_an_analyst_excludes_a_common_value_with_a_reason(analyst, mention):
    report = IntelligenceReportFactory()
    helpline = mention(report, "phone", "0116 496 0000").entity

    refused = analyst.post(f"/entities/{helpline.pk}/exclude/", {"reason": ""})
    accepted = analyst.post(f"/entities/{helpline.pk}/exclude/", {"reason": "Council switchboard"})

    helpline.refresh_from_db()
    assert refused.status_code == 400
    assert "Enter why this value should not link reports" in refused.content.decode()
    assert accepted.status_code == 302
    assert helpline.exclusion_reason == "Council switchboard"
    page = analyst.get(f"/entities/{helpline.pk}/").content.decode()
    assert "Not evidence: excluded by an analyst" in page and "Council switchboard" in page
    analyst.post(f"/entities/{helpline.pk}/include/")
    helpline.refresh_from_db()
    assert not helpline.is_excluded


def test_the_network_filters_by_kind_and_names_bad_dates(analyst, mention):
    report = IntelligenceReportFactory()
    phone = mention(report, "phone", "07700 900222").entity
    mention(report, "vehicle", "FD19 XKP")
    mention(report, "person", "Marek Nowak")

    only_vehicles = analyst.get(f"/entities/{phone.pk}/", {"kind": "vehicle"}).content.decode()
    bad_date = analyst.get(f"/entities/{phone.pk}/", {"since": "31/02/2025"})

    assert "FD19 XKP" in only_vehicles
    assert "Marek Nowak" not in only_vehicles
    assert bad_date.status_code == 200
    assert "Enter the first date as a real date" in bad_date.content.decode()


def test_an_excluded_value_links_nothing_further_in_the_network(analyst, mention):
    first, second = IntelligenceReportFactory.create_batch(2)
    phone = mention(first, "phone", "07700 900333").entity
    helpline = mention(first, "phone", "0116 496 0000").entity
    mention(second, "phone", "0116 496 0000")
    mention(second, "vehicle", "KX70 LMN")
    services.exclude_entity(entity=helpline, actor=analyst.user, reason="Helpline")

    page = analyst.get(f"/entities/{phone.pk}/").content.decode()

    assert "0116 496 0000" in page
    assert "KX70 LMN" not in page
