"""Every read of training, filtered through the access policy (``core.access``).

Results are aggregates: no selector returns one attendee's answers, and per-question
figures are withheld under ``statistics.MIN_ATTEMPTS_FOR_ITEMS`` attempts. A session,
course or question the reader may not manage is absent (``NotFoundOrNotAllowed``), the
same as one that does not exist.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from lantern.core import access
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import Organisation, User
from lantern.outreach import pairing, statistics
from lantern.outreach.models.training import (
    CONFIDENT_AT,
    Answer,
    Attempt,
    Booking,
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


def _managed(user: User) -> None:
    if not access.can_manage_training(user):
        raise NotFoundOrNotAllowed


# Lookups.


def topics() -> QuerySet[TrainingTopic]:
    return TrainingTopic.objects.all()


def sectors() -> QuerySet[TrainingSector]:
    return TrainingSector.objects.all()


def frontline_roles() -> QuerySet[FrontlineRole]:
    return FrontlineRole.objects.all()


# Courses and the question bank (those who manage training).


def courses(user: User) -> QuerySet[Course]:
    if not access.can_manage_training(user):
        return Course.objects.none()
    return Course.objects.prefetch_related("topics").annotate(session_count=Count("sessions"))


def course_for_managing(user: User, pk: int) -> Course:
    course = courses(user).filter(pk=pk).first()
    if course is None:
        raise NotFoundOrNotAllowed
    return course


def course_items(course: Course) -> dict[str, list[Question]]:
    """The questions each stage of the course asks, in order."""
    items: dict[str, list[Question]] = {stage: [] for stage in Stage.values}
    for item in CourseItem.objects.filter(course=course).select_related("question__topic"):
        items[item.stage].append(item.question)
    return items


def question_bank(user: User, *, topic: TrainingTopic | None = None) -> QuerySet[Question]:
    """The current version of every question, by topic."""
    if not access.can_manage_training(user):
        return Question.objects.none()
    questions = (
        Question.objects.filter(is_current=True)
        .select_related("topic")
        .prefetch_related("choices")
        .order_by("topic__order", "key")
    )
    return questions.filter(topic=topic) if topic is not None else questions


def question_for_managing(user: User, pk: int) -> Question:
    question = question_bank(user).filter(pk=pk).first()
    if question is None:
        raise NotFoundOrNotAllowed
    return question


def question_history(question: Question) -> QuerySet[Question]:
    return Question.objects.filter(key=question.key).order_by("-version")


def submitted_course(user: User, submission_key: Any) -> Course | None:
    """The course this form already created, for its author only (a double submit)."""
    return courses(user).filter(submission_key=submission_key, created_by=user).first()


# Sessions: the calendar, bookings, and managing.


def _with_booked(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return (
        sessions.select_related("course", "trainer_organisation")
        .annotate(booked=Sum("bookings__places", default=0))
        .order_by("starts_at", "pk")
    )


def calendar(user: User) -> QuerySet[TrainingSession]:
    """Upcoming sessions, with the places booked, for anyone who books training."""
    if not access.can_book_training(user):
        return TrainingSession.objects.none()
    return _with_booked(TrainingSession.objects.filter(starts_at__gt=timezone.now()))


def session_for_booking(user: User, code: str) -> TrainingSession:
    session = calendar(user).filter(code=code).first()
    if session is None:
        raise NotFoundOrNotAllowed
    return session


def own_bookings(user: User, session: TrainingSession) -> QuerySet[Booking]:
    """What the user's organisation booked on the session (the officer sees all of them)."""
    bookings = Booking.objects.filter(session=session).select_related("organisation", "role")
    if access.can_manage_training(user):
        return bookings
    if not access.can_book_training(user):
        return bookings.none()
    return bookings.filter(organisation_id=user.organisation_id)


def booking_organisations(user: User) -> QuerySet[Organisation]:
    """Who the user may book for: their own organisation, or any active partner."""
    if access.can_manage_training(user):
        return Organisation.objects.with_shared_data_access()
    if not access.can_book_training(user):
        return Organisation.objects.none()
    return Organisation.objects.with_shared_data_access().filter(pk=user.organisation_id)


def sessions_for_managing(user: User) -> QuerySet[TrainingSession]:
    if not access.can_manage_training(user):
        return TrainingSession.objects.none()
    return _with_booked(TrainingSession.objects.all()).order_by("-starts_at", "-pk")


