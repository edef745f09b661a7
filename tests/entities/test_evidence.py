"""A value is not evidence because of what it is, never because it is frequent.

The van many agencies saw is the strongest lead: it keeps its reports, its count and its
links. A frequent phone, email or place is labelled "frequent" and stops only suggesting
matches; a helpline on the shipped list, or a value an analyst excluded, links nothing.
"""

import pytest

from lantern.core import normalisers
from lantern.core.roles import Role
from lantern.entities import evidence, selectors
from lantern.entities.models import Match
from tests.factories import IntelligenceReportFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(signed_in):
    return signed_in(Role.HUB_ANALYST)


def reports_by_different_agencies(count):
    return [
        IntelligenceReportFactory(originating_organisation=OrganisationFactory())
        for _ in range(count)
    ]


def test_every_known_service_has_its_source_and_is_found_however_written():
    services = evidence.known_services()

    assert all(service.source and service.name for service in services.values())
    written = normalisers.mention_key("phone", "+44 8000 121700")
    assert evidence.known_service("phone", written).name.startswith("Modern Slavery")
    assert evidence.known_service("vehicle", written) is None


def test_a_van_in_many_reports_is_a_lead_not_a_helpline(analyst, mention, settings):
    settings.ENTITY_COMMON_VALUE_LIMIT = 3
    reports = reports_by_different_agencies(5)
    van, *_others = [mention(report, "vehicle", "FD19 XKP").entity for report in reports]

    page = analyst.get(f"/entities/{van.pk}/").content.decode()

    assert "Corroborated by 5 agencies" in page
    for report in reports:
        assert report.reference in page
    for wrong in ("Frequent", "Not evidence", "probably a helpline", "Too common"):
        assert wrong not in page


def test_a_frequent_phone_shows_its_count_and_agencies_and_all_its_reports(
    analyst, mention, settings
):
    settings.ENTITY_COMMON_VALUE_LIMIT = 3
    reports = reports_by_different_agencies(4)
    reports.append(
        IntelligenceReportFactory(originating_organisation=reports[0].originating_organisation)
    )
    phone, *_others = [mention(report, "phone", "07700 900555").entity for report in reports]

    page = analyst.get(f"/entities/{phone.pk}/").content.decode()
    report_page = analyst.get(f"/intelligence/{reports[0].reference}/").content.decode()
    counts = selectors.match_counts(analyst.user, [reports[0].pk])

    assert "Frequent: 5 reports, 4 agencies" in page
    assert "Not evidence" not in page
    for report in reports:
        assert report.reference in page
    # The report names the others that share it, and counts it as a link.
    assert reports[1].reference in report_page and reports[4].reference in report_page
    assert counts == {reports[0].pk: 1}


def test_frequency_is_counted_over_what_the_viewer_may_read(signed_in, mention, settings, police):
    settings.ENTITY_COMMON_VALUE_LIMIT = 2
    partner = signed_in(Role.PARTNER_CONTRIBUTOR)
    mine = IntelligenceReportFactory(originating_organisation=partner.user.organisation)
    phone = mention(mine, "phone", "07700 900556").entity
    for _ in range(3):
        hidden = IntelligenceReportFactory(originating_organisation=police, restricted=True)
        mention(hidden, "phone", "07700 900556")

    page = partner.get(f"/entities/{phone.pk}/").content.decode()

    assert "Frequent" not in page


def test_a_helpline_is_not_evidence_and_links_nothing(analyst, mention):
    first, second = IntelligenceReportFactory.create_batch(2)
    helpline = mention(first, "phone", "08000 121 700").entity
    mention(second, "phone", "0800 0121 700")

    page = analyst.get(f"/entities/{helpline.pk}/").content.decode()
    report_page = analyst.get(f"/intelligence/{first.reference}/").content.decode()
    counts = selectors.match_counts(analyst.user, [first.pk])

    assert "Not evidence: known service" in page
    assert "Modern Slavery &amp; Exploitation Helpline" in page
    assert "modernslaveryhelpline.org" in page
    # Its reports are still there to read; it just joins nothing.
    assert first.reference in page and second.reference in page
    assert "Links nothing; in 1 other report" in report_page
    assert counts == {first.pk: 0}


def test_nothing_is_suggested_for_a_known_service(mention):
    first, second = IntelligenceReportFactory.create_batch(2)
    mention(first, "location", "Unknown")

    mention(second, "location", "not known")

    assert not Match.objects.exists()
