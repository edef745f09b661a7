"""Every write of training: one function per use case, each in a transaction, audited.

Staff writes check the access policy themselves (``can_manage_training``,
``can_book_training_for``), so no path — a view, a script, an import — changes what its
caller may not. Invalid input is refused as a whole with a ``ValidationError`` naming the
field; nothing is half-saved.

Attendees' answers (``submit_attempt``) come from people without an account: they are
stored under a pairing code only, and are not written to the audit log, whose entries
carry the sender's address and would put a place to one person's answers.
"""

import datetime
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit, references
from lantern.core.models import Organisation, User
from lantern.outreach.models.training import (
    CODE_LENGTH,
    CONFIDENT_AT,
    TEXT_MAX_LENGTH,
    Answer,
    Attempt,
    Booking,
    Choice,
    Course,
    CourseItem,
    FrontlineRole,
    Question,
    QuestionKind,
    Stage,
    TrainingSector,
    TrainingSession,
    TrainingTopic,
)

# The partnership began training after the Modern Slavery Act 2015; an earlier session is
# a mistyped year. Sessions are planned up to two years ahead.
EARLIEST_SESSION = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
PLANNING_HORIZON = datetime.timedelta(days=2 * 366)
LONGEST_SESSION = datetime.timedelta(days=5)
LONGEST_COURSE_MINUTES = 5 * 24 * 60
MAX_CAPACITY = 1000
FOLLOW_UP_AFTER = datetime.timedelta(days=90)
FOLLOW_UP_OPEN_FOR = datetime.timedelta(days=30)
POST_OPEN_AFTER_END = datetime.timedelta(days=7)


def _now() -> datetime.datetime:
    return timezone.now()


