"""Courses, their assessment items and the question bank: one function per use case,
each in a transaction, audited; refusals name the field."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lantern.core import audit, references
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.outreach.models.training import (
    Attempt,
    Choice,
    Course,
    CourseItem,
    Question,
    QuestionKind,
    Stage,
    TrainingSector,
    TrainingTopic,
)
from lantern.outreach.services.training_checks import (
    LONGEST_COURSE_MINUTES,
    _check_manager,
    _optional,
    _required,
)

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
    context: AuditContext | None = None,
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
            action=audit.Action.TRAINING_COURSE_CREATED, actor=actor, target=course, context=context
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
    context: AuditContext | None = None,
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
            context=context,
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
    *, actor: User, data: QuestionData, context: AuditContext | None = None
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
            context=context,
        )
    return question


def revise_question(
    *, actor: User, question: Question, data: QuestionData, context: AuditContext | None = None
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
            context=context,
            detail={"replaces": current.pk},
        )
    return revised


def import_questions(
    *, actor: User, questions: Sequence[QuestionData], context: AuditContext | None = None
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
                revise_question(actor=actor, question=current, data=data, context=context)
                revised += 1
        audit.record(
            action=audit.Action.TRAINING_QUESTIONS_IMPORTED,
            actor=actor,
            context=context,
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
