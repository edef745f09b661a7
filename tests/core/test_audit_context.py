"""An audit context carries who acted, from where and why, so services need no request."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from lantern import urls as lantern_urls
from lantern.core import audit
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import AuditEvent
from lantern.core.roles import Role


def test_a_context_from_a_request_records_the_user_and_address(rf, make_user):
    analyst = make_user(Role.HUB_ANALYST)
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = analyst

    event = audit.record_read(
        target=analyst.organisation,
        context=audit.AuditContext.from_request(request, purpose="triage"),
    )

    assert (event.actor_id, event.ip_address, event.purpose) == (analyst.pk, "192.0.2.7", "triage")
    assert event.organisation_id == analyst.organisation_id


def test_a_system_context_records_no_address(make_user):
    coordinator = make_user(Role.HUB_COORDINATOR)
    context = audit.AuditContext.system("nightly export", actor=coordinator)

    event = audit.record_export(description="KPIs", row_count=3, context=context)

    assert (event.actor_id, event.ip_address, event.purpose) == (
        coordinator.pk,
        None,
        "nightly export",
    )


def test_an_explicit_purpose_wins_over_the_context(make_user):
    user = make_user(Role.HUB_ANALYST)
    context = audit.AuditContext.system("background", actor=user)

    event = audit.record(action=audit.Action.READ, purpose="review", context=context)

    assert event.purpose == "review"
    assert context.with_purpose("search").purpose == "search"


def test_an_entry_naming_someone_by_address_is_not_given_the_signed_in_user(rf, make_user):
    """A password reset asked for an address by someone signed in is about the address."""
    someone = make_user(Role.PARTNER_CONTRIBUTOR)
    request = rf.get("/", REMOTE_ADDR="192.0.2.8")
    request.user = someone

    event = audit.record(
        action=audit.Action.PASSWORD_RESET_REQUESTED,
        actor_email="pat@leicester.test",
        context=audit.AuditContext.from_request(request),
    )

    assert (event.actor_id, event.actor_email, event.ip_address) == (
        None,
        "pat@leicester.test",
        "192.0.2.8",
    )


def test_each_bulk_entry_carries_the_context(make_user):
    user = make_user(Role.HUB_ANALYST)
    context = audit.AuditContext(actor=user, client_address="198.51.100.4", purpose="import")

    audit.record_each(
        action=audit.Action.READ,
        targets=[user, user.organisation],
        details=[{}, {}],
        context=context,
    )

    assert audit.verify_chain().intact
    assert (
        list(AuditEvent.objects.order_by("-id").values_list("actor_id", "ip_address")[:2])
        == [(user.pk, "198.51.100.4")] * 2
    )


def test_an_anonymous_request_gives_no_actor(rf):
    request = rf.get("/")
    assert audit.AuditContext.from_request(request).actor is None


def _refuses(request):
    raise NotFoundOrNotAllowed


def _answers(request):
    return HttpResponse("ok")


urlpatterns = [path("refuses/", _refuses), path("answers/", _answers), *lantern_urls.urlpatterns]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_not_found_or_not_allowed_is_the_ordinary_404(client):
    assert client.get("/answers/").status_code == 200
    refused, missing = client.get("/refuses/"), client.get("/no-such-page/")
    assert refused.status_code == missing.status_code == 404
    # The page names its own address (the language switch, the time-out link): take it out.
    assert refused.content.replace(b"refuses", b"x") == missing.content.replace(
        b"no-such-page", b"x"
    )