def _required(field_name: str, value: str, message: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    value = _optional(field_name, value, limit=limit)
    if not value:
        raise ValidationError({field_name: message})
    return value


def _optional(field_name: str, value: str, *, limit: int = TEXT_MAX_LENGTH) -> str:
    """Text trimmed; refused by field if too long or holding a NUL (PostgreSQL refuses it)."""
    value = (value or "").strip()
    if len(value) > limit:
        message = _("Enter %(limit)s characters or fewer") % {"limit": limit}
        raise ValidationError({field_name: message})
    if "\x00" in value:
        raise ValidationError({field_name: _("Remove the invisible characters from the text")})
    return value


def _check_manager(actor: User) -> None:
    if not access.can_manage_training(actor):
        raise PermissionDenied


# Courses and their assessment.


def create_course(
    *,
    actor: User,
    submission_key: uuid.UUID,
    title: str,
    topics: Sequence[TrainingTopic],
    duration_minutes: int,
    delivery: str,
    sectors: Sequence[TrainingSector] = (),
    summary: str = "",
    materials: str = "",
    has_follow_up: bool = False,
    request: HttpRequest | None = None,
) -> Course:
    """Create a course once per submission key; its pre and post tests start as the same
    items, every current question of its topics (the officer changes them later)."""
    _check_manager(actor)
    fields = {
        "title": _required("title", title, _("Enter the course title"), limit=200),
        "summary": _optional("summary", summary),
        "materials": _optional("materials", materials),
    }
    if not topics:
        raise ValidationError({"topics": _("Select at least one topic")})
    if not 1 <= (duration_minutes or 0) <= LONGEST_COURSE_MINUTES:
        message = _("Enter a length between 1 and %(limit)s minutes") % {
            "limit": LONGEST_COURSE_MINUTES
        }
        raise ValidationError({"duration_minutes": message})

    def create(_reference: str) -> Course:
        course = Course.objects.create(
            submission_key=submission_key,
            duration_minutes=duration_minutes,
            delivery=delivery,
            has_follow_up=has_follow_up,
            created_by=actor,
            **fields,
        )
        course.topics.set(topics)
        course.sectors.set(sectors)
        test = list(
            Question.objects.filter(topic__in=topics, is_current=True)
            .exclude(kind=QuestionKind.FOLLOW_UP)
            .order_by("topic__order", "key")
        )
        follow_up = (
            list(Question.objects.filter(is_current=True, kind=QuestionKind.FOLLOW_UP))
            if has_follow_up
            else []
        )
        _store_items(course, pre=test, post=test, follow_up=follow_up)
        audit.record(
            action=audit.Action.TRAINING_COURSE_CREATED, actor=actor, target=course, request=request
        )
        return course

    course, _created = references.store_once(
        Course, submission_key=submission_key, create=create, sent_by=actor
    )
    return course


def _store_items(
    course: Course,
    *,
    pre: Sequence[Question],
    post: Sequence[Question],
    follow_up: Sequence[Question],
) -> None:
    CourseItem.objects.filter(course=course).delete()
    CourseItem.objects.bulk_create(
        CourseItem(course=course, stage=stage, question=question, position=position)
        for stage, questions in ((Stage.PRE, pre), (Stage.POST, post), (Stage.FOLLOW_UP, follow_up))
        for position, question in enumerate(questions)
    )


def set_course_items(
    *,
    actor: User,
    course: Course,
    pre: Sequence[Question],
    post: Sequence[Question],
    follow_up: Sequence[Question] = (),
    request: HttpRequest | None = None,
) -> None:
    """The questions each stage asks. Refused once anyone has answered: pairs of pre and
    post answers to different tests would no longer compare like with like."""
    _check_manager(actor)
    if not pre or not post:
        raise ValidationError({"pre": _("Select at least one question for each test")})
    if any(question.kind == QuestionKind.FOLLOW_UP for question in [*pre, *post]):
        raise ValidationError({"pre": _("Follow-up questions belong to the follow-up only")})
    if any(question.kind != QuestionKind.FOLLOW_UP for question in follow_up):
        raise ValidationError({"follow_up": _("Select follow-up questions only")})
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if Attempt.objects.filter(session__course=locked).exists():
            raise ValidationError(
                {"pre": _("Attendees have answered this course’s tests: they cannot change")}
            )
        _store_items(locked, pre=pre, post=post, follow_up=follow_up)
        audit.record(
            action=audit.Action.TRAINING_COURSE_ITEMS_SET,
            actor=actor,
            target=locked,
            request=request,
            detail={
                "pre": [question.pk for question in pre],
                "post": [question.pk for question in post],
                "follow_up": [question.pk for question in follow_up],
            },
        )


# The question bank.


@dataclass(frozen=True)
class ChoiceData:
    name: str
    text: str
    text_fr: str
    is_correct: bool = False


@dataclass(frozen=True)
class QuestionData:
    key: str
    topic: TrainingTopic
    kind: str
    text: str
    text_fr: str
    choices: Sequence[ChoiceData] = field(default_factory=tuple)


def check_question(data: QuestionData, *, field_prefix: str = "") -> None:
    """Refuse a question no attendee could answer well: names the field it refuses."""
    _required(field_prefix + "text", data.text, _("Enter the question in English"), limit=500)
    _required(field_prefix + "text_fr", data.text_fr, _("Enter the question in French"), limit=500)
    if data.kind not in QuestionKind.values:
        raise ValidationError({field_prefix + "kind": _("Select a kind of question")})
    choices = data.choices
    if data.kind == QuestionKind.CONFIDENCE:
        if choices:
            message = _("A confidence statement is rated 1 to 5: give it no answers")
            raise ValidationError({field_prefix + "choices": message})
        return
    if len(choices) < 2:
        raise ValidationError({field_prefix + "choices": _("Give at least two answers")})
    if len({choice.name for choice in choices}) != len(choices):
        raise ValidationError({field_prefix + "choices": _("Give each answer a different name")})
    for choice in choices:
        _required(
            field_prefix + "choices", choice.text, _("Enter every answer in English"), limit=300
        )
        _required(
            field_prefix + "choices", choice.text_fr, _("Enter every answer in French"), limit=300
        )
    correct = sum(choice.is_correct for choice in choices)
    if data.kind == QuestionKind.SINGLE and correct != 1:
        raise ValidationError({field_prefix + "choices": _("Mark exactly one answer correct")})
    if data.kind == QuestionKind.MULTIPLE and correct < 1:
        raise ValidationError({field_prefix + "choices": _("Mark at least one answer correct")})
    if data.kind == QuestionKind.FOLLOW_UP and correct:
        message = _("A follow-up question has no correct answer")
        raise ValidationError({field_prefix + "choices": message})


def _create_question(
    data: QuestionData, *, actor: User, version: int, replaces: Question | None = None
) -> Question:
    question = Question.objects.create(
        topic=data.topic,
        key=data.key,
        version=version,
        replaces=replaces,
        kind=data.kind,
        text=data.text.strip(),
        text_fr=data.text_fr.strip(),
        created_by=actor,
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            position=position,
            name=choice.name,
            text=choice.text.strip(),
            text_fr=choice.text_fr.strip(),
            is_correct=choice.is_correct,
        )
        for position, choice in enumerate(data.choices)
    )
    return question


