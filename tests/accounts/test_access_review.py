"""The quarterly access review: opened by the daily run, confirmed by each organisation's
administrator, the overdue ones reported to the hub coordinator, nobody locked out."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.models import AccessReview
from lantern.accounts.services import access_review
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.housekeeping import services as housekeeping
from tests.factories import OrganisationFactory

START = datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC)


def at(days: int) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def coordinator(make_user, other_organisation):
    return make_user(
        Role.HUB_COORDINATOR, organisation=other_organisation, email="coordinator@hub.test"
    )


def test_the_period_is_the_quarter(settings):
    assert access_review.period_start(datetime.date(2026, 12, 7)) == datetime.date(2026, 10, 1)
    assert access_review.period_start(datetime.date(2026, 1, 1)) == datetime.date(2026, 1, 1)
    settings.ACCESS_REVIEW_MONTHS = 6
    assert access_review.period_start(datetime.date(2026, 12, 7)) == datetime.date(2026, 7, 1)


def test_each_organisation_is_asked_once_a_period_by_its_own_administrator(
    org_admin, colleague, outsider, system_admin, run_jobs
):
    run = access_review.run_access_reviews(now=at(0))
    again = access_review.run_access_reviews(now=at(1))

    assert sorted(run.opened) == ["Leicester City Council", "Rutland County Council"]
    assert again.opened == [] and again.reminded == []
    assert AccessReview.objects.count() == 2
    review = AccessReview.objects.get(organisation=org_admin.organisation)
    assert review.due_on == datetime.date(2026, 10, 31)
    run_jobs()
    # Leicester's own administrator; Rutland has none, so the system administrator.
    assert recipients() == ["org.admin@leicester.test", "sysadmin@hub.test"]
    assert "Confirm who in Leicester City Council" in mail.outbox[0].subject
    assert "Confirmez" in mail.outbox[0].body or "confirm" in mail.outbox[0].body.lower()
    assert AuditEvent.objects.filter(action="accounts.access_review_opened").count() == 2


def test_a_review_opened_late_in_the_period_gives_the_full_time_to_answer(org_admin):
    access_review.run_access_reviews(now=at(40))

    review = AccessReview.objects.get()
    assert review.period_start == datetime.date(2026, 10, 1)
    assert review.due_on == datetime.date(2026, 12, 10)
    assert access_review.run_access_reviews(now=at(60)).reported_overdue == []


def test_a_reminder_each_week_until_confirmed_then_none(org_admin, colleague, run_jobs):
    access_review.run_access_reviews(now=at(0))
    assert access_review.run_access_reviews(now=at(6)).reminded == []
    assert access_review.run_access_reviews(now=at(7)).reminded == ["Leicester City Council"]
    review = AccessReview.objects.get()
    access_review.confirm(actor=org_admin, review=review)

    assert access_review.run_access_reviews(now=at(14)).reminded == []
    run_jobs()
    assert recipients() == ["org.admin@leicester.test"] * 2
    assert "Reminder" in mail.outbox[1].subject


def test_an_overdue_review_is_reported_to_the_coordinator_once_and_nobody_is_locked_out(
    org_admin, colleague, coordinator, run_jobs
):
    access_review.run_access_reviews(now=at(0))
    assert access_review.run_access_reviews(now=at(30)).reported_overdue == []

    late = access_review.run_access_reviews(now=at(31))
    again = access_review.run_access_reviews(now=at(32))

    assert late.reported_overdue == ["Leicester City Council", "Rutland County Council"]
    assert again.reported_overdue == []
    mail.outbox.clear()
    run_jobs()
    overdue = [message for message in mail.outbox if "coordinator@hub.test" in message.to]
    assert len(overdue) == 1
    assert "Leicester City Council" in overdue[0].body
    colleague.refresh_from_db()
    assert colleague.is_active
    assert AuditEvent.objects.filter(action="accounts.access_review_overdue").count() == 2


def test_the_daily_run_opens_the_reviews(org_admin, colleague):
    summary = housekeeping.run_daily()

    assert summary.access_reviews_opened == 1
    assert AccessReview.objects.get().period_start == access_review.period_start(
        timezone.localdate()
    )


def test_confirming_keeps_the_list_in_the_audit_log_and_a_second_click_changes_nothing(
    org_admin, colleague
):
    access_review.run_access_reviews(now=at(0))
    review = AccessReview.objects.get()

    access_review.confirm(actor=org_admin, review=review)
    first = AccessReview.objects.get().confirmed_at
    access_review.confirm(actor=org_admin, review=review)

    assert AccessReview.objects.get().confirmed_at == first
    event = AuditEvent.objects.get(action="accounts.access_review_confirmed")
    listed = {row["email"]: row["roles"] for row in event.detail["users"]}
    assert listed["colleague@leicester.test"] == [Role.PARTNER_CONTRIBUTOR.value]
    assert "org.admin@leicester.test" in listed


def test_another_organisations_review_is_refused_and_audited(org_admin, outsider):
    access_review.run_access_reviews(now=at(0))
    theirs = AccessReview.objects.get(organisation=outsider.organisation)

    with pytest.raises(PermissionDenied):
        access_review.confirm(actor=org_admin, review=theirs)
    assert not AccessReview.objects.get(pk=theirs.pk).is_confirmed
    assert AuditEvent.objects.filter(action="admin.refused", actor_id=org_admin.pk).exists()


# The pages.


@pytest.fixture
def reviews(org_admin, colleague, outsider):
    access_review.run_access_reviews()
    return {review.organisation_id: review for review in AccessReview.objects.all()}


def test_the_administrator_removes_one_person_and_confirms_the_rest(
    client, org_admin, colleague, reviews
):
    review = reviews[org_admin.organisation_id]
    client.force_login(org_admin)
    page = client.get(reverse("accounts:user_list")).text
    assert reverse("accounts:access_review", args=[review.pk]) in page
    url = reverse("accounts:access_review", args=[review.pk])
    page = client.get(url).text
    assert colleague.email in page

    response = client.post(
        reverse("accounts:deactivate", args=[colleague.pk]) + f"?review={review.pk}"
    )
    assert response["Location"] == url
    assert colleague.email not in client.get(url).text
    assert client.post(url, {}).status_code == 400  # the box not ticked: nothing confirmed
    assert not AccessReview.objects.get(pk=review.pk).is_confirmed
    response = client.post(url, {"checked": "on"})

    assert response.status_code == 302
    assert AccessReview.objects.get(pk=review.pk).confirmed_by == org_admin
    assert "Confirmed" in client.get(reverse("accounts:access_reviews")).text


def test_a_system_administrator_is_asked_only_for_organisations_without_their_own(
    client, system_admin, reviews, org_admin, outsider
):
    client.force_login(system_admin)

    page = client.get(reverse("accounts:user_list")).text

    assert reverse("accounts:access_review", args=[reviews[outsider.organisation_id].pk]) in page
    assert (
        reverse("accounts:access_review", args=[reviews[org_admin.organisation_id].pk]) not in page
    )


def test_another_organisations_review_is_not_found(client, org_admin, outsider, reviews):
    theirs = reviews[outsider.organisation_id]
    client.force_login(org_admin)
    url = reverse("accounts:access_review", args=[theirs.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"checked": "on"}).status_code == 404
    assert not AccessReview.objects.get(pk=theirs.pk).is_confirmed
    assert "Rutland" not in client.get(reverse("accounts:access_reviews")).text


def test_the_coordinator_sees_every_review_and_the_overdue_but_no_users(
    client, coordinator, org_admin, colleague, reviews
):
    today = timezone.localdate()
    AccessReview.objects.update(due_on=today + datetime.timedelta(days=10))
    AccessReview.objects.filter(pk=reviews[org_admin.organisation_id].pk).update(
        due_on=today - datetime.timedelta(days=1)
    )
    client.force_login(coordinator)

    page = client.get(reverse("accounts:access_reviews")).text

    assert "Leicester City Council" in page and "Rutland County Council" in page
    assert "Overdue" in page and "1 review is overdue" in page
    review = reviews[org_admin.organisation_id]
    assert client.get(reverse("accounts:access_review", args=[review.pk])).status_code == 404


@pytest.mark.parametrize("role", [Role.PARTNER_CONTRIBUTOR, Role.HUB_ANALYST, Role.BOARD_VIEWER])
def test_nobody_else_sees_the_reviews(client, make_user, role, reviews):
    client.force_login(make_user(role, organisation=OrganisationFactory()))

    assert client.get(reverse("accounts:access_reviews")).status_code == 404
    for review in reviews.values():
        assert client.get(reverse("accounts:access_review", args=[review.pk])).status_code == 404
