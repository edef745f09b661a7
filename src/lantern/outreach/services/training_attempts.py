"""Attendees' answers, from people without an account: stored under a pairing code only,
once per session, stage and code, and not audited (ADR 0020)."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lantern.outreach import pairing
from lantern.outreach.models.training import (
    CONFIDENT_AT,
    Answer,
    Attempt,
    Choice,
    CourseItem,
    Question,
    QuestionKind,
    Stage,
    TrainingSession,
)
from lantern.outreach.services.training_checks import _now

# Attendees' answers (no account).


def new_pairing_code() -> str:
    """A code the attendee keeps from the pre-test to the post-test: ``K7PD-3XQA``."""
    return pairing.new_code()


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
    the attempt stored first (a double submit stores one record). Only the code's keyed
    hash is stored (``pairing.key``).
    """
    pairing_key = pairing.key(session.code, pairing_code)
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
        session=session, stage=stage, pairing_code=pairing_key
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                session=session,
                stage=stage,
                pairing_code=pairing_key,
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
            session=session, stage=stage, pairing_code=pairing_key
        ).first()
        if existing is None:  # pragma: no cover (the constraint that failed names it)
            raise
        return existing, False
    return attempt, True