def add_question(
    *, actor: User, data: QuestionData, request: HttpRequest | None = None
) -> Question:
    """A new question in a topic's bank (version 1 of its key)."""
    _check_manager(actor)
    check_question(data)
    with transaction.atomic():
        if Question.objects.filter(key=data.key).exists():
            raise ValidationError({"key": _("A question with this key exists: revise it instead")})
        question = _create_question(data, actor=actor, version=1)
        audit.record(
            action=audit.Action.TRAINING_QUESTION_ADDED,
            actor=actor,
            target=question,
            request=request,
        )
    return question


def revise_question(
    *, actor: User, question: Question, data: QuestionData, request: HttpRequest | None = None
) -> Question:
    """A new version replaces the current one; answers keep the version they answered.

    Courses nobody has answered yet move to the new version; courses with answers keep
    the version their attendees read.
    """
    _check_manager(actor)
    check_question(data)
    with transaction.atomic():
        current = Question.objects.select_for_update().filter(pk=question.pk).first()
        if current is None or not current.is_current:
            raise ValidationError({"text": _("This question has been revised since: start again")})
        current.is_current = False
        current.save(update_fields=["is_current"])
        revised = _create_question(
            QuestionData(
                key=current.key,
                topic=current.topic,
                kind=data.kind,
                text=data.text,
                text_fr=data.text_fr,
                choices=data.choices,
            ),
            actor=actor,
            version=current.version + 1,
            replaces=current,
        )
        answered_courses = Attempt.objects.values("session__course")
        CourseItem.objects.filter(question=current).exclude(course__in=answered_courses).update(
            question=revised
        )
        audit.record(
            action=audit.Action.TRAINING_QUESTION_REVISED,
            actor=actor,
            target=revised,
            request=request,
            detail={"replaces": current.pk},
        )
    return revised


def import_questions(
    *, actor: User, questions: Sequence[QuestionData], request: HttpRequest | None = None
) -> tuple[int, int]:
    """Questions read from an XLSForm: new keys are added, changed ones revised, identical
    ones left alone. All or nothing. Returns (added, revised)."""
    _check_manager(actor)
    for position, data in enumerate(questions, start=1):
        try:
            check_question(data)
        except ValidationError as error:
            messages = [message for messages in error.message_dict.values() for message in messages]
            raise ValidationError(
                {
                    "file": _("Question %(row)s (%(key)s): %(problem)s")
                    % {"row": position, "key": data.key, "problem": " ".join(messages)}
                }
            ) from error
    added = revised = 0
    with transaction.atomic():
        for data in questions:
            current = Question.objects.filter(key=data.key, is_current=True).first()
            if current is None:
                if Question.objects.filter(key=data.key).exists():
                    continue  # pragma: no cover (every key has a current version)
                _create_question(data, actor=actor, version=1)
                added += 1
            elif _differs(current, data):
                revise_question(actor=actor, question=current, data=data, request=request)
                revised += 1
        audit.record(
            action=audit.Action.TRAINING_QUESTIONS_IMPORTED,
            actor=actor,
            request=request,
            detail={"added": added, "revised": revised},
        )
    return added, revised


def _differs(question: Question, data: QuestionData) -> bool:
    existing = [
        (choice.name, choice.text, choice.text_fr, choice.is_correct)
        for choice in question.choices.all()
    ]
    wanted = [
        (choice.name, choice.text.strip(), choice.text_fr.strip(), choice.is_correct)
        for choice in data.choices
    ]
    return (
        question.kind != data.kind
        or question.text != data.text.strip()
        or question.text_fr != data.text_fr.strip()
        or question.topic_id != data.topic.pk
        or existing != wanted
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
    request: HttpRequest | None = None,
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
            request=request,
            detail={"course": course.pk, "capacity": capacity},
        )
        return session

    session, _created = references.store_once(
        TrainingSession, submission_key=submission_key, create=create, sent_by=actor
    )
    return session


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
    request: HttpRequest | None = None,
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
            request=request,
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
    request: HttpRequest | None = None,
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
            request=request,
            detail={"attended": {str(pk): count for pk, count in attended.items()}},
        )


