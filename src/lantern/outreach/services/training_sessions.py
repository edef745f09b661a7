"""Sessions, bookings and attendance: one function per use case, each in a transaction,
audited; a booking never takes a session beyond its capacity."""

import datetime
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core.audit import AuditContext
from lantern.core.models import Organisation, User
from lantern.outreach.models.training import (
    CODE_LENGTH,
    Booking,
    Course,
    FrontlineRole,
    TrainingSession,
)
from lantern.outreach.services.training_checks import (
    EARLIEST_SESSION,
    FOLLOW_UP_AFTER,
    FOLLOW_UP_OPEN_FOR,
    LONGEST_SESSION,
    MAX_CAPACITY,
    PLANNING_HORIZON,
    POST_OPEN_AFTER_END,
    _check_manager,
    _now,
    _optional,
    _required,
)

# Sessions, bookings and attendance.


def new_session_code() -> str:
    """Six characters read aloud or typed on a phone without confusion (no 0/O, 1/I)."""
    return "".join(secrets.choice(references.REFERENCE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass(frozen=True)
class StageWindows:
    pre_opens_at: datetime.datetime | None = None
    pre_closes_at: datetime.datetime | None = None
    post_opens_at: datetime.datetime | None = None
    post_closes_at: datetime.datetime | None = None
    follow_up_opens_at: datetime.datetime | None = None
    follow_up_closes_at: datetime.datetime | None = None


def _windows(
    course: Course, starts_at: datetime.datetime, ends_at: datetime.datetime, given: StageWindows
) -> dict[str, datetime.datetime | None]:
    """The stage windows given, the rest by default: the pre-test from an hour before the
    start to the end, the post-test from the start to a week after, the follow-up from
    three months after for a month."""
    windows = {
        "pre_opens_at": given.pre_opens_at or starts_at - datetime.timedelta(hours=1),
        "pre_closes_at": given.pre_closes_at or ends_at,
        "post_opens_at": given.post_opens_at or starts_at,
        "post_closes_at": given.post_closes_at or ends_at + POST_OPEN_AFTER_END,
        "follow_up_opens_at": None,
        "follow_up_closes_at": None,
    }
    if course.has_follow_up:
        opens = given.follow_up_opens_at or ends_at + FOLLOW_UP_AFTER
        windows["follow_up_opens_at"] = opens
        windows["follow_up_closes_at"] = given.follow_up_closes_at or opens + FOLLOW_UP_OPEN_FOR
    pairs = [("pre_opens_at", "pre_closes_at"), ("post_opens_at", "post_closes_at")]
    if course.has_follow_up:
        pairs.append(("follow_up_opens_at", "follow_up_closes_at"))
    for opens, closes in pairs:
        if windows[closes] <= windows[opens]:
            raise ValidationError({closes: _("The closing time must be after the opening time")})
    if windows["post_opens_at"] < windows["pre_opens_at"]:
        message = _("The post-test cannot open before the pre-test")
        raise ValidationError({"post_opens_at": message})
    return windows


def create_session(
    *,
    actor: User,
    submission_key: uuid.UUID,
    course: Course,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    trainer_organisation: Organisation,
    trainer_name: str,
    capacity: int,
    venue: str = "",
    online_link: str = "",
    windows: StageWindows | None = None,
    context: AuditContext | None = None,
) -> TrainingSession:
    """Schedule a session once per submission key, with a fresh attendee code."""
    _check_manager(actor)
    trainer_name = _required("trainer_name", trainer_name, _("Enter the trainer’s name"), limit=200)
    venue = _optional("venue", venue, limit=300)
    online_link = _optional("online_link", online_link, limit=500)
    if not venue and not online_link:
        raise ValidationError({"venue": _("Enter the place, or the online link")})
    if not 1 <= (capacity or 0) <= MAX_CAPACITY:
        message = _("Enter a capacity between 1 and %(limit)s") % {"limit": MAX_CAPACITY}
        raise ValidationError({"capacity": message})
    _check_times(starts_at, ends_at)
    stage_windows = _windows(course, starts_at, ends_at, windows or StageWindows())

    def create(_reference: str) -> TrainingSession:
        session = TrainingSession.objects.create(
            submission_key=submission_key,
            code=new_session_code(),
            course=course,
            starts_at=starts_at,
            ends_at=ends_at,
            trainer_organisation=trainer_organisation,
            trainer_name=trainer_name,
            venue=venue,
            online_link=online_link,
            capacity=capacity,
            created_by=actor,
            **stage_windows,
        )
        audit.record(
            action=audit.Action.TRAINING_SESSION_CREATED,
            actor=actor,
            target=session,
            context=context,
            detail={"course": course.pk, "capacity": capacity},
        )
        return session

    session, _created = references.store_once(
        TrainingSession, submission_key=submission_key, create=create, sent_by=actor
    )
    return session


def change_session(
    *,
    actor: User,
    session: TrainingSession,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    trainer_organisation: Organisation,
    trainer_name: str,
    capacity: int,
    venue: str = "",
    online_link: str = "",
    context: AuditContext | None = None,
) -> TrainingSession:
    """Correct a session's date, trainer, place or capacity; the audit entry names the
    fields changed.

    The capacity cannot fall below the places already booked. When the session moves and
    nobody has answered a test yet, its test times move with it by the same amount;
    once answers exist they stay where they were (``set_stage_windows`` moves them).
    """
    _check_manager(actor)
    trainer_name = _required("trainer_name", trainer_name, _("Enter the trainer’s name"), limit=200)
    venue = _optional("venue", venue, limit=300)
    online_link = _optional("online_link", online_link, limit=500)
    if not venue and not online_link:
        raise ValidationError({"venue": _("Enter the place, or the online link")})
    if not 1 <= (capacity or 0) <= MAX_CAPACITY:
        message = _("Enter a capacity between 1 and %(limit)s") % {"limit": MAX_CAPACITY}
        raise ValidationError({"capacity": message})
    _check_times(starts_at, ends_at)
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        booked = Booking.objects.filter(session=locked).aggregate(total=Sum("places"))["total"]
        if capacity < (booked or 0):
            message = _("%(booked)s places are booked: the capacity cannot be lower") % {
                "booked": booked
            }
            raise ValidationError({"capacity": message})
        fields = {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "trainer_organisation": trainer_organisation,
            "trainer_name": trainer_name,
            "capacity": capacity,
            "venue": venue,
            "online_link": online_link,
        }
        changed = sorted(name for name, value in fields.items() if getattr(locked, name) != value)
        moved = starts_at - locked.starts_at
        if moved and not locked.attempts.exists():
            for name in StageWindows.__dataclass_fields__:
                if getattr(locked, name) is not None:
                    fields[name] = getattr(locked, name) + moved
        windows = StageWindows(
            **{
                name: fields.get(name, getattr(locked, name))
                for name in StageWindows.__dataclass_fields__
            }
        )
        fields.update(_windows(locked.course, starts_at, ends_at, windows))
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(fields))
        audit.record(
            action=audit.Action.TRAINING_SESSION_CHANGED,
            actor=actor,
            target=locked,
            context=context,
            detail={"changed": changed},
        )
    return locked


def _check_times(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None) -> None:
    if starts_at is None:
        raise ValidationError({"starts_at": _("Enter when the session starts")})
    if ends_at is None:
        raise ValidationError({"ends_at": _("Enter when the session ends")})
    if starts_at < EARLIEST_SESSION:
        raise ValidationError({"starts_at": _("The start must be in 2015 or later")})
    if starts_at > _now() + PLANNING_HORIZON:
        raise ValidationError({"starts_at": _("The start must be within the next two years")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start")})
    if ends_at - starts_at > LONGEST_SESSION:
        raise ValidationError({"ends_at": _("A session lasts five days at most")})


def book_places(
    *,
    actor: User,
    submission_key: uuid.UUID,
    session: TrainingSession,
    organisation: Organisation,
    role: FrontlineRole,
    places: int,
    context: AuditContext | None = None,
) -> Booking:
    """Book places for staff of one organisation, never beyond the session's capacity.

    The session's row is locked while the places are counted, so two bookings sent at
    the same moment cannot both take the last places.
    """
    if not access.can_book_training(actor):
        raise PermissionDenied
    if not access.can_book_training_for(actor, organisation):
        raise ValidationError({"organisation": _("You can book for your own organisation only")})
    if not 1 <= (places or 0) <= MAX_CAPACITY:
        raise ValidationError({"places": _("Enter a number of places of 1 or more")})

    def create(_reference: str) -> Booking:
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.starts_at <= _now():
            raise ValidationError({"places": _("This session has started: it takes no bookings")})
        taken = Booking.objects.filter(session=locked).aggregate(total=Sum("places"))["total"] or 0
        left = locked.capacity - taken
        if places > left:
            message = _("Only %(left)s places are left: book %(left)s or fewer") % {"left": left}
            if left <= 0:
                message = _("This session is full")
            raise ValidationError({"places": message})
        booking = Booking.objects.create(
            submission_key=submission_key,
            session=locked,
            organisation=organisation,
            role=role,
            places=places,
            booked_by=actor,
        )
        audit.record(
            action=audit.Action.TRAINING_PLACES_BOOKED,
            actor=actor,
            target=locked,
            context=context,
            detail={"organisation": organisation.pk, "role": role.code, "places": places},
        )
        return booking

    booking, _created = references.store_once(
        Booking,
        submission_key=submission_key,
        create=create,
        sent_by=actor,
        sender_field="booked_by",
    )
    return booking


def record_attendance(
    *,
    actor: User,
    session: TrainingSession,
    attended: Mapping[int, int],
    context: AuditContext | None = None,
) -> None:
    """How many of each booking's staff came: the figure reach and KPIs count."""
    _check_manager(actor)
    with transaction.atomic():
        bookings = {
            booking.pk: booking
            for booking in Booking.objects.select_for_update().filter(session=session)
        }
        if set(attended) - set(bookings):
            raise ValidationError({"attended": _("Record attendance for this session’s bookings")})
        if session.starts_at > _now():
            message = _("Attendance is recorded once the session has started")
            raise ValidationError({"attended": message})
        for pk, count in attended.items():
            booking = bookings[pk]
            if not 0 <= count <= booking.places:
                message = _("Enter a number from 0 to %(places)s for %(organisation)s") % {
                    "places": booking.places,
                    "organisation": booking.organisation,
                }
                raise ValidationError({f"attended_{pk}": message})
            booking.attended = count
            booking.save(update_fields=["attended"])
        audit.record(
            action=audit.Action.TRAINING_ATTENDANCE_RECORDED,
            actor=actor,
            target=session,
            context=context,
            detail={"attended": {str(pk): count for pk, count in attended.items()}},
        )


def set_stage_windows(
    *,
    actor: User,
    session: TrainingSession,
    windows: StageWindows,
    context: AuditContext | None = None,
) -> TrainingSession:
    """The officer opens, closes or reopens the tests: each time left empty keeps its
    current value. Answers already sent stay; a test is open only inside its window."""
    _check_manager(actor)
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        current = StageWindows(
            **{
                name: getattr(windows, name) or getattr(locked, name)
                for name in StageWindows.__dataclass_fields__
            }
        )
        values = _windows(locked.course, locked.starts_at, locked.ends_at, current)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(values))
        audit.record(
            action=audit.Action.TRAINING_SESSION_TIMES_SET,
            actor=actor,
            target=locked,
            context=context,
            detail={name: value.isoformat() for name, value in values.items() if value},
        )
    return locked