def session_for_managing(user: User, code: str) -> TrainingSession:
    """The session with ``code`` for those who manage training; otherwise 404, as if missing.

    The code may come from a query string: one holding anything but ASCII letters and
    digits (a NUL byte fails the query on PostgreSQL) is missing before any lookup.
    """
    if not (code.isascii() and code.isalnum()):
        raise NotFoundOrNotAllowed
    session = sessions_for_managing(user).filter(code=code).first()
    if session is None:
        raise NotFoundOrNotAllowed
    return session


def submitted_session(user: User, submission_key: Any) -> TrainingSession | None:
    return (
        sessions_for_managing(user).filter(submission_key=submission_key, created_by=user).first()
    )


def submitted_booking(user: User, submission_key: Any) -> Booking | None:
    if not access.can_book_training(user):
        return None
    return Booking.objects.filter(submission_key=submission_key, booked_by=user).first()


def trainer_organisations(user: User) -> QuerySet[Organisation]:
    if not access.can_manage_training(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(is_active=True)


def attempt_counts(session: TrainingSession) -> dict[str, int]:
    """How many attempts each stage received (a count, never who)."""
    counts = dict(
        Attempt.objects.filter(session=session)
        .values_list("stage")
        .annotate(total=Count("pk"))
        .values_list("stage", "total")
    )
    return {stage: counts.get(stage, 0) for stage in Stage.values}


# Attendees (no account): the session behind a code.


def session_for_attendee(code: str) -> TrainingSession | None:
    """The session a typed code names, or ``None``: the public pages say so either way."""
    code = (code or "").strip().upper()
    if not code.isalnum() or len(code) > 12:
        return None
    return (
        TrainingSession.objects.select_related("course", "trainer_organisation")
        .filter(code=code)
        .first()
    )


def stage_questions(session: TrainingSession, stage: str) -> list[Question]:
    return [
        item.question
        for item in CourseItem.objects.filter(course_id=session.course_id, stage=stage)
        .select_related("question")
        .prefetch_related("question__choices")
    ]


def has_attempt(session: TrainingSession, stage: str, pairing_code: str) -> bool:
    """Whether the attendee holding ``pairing_code`` has sent ``stage`` of ``session``."""
    return Attempt.objects.filter(
        session=session, stage=stage, pairing_code=pairing.key(session.code, pairing_code)
    ).exists()


# Results: aggregates only.


@dataclass(frozen=True)
class Measure:
    """A paired pre/post comparison of one score (knowledge or confidence)."""

    label: str
    result: statistics.PairedResult | None


@dataclass(frozen=True)
class TopicResult:
    topic: TrainingTopic
    knowledge: statistics.PairedResult | None
    confidence: statistics.PairedResult | None


@dataclass
class Results:
    attendees: int = 0
    pre_attempts: int = 0
    post_attempts: int = 0
    follow_up_attempts: int = 0
    knowledge: statistics.PairedResult | None = None
    confidence: statistics.PairedResult | None = None
    by_topic: list[TopicResult] = field(default_factory=list)
    items: list[tuple[Question, statistics.ItemStatistics]] = field(default_factory=list)
    follow_up: list[tuple[Question, list[tuple[str, int]]]] = field(default_factory=list)


def results(
    user: User,
    *,
    session: TrainingSession | None = None,
    course: Course | None = None,
    topic: TrainingTopic | None = None,
    year: int | None = None,
) -> Results:
    """Paired results for a session, a course, a topic and a year, as aggregates.

    Pairs are a pre-test and a post-test with the same pairing code in the same session.
    Scores are recomputed on the items of ``topic`` when one is given. Item statistics are
    on post-tests (one attempt per pairing code and stage: Moodle's "first attempt").
    """
    _managed(user)
    return _compute_results(session=session, course=course, topic=topic, year=year)


# Results are kept this long at most; a new (or removed) attempt replaces them at once.
RESULTS_CACHE_SECONDS = 15 * 60


def _compute_results(
    *,
    session: TrainingSession | None = None,
    course: Course | None = None,
    topic: TrainingTopic | None = None,
    year: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> Results:
    """The figures behind ``results``, for callers that checked the reader already.

    ``since`` and ``until`` keep sessions starting in those days (a financial year).

    Pairing and testing 10,000 attempts takes about a second, too slow for a page an
    officer reloads while a room sends post-tests. The figures are cached per filter
    (shared by the web workers) under a key that includes the newest attempt's id and the
    number of attempts: any attempt stored or removed makes a new key, so a cached figure
    is never older than the answers. Topic names follow within ``RESULTS_CACHE_SECONDS``.
    """
    latest = Attempt.objects.aggregate(last=Max("pk"), count=Count("pk"))
    filters = [
        getattr(session, "pk", None),
        getattr(course, "pk", None),
        getattr(topic, "pk", None),
        year,
        since and since.isoformat(),
        until and until.isoformat(),
        latest["last"],
        latest["count"],
        get_language(),
    ]
    key = "outreach:results:" + hashlib.sha256(json.dumps(filters).encode()).hexdigest()
    outcome = cache.get(key)
    if outcome is None:
        outcome = _results_from_answers(
            session=session, course=course, topic=topic, year=year, since=since, until=until
        )
        cache.set(key, outcome, RESULTS_CACHE_SECONDS)
    return outcome


def _results_from_answers(
    *,
    session: TrainingSession | None,
    course: Course | None,
    topic: TrainingTopic | None,
    year: int | None,
    since: datetime.date | None,
    until: datetime.date | None,
) -> Results:
    """Pair the attempts the filters keep and compute their figures.

    The database sums each attempt's answers by topic (one row per attempt, topic and
    kind), so a course with 10,000 attempts reads tens of thousands of small rows, not
    every answer; only post-test answers to knowledge items are read one by one, for the
    per-question figures.
    """
    attempts = Attempt.objects.all()
    if session is not None:
        attempts = attempts.filter(session=session)
    if course is not None:
        attempts = attempts.filter(session__course=course)
    if year is not None:
        attempts = attempts.filter(session__starts_at__year=year)
    if since is not None:
        attempts = attempts.filter(session__starts_at__date__gte=since)
    if until is not None:
        attempts = attempts.filter(session__starts_at__date__lte=until)
    answers = Answer.objects.filter(attempt__in=attempts.values("pk"))
    if topic is not None:
        answers = answers.filter(question__topic=topic)
    knowledge_kinds = [QuestionKind.SINGLE, QuestionKind.MULTIPLE]
    sums = answers.values_list("attempt_id", "question__topic_id", "question__kind").annotate(
        correct=Count("pk", filter=Q(is_correct=True)),
        confident=Count("pk", filter=Q(rating__gte=CONFIDENT_AT)),
        asked=Count("pk"),
    )
    # Per attempt and topic (None for all of them): [correct, asked] and [confident, rated].
    knowledge: dict[int, dict[int | None, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    confidence: dict[int, dict[int | None, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0])
    )
    answered: set[int] = set()
    for attempt_id, topic_id, kind, correct, confident, asked in sums:
        answered.add(attempt_id)
        if kind in knowledge_kinds:
            tallies, right = knowledge, correct
        elif kind == QuestionKind.CONFIDENCE:
            tallies, right = confidence, confident
        else:
            continue
        for key in (None, topic_id):
            tally = tallies[attempt_id][key]
            tally[0] += right
            tally[1] += asked

    by_code: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
    stage_counts: dict[str, int] = defaultdict(int)
    for attempt_id, session_id, stage, code in attempts.values_list(
        "pk", "session_id", "stage", "pairing_code"
    ):
        if attempt_id not in answered:
            continue
        by_code[(session_id, code)][stage] = attempt_id
        stage_counts[stage] += 1
    pairs = [
        (stages[Stage.PRE], stages[Stage.POST])
        for stages in by_code.values()
        if Stage.PRE in stages and Stage.POST in stages
    ]

    def paired(
        tallies: dict[int, dict[int | None, list[int]]], key: int | None
    ) -> statistics.PairedResult | None:
        pre, post = [], []
        for before, after in pairs:
            a, b = tallies.get(before, {}).get(key), tallies.get(after, {}).get(key)
            if a and b and a[1] and b[1]:
                pre.append(100 * a[0] / a[1])
                post.append(100 * b[0] / b[1])
        return statistics.paired(pre, post)

    outcome = Results(
        attendees=len(by_code),
        pre_attempts=stage_counts[Stage.PRE],
        post_attempts=stage_counts[Stage.POST],
        follow_up_attempts=stage_counts[Stage.FOLLOW_UP],
        knowledge=paired(knowledge, None),
        confidence=paired(confidence, None),
    )
    topic_ids = {
        key for tallies in (knowledge, confidence) for per in tallies.values() for key in per
    }
    for each in TrainingTopic.objects.filter(pk__in=topic_ids - {None}):
        outcome.by_topic.append(
            TopicResult(each, paired(knowledge, each.pk), paired(confidence, each.pk))
        )
    item_scores: dict[int, dict[int, float]] = defaultdict(dict)
    for attempt_id, question_id, correct in answers.filter(
        attempt__stage=Stage.POST, question__kind__in=knowledge_kinds
    ).values_list("attempt_id", "question_id", "is_correct"):
        item_scores[attempt_id][question_id] = 1.0 if correct else 0.0
    item_figures = statistics.item_statistics(list(item_scores.values()))
    questions = Question.objects.in_bulk([figure.key for figure in item_figures])
    outcome.items = [(questions[figure.key], figure) for figure in item_figures]
    follow_up: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for question_id, picked in answers.filter(
        attempt__stage=Stage.FOLLOW_UP, question__kind=QuestionKind.FOLLOW_UP
    ).values_list("question_id", "choices"):
        for choice_id in picked or []:
            follow_up[question_id][choice_id] += 1
    if follow_up:
        follow_questions = Question.objects.prefetch_related("choices").in_bulk(list(follow_up))
        for question_id, counts in follow_up.items():
            question = follow_questions[question_id]
            outcome.follow_up.append(
                (
                    question,
                    [(choice.label, counts.get(choice.pk, 0)) for choice in question.choices.all()],
                )
            )
    return outcome


def result_years(user: User) -> list[int]:
    if not access.can_manage_training(user):
        return []
    return sorted(
        {moment.year for moment in TrainingSession.objects.values_list("starts_at", flat=True)},
        reverse=True,
    )


# Reach: staff trained, for the officer's page and the evaluation app.


def trained_staff(
    user: User, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Staff trained (attendance recorded) by month, organisation, sector and role.

    One row per combination: ``month`` (first of the month), ``organisation_name``,
    ``sector`` (the organisation's type), ``role_code`` (frontline role) and ``trained``.
    Small numbers are not suppressed here: the evaluation pages do that for their audience.
    """
    if not access.can_see_training_totals(user):
        return []
    bookings = Booking.objects.filter(attended__gt=0)
    if since is not None:
        bookings = bookings.filter(session__starts_at__date__gte=since)
    if until is not None:
        bookings = bookings.filter(session__starts_at__date__lte=until)
    return list(
        bookings.annotate(month=TruncMonth("session__starts_at"))
        .values(
            "month",
            organisation_name=F("organisation__name"),
            sector=F("organisation__organisation_type"),
            role_code=F("role__code"),
        )
        .annotate(trained=Sum("attended"))
        .order_by("month", "organisation_name", "role_code")
    )


def reach_totals(user: User) -> dict[str, Any]:
    """Staff trained in all, by sector and by year: what the reach page shows."""
    rows = trained_staff(user)
    by_sector: dict[str, int] = defaultdict(int)
    by_year: dict[int, int] = defaultdict(int)
    by_organisation: dict[str, int] = defaultdict(int)
    for row in rows:
        by_sector[row["sector"]] += row["trained"]
        by_year[row["month"].year] += row["trained"]
        by_organisation[row["organisation_name"]] += row["trained"]
    return {
        "total": sum(row["trained"] for row in rows),
        "by_sector": sorted(by_sector.items(), key=lambda pair: -pair[1]),
        "by_year": sorted(by_year.items()),
        "by_organisation": sorted(by_organisation.items(), key=lambda pair: (-pair[1], pair[0])),
    }


def paired_results_by_topic(
    user: User,
    *,
    year: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[TopicResult]:
    """Paired pre/post knowledge and confidence per topic, for the evaluation app's KPIs
    and board pack (``since``/``until``: sessions starting in those days)."""
    if not access.can_see_training_totals(user):
        return []
    return _compute_results(year=year, since=since, until=until).by_topic


def knowledge_uplift(
    user: User,
    *,
    since: datetime.date,
    until: datetime.date,
    topic_code: str | None = None,
) -> statistics.PairedResult | None:
    """Paired pre/post knowledge scores of sessions starting in those days (all topics,
    or one topic's items), for the evaluation app's knowledge uplift KPI. ``None`` for
    a reader who may not see training totals, an unknown topic, or no pair."""
    if not access.can_see_training_totals(user):
        return None
    topic = None
    if topic_code:
        topic = TrainingTopic.objects.filter(code=topic_code).first()
        if topic is None:
            return None
    return _compute_results(since=since, until=until, topic=topic).knowledge


def sessions_held(user: User, *, since: datetime.date, until: datetime.date) -> int:
    """How many sessions started in those days and before now (a session booked for next
    month was not held yet), a total for those who may see training totals."""
    if not access.can_see_training_totals(user):
        return 0
    return TrainingSession.objects.filter(
        starts_at__date__gte=since, starts_at__date__lte=until, starts_at__lte=timezone.now()
    ).count()