# Attendees' answers (no account).


def new_pairing_code() -> str:
    """A code the attendee keeps from the pre-test to the post-test: ``K7PD-3XQA``."""
    return references.new_reference()


def stage_is_open(
    session: TrainingSession, stage: str, *, now: datetime.datetime | None = None
) -> bool:
    opens, closes = session.window(stage)
    now = now or _now()
    return opens is not None and opens <= now < closes


def _score(question: Question, correct: set[int], picked: list[int]) -> bool:
    if question.kind == QuestionKind.SINGLE:
        return len(picked) == 1 and picked[0] in correct
    return set(picked) == correct


def submit_attempt(
    *,
    session: TrainingSession,
    stage: str,
    pairing_code: str,
    answers: Mapping[int, list[int] | int],
    language: str = "en-gb",
    now: datetime.datetime | None = None,
) -> tuple[Attempt, bool]:
    """Store one attendee's answers to a stage; returns the attempt and whether it is new.

    ``answers`` maps each item's question id to the choice ids picked (single, multiple,
    follow-up) or the rating 1 to 5 (confidence). Every item of the stage must be
    answered and nothing else. The same pairing code sent again for the stage returns
    the attempt stored first (a double submit stores one record).
    """
    if stage not in Stage.values or not stage_is_open(session, stage, now=now):
        raise ValidationError({"stage": _("This test is not open")})
    items = list(
        CourseItem.objects.filter(course_id=session.course_id, stage=stage).select_related(
            "question"
        )
    )
    questions = {item.question_id: item.question for item in items}
    if set(answers) - set(questions):
        raise ValidationError({"answers": _("Answer only the questions of this test")})
    choices: dict[int, dict[int, bool]] = {}
    for choice in Choice.objects.filter(question_id__in=questions):
        choices.setdefault(choice.question_id, {})[choice.pk] = choice.is_correct
    rows = []
    for position, item in enumerate(items, start=1):
        question = item.question
        given = answers.get(question.pk)
        field_name = f"q{question.pk}"
        if question.kind == QuestionKind.CONFIDENCE:
            if not isinstance(given, int) or isinstance(given, bool) or not 1 <= given <= 5:
                message = _("Question %(number)s: choose how much you agree, from 1 to 5")
                raise ValidationError({field_name: message % {"number": position}})
            rows.append(Answer(question=question, rating=given))
            continue
        offered = choices.get(question.pk, {})
        picked = list(given) if isinstance(given, list | tuple) else []
        if not picked or not set(picked) <= set(offered) or len(set(picked)) != len(picked):
            message = _("Question %(number)s: choose an answer from the list")
            raise ValidationError({field_name: message % {"number": position}})
        if question.kind == QuestionKind.SINGLE and len(picked) != 1:
            message = _("Question %(number)s: choose one answer")
            raise ValidationError({field_name: message % {"number": position}})
        is_correct = (
            _score(question, {pk for pk, right in offered.items() if right}, picked)
            if question.is_knowledge
            else None
        )
        rows.append(Answer(question=question, choices=sorted(picked), is_correct=is_correct))
    knowledge = [row.is_correct for row in rows if row.is_correct is not None]
    ratings = [row.rating for row in rows if row.rating is not None]
    existing = Attempt.objects.filter(
        session=session, stage=stage, pairing_code=pairing_code
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                session=session,
                stage=stage,
                pairing_code=pairing_code,
                language=language[:8],
                score=100 * sum(knowledge) / len(knowledge) if knowledge else None,
                confidence=(
                    100 * sum(rating >= CONFIDENT_AT for rating in ratings) / len(ratings)
                    if ratings
                    else None
                ),
            )
            for row in rows:
                row.attempt = attempt
            Answer.objects.bulk_create(rows)
    except IntegrityError:
        existing = Attempt.objects.filter(
            session=session, stage=stage, pairing_code=pairing_code
        ).first()
        if existing is None:  # pragma: no cover (the constraint that failed names it)
            raise
        return existing, False
    return attempt, True
