"""A tasked organisation is told by email, queued with the tasking (the outbox): the
report's reference and the deadline, never the request."""

import datetime
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantern.core.roles import Role
from lantern.intelligence.models import Tasking
from lantern.intelligence.services import tasking as tasking_services
from tests.factories import IntelligenceReportFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST = "Visit unit 4 and speak to the workers about their passports."


@pytest.fixture
def analyst():
    return UserFactory(roles=[Role.HUB_ANALYST])


@pytest.fixture
def council():
    council = OrganisationFactory(name="Leicester City Council")
    UserFactory(
        email="answers@council.test", organisation=council, roles=[Role.PARTNER_CONTRIBUTOR]
    )
    UserFactory(email="outreach@council.test", organisation=council, roles=[Role.OUTREACH_OFFICER])
    UserFactory(
        email="left@council.test",
        organisation=council,
        roles=[Role.PARTNER_CONTRIBUTOR],
        is_active=False,
    )
    return council


def _task(report, analyst, council, key):
    return tasking_services.task_agencies(
        report=report,
        user=analyst,
        organisations=[council],
        request_text=REQUEST,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        submission_key=key,
    )


def test_the_tasked_organisation_is_emailed_the_reference_not_the_request(
    analyst, council, run_jobs
):
    report = IntelligenceReportFactory(status="under_assessment")
    key = uuid.uuid4()

    _task(report, analyst, council, key)
    _task(report, analyst, council, key)  # the form sent twice

    assert Tasking.objects.count() == 1
    assert mail.outbox == []  # queued with the tasking
    assert run_jobs() == 1
    assert [message.to for message in mail.outbox] == [["answers@council.test"]]
    body = mail.outbox[0].body
    assert report.reference in body and "Leicester City Council" in body
    assert "passports" not in body
    assert "Missions" in body  # and in French


def test_a_tasking_refused_queues_no_notice(analyst, council, run_jobs):
    report = IntelligenceReportFactory(status="new")

    with pytest.raises(ValidationError):
        _task(report, analyst, council, uuid.uuid4())

    assert not DBTaskResult.objects.exists()
    assert run_jobs() == 0
