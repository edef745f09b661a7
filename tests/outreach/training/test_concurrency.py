"""Two partners book the last places at the same moment: one booking wins, never both."""

import threading
import time
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection

from lantern.core.roles import Role
from lantern.outreach.models.training import Booking, FrontlineRole
from lantern.outreach.services import training as services
from tests.e2e.conftest import _install_audit_triggers, _remove_audit_triggers
from tests.factories import UserFactory
from tests.outreach.training.factories import UpcomingSessionFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def committed():
    """Real commits, seen by other threads; the audit log's triggers as in production."""
    _install_audit_triggers()
    yield
    _remove_audit_triggers()


def test_two_bookings_at_once_never_exceed_the_capacity(committed):
    session = UpcomingSessionFactory(capacity=3)
    nurse = FrontlineRole.objects.get(code="nurse")
    partners = [UserFactory(roles=[Role.PARTNER_CONTRIBUTOR]) for _ in range(2)]
    start = threading.Barrier(len(partners))
    outcomes: list[str] = []

    def book(partner) -> None:
        key = uuid.uuid4()
        try:
            start.wait()
            for _attempt in range(100):
                try:
                    services.book_places(
                        actor=partner,
                        submission_key=key,
                        session=session,
                        organisation=partner.organisation,
                        role=nurse,
                        places=2,
                    )
                except OperationalError:
                    # The test database is SQLite in memory, whose shared cache answers
                    # "locked" at once where a file waits its busy timeout: send again,
                    # as a browser would (the same key books once).
                    time.sleep(0.02)
                    continue
                outcomes.append("booked")
                return
        except ValidationError as refused:
            outcomes.append(refused.message_dict["places"][0])
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(partner,)) for partner in partners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Only 1 places are left: book 1 or fewer", "booked"]
    assert sum(Booking.objects.filter(session=session).values_list("places", flat=True)) == 2
