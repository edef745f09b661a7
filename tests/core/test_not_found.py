"""Missing and forbidden do the same work: an attacker cannot tell which ids exist.

A 404 that comes back sooner for an id that does not exist than for one the user may not
read tells the id exists (measured: about 4 ms on an entity page, over 160 requests). A
timing test would be flaky; the queries are what took the time, so both paths must make
the same queries, in number and in kind.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.intelligence.services.mentions import add_mentions
from tests.entities.factories import MatchFactory
from tests.factories import IntelligenceReportFactory, OrganisationFactory, TaskingFactory
from tests.operations.factories import OperationFactory
from tests.safeguarding.factories import (
    FirstResponderFactory,
    SupportReferralFactory,
    VictimFactory,
)

MISSING_ID = 987654321
MISSING_REFERENCE = "ZZZZ-ZZZZ"


def _shape(sql: str) -> str:
    """A query with its values taken out: the same shape whatever id was asked for."""
    sql = re.sub(r'"s\d+_x\d+"', '"savepoint"', sql)
    return re.sub(r"\b\d+\b|'[^']*'|%s|\?", "?", sql)


def _queries(client: Client, path: str, method: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path)
    return response.status_code, [_shape(query["sql"]) for query in queries]


def _restricted_report():
    return IntelligenceReportFactory(
        originating_organisation=OrganisationFactory(),
        handling_code="C",
        handling_conditions="Originator only",
    )


def _entity_path():
    report = _restricted_report()
    [mention] = add_mentions(
        report, [MentionData(kind="phone", role="contact", value="07700 900456")]
    )
    mention.refresh_from_db()
    return f"/entities/{mention.entity_id}/", f"/entities/{MISSING_ID}/"


def _report_path():
    report = _restricted_report()
    return f"/intelligence/{report.reference}/", f"/intelligence/{MISSING_REFERENCE}/"


def _tasking_path():
    tasking = TaskingFactory()
    return f"/intelligence/taskings/{tasking.pk}/", f"/intelligence/taskings/{MISSING_ID}/"


def _victim_path():
    victim = VictimFactory()
    return (
        f"/safeguarding/victims/{victim.reference}/",
        f"/safeguarding/victims/{MISSING_REFERENCE}/",
    )


def _support_referral_path():
    referral = SupportReferralFactory()
    return (
        f"/safeguarding/support-referrals/{referral.pk}/",
        f"/safeguarding/support-referrals/{MISSING_ID}/",
    )


def _operation_path():
    operation = OperationFactory()
    return f"/operations/{operation.reference}/", f"/operations/{MISSING_REFERENCE}/"


def _match_path():
    report = IntelligenceReportFactory()
    entity, candidate = (
        mention.entity
        for mention in add_mentions(
            report,
            [
                MentionData(kind="phone", role="contact", value="07700 900111"),
                MentionData(kind="phone", role="contact", value="07700 900222"),
            ],
        )
    )
    match = MatchFactory(entity=entity, candidate=candidate)
    return f"/entities/matches/{match.pk}/confirm/", f"/entities/matches/{MISSING_ID}/confirm/"


def _partner_path():
    organisation = OrganisationFactory(is_active=False)
    return f"/partners/{organisation.pk}/", f"/partners/{MISSING_ID}/"


CASES = {
    "entity": (_entity_path, Role.PARTNER_CONTRIBUTOR, "get"),
    "intelligence report": (_report_path, Role.PARTNER_CONTRIBUTOR, "get"),
    "tasking": (_tasking_path, Role.PARTNER_CONTRIBUTOR, "get"),
    "victim": (_victim_path, Role.SAFEGUARDING_LEAD, "get"),
    "support referral": (_support_referral_path, Role.SAFEGUARDING_LEAD, "get"),
    "operation": (_operation_path, Role.OPERATIONS_LEAD, "get"),
    "match": (_match_path, Role.PARTNER_CONTRIBUTOR, "post"),
    "partner": (_partner_path, Role.PARTNER_CONTRIBUTOR, "get"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_forbidden_record_costs_the_same_queries_as_a_missing_one(make_user, case):
    paths, role, method = CASES[case]
    forbidden, missing = paths()
    client = Client()
    client.force_login(make_user(role, organisation=FirstResponderFactory()))
    getattr(client, method)(missing)  # the session and caches warmed alike for both

    forbidden_status, forbidden_queries = _queries(client, forbidden, method)
    missing_status, missing_queries = _queries(client, missing, method)

    assert forbidden_status == missing_status == 404
    assert forbidden_queries == missing_queries
