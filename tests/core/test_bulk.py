"""Bulk inserts store what ``bulk_create`` would, value for value."""

import datetime

from lantern.core import audit, bulk
from lantern.core.models import AuditEvent, Organisation, OrganisationType
from lantern.core.roles import Role


def test_insert_all_stores_every_field_as_the_orm_would(db):
    organisations = [
        Organisation(
            name=f"Bulk partner {number}",
            organisation_type=OrganisationType.POLICE,
            isa_signed_on=datetime.date(2025, 1, number + 1),
            is_first_responder=bool(number % 2),
        )
        for number in range(3)
    ]

    bulk.insert_all(organisations)

    stored = Organisation.objects.filter(name__startswith="Bulk partner").order_by("name")
    assert [(item.isa_signed_on.day, item.is_first_responder) for item in stored] == [
        (1, False),
        (2, True),
        (3, False),
    ]


def test_insert_all_of_nothing_does_nothing(db, django_assert_num_queries):
    # Not one statement: an INSERT of no rows is an SQL error, and each call would fail on
    # objects[0] without its guard.
    with django_assert_num_queries(0):
        bulk.insert_all([])
        bulk.insert_returning([])
        bulk.update_all([], ["name"])


def test_audit_entries_written_in_bulk_chain_like_single_ones(make_user):
    user = make_user(Role.PARTNER_CONTRIBUTOR)
    audit.record(action=audit.Action.LOGIN, actor=user)
    targets = [user.organisation, user]

    audit.record_each(
        action=audit.Action.ADMIN_CHANGE,
        actor=user,
        targets=targets,
        details=[{"n": 1}, {"n": 2}],
    )
    audit.record(action=audit.Action.LOGOUT, actor=user)

    events = list(AuditEvent.objects.order_by("id"))
    assert [event.action for event in events][-4:] == [
        "auth.login",
        "admin.change",
        "admin.change",
        "auth.logout",
    ]
    assert [event.detail for event in events[-3:-1]] == [{"n": 1}, {"n": 2}]
    assert events[-3].object_type == "core.organisation"
    assert events[-2].organisation_name == user.organisation.name
    assert audit.verify_chain().intact


def test_insert_returning_gives_each_object_its_own_id_in_every_chunk(db, monkeypatch):
    monkeypatch.setattr(bulk, "RETURNING_CHUNK_SIZE", 2)
    organisations = [
        Organisation(name=f"Returning partner {number}", organisation_type=OrganisationType.HEALTH)
        for number in range(5)
    ]

    bulk.insert_returning(organisations)

    assert len({organisation.pk for organisation in organisations}) == 5
    for organisation in organisations:
        assert Organisation.objects.get(pk=organisation.pk).name == organisation.name
        assert not organisation._state.adding


def test_update_all_writes_only_the_named_fields(db):
    organisations = [
        Organisation.objects.create(name=f"Updated partner {number}", is_first_responder=False)
        for number in range(3)
    ]
    for organisation in organisations:
        organisation.is_first_responder = True
        organisation.name = "Not written"

    bulk.update_all(organisations[:2], ["is_first_responder"])

    stored = Organisation.objects.filter(name__startswith="Updated partner").order_by("name")
    assert [item.is_first_responder for item in stored] == [True, True, False]
