"""Five years of frontline training: a starter question bank, three courses, about forty
sessions and 220+ staff from the demo's police, NHS, fire, council and charity partners.

Answers are drawn so that NRM awareness rises as the partnership reported (about 35%
answering correctly before, 84% after: the seed's +140% relative change) while other
topics rise less; about one attendee in ten misses the post-test. Everything is written
in bulk once per seed (the first course's submission key says whether it is there).
"""

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lantern.core import references
from lantern.core.models import Organisation, OrganisationType, User
from lantern.core.roles import Role
from lantern.outreach.models.training import (
    CONFIDENT_AT,
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
from lantern.outreach.pairing import key as pairing_key

_NAMESPACE = uuid.UUID("8b1f3c52-7d4e-4a09-9c61-3e5f0a2b7d84")
SESSIONS = 40
UPCOMING = 3
YEARS = 5
# Chance of a right answer (or of a confidence of 4 or 5) before and after, by topic.
_PRE_POST = {"nrm": (0.35, 0.84), "default": (0.55, 0.74)}
_CONFIDENT = (0.30, 0.78)
MISSES_POST_TEST = 0.1

_SINGLE, _MULTIPLE, _CONFIDENCE, _FOLLOW_UP = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.CONFIDENCE,
    QuestionKind.FOLLOW_UP,
)


@dataclass(frozen=True)
class _Q:
    topic: str
    key: str
    kind: str
    text: str
    text_fr: str
    # (English, French, correct)
    choices: tuple[tuple[str, str, bool], ...] = ()


BANK = (
    _Q(
        "nrm",
        "nrm_who_refers",
        _SINGLE,
        "Who can refer a potential victim to the National Referral Mechanism?",
        "Qui peut orienter une victime potentielle vers le National Referral Mechanism ?",
        (
            (
                "Only a First Responder Organisation",
                "Seulement un premier intervenant désigné",
                True,
            ),
            ("Any member of the public", "N'importe quel membre du public", False),
            ("Only the police", "Seulement la police", False),
        ),
    ),
    _Q(
        "nrm",
        "nrm_adult_consent",
        _SINGLE,
        "An adult does not consent to an NRM referral. What must a public authority do?",
        (
            "Un adulte ne consent pas à l'orientation vers le NRM. "
            "Que doit faire une autorité publique ?"
        ),
        (
            (
                "Make an anonymous Duty to Notify report",
                "Faire un signalement anonyme au titre du Duty to Notify",
                True,
            ),
            ("Refer them anyway", "L'orienter quand même", False),
            ("Nothing", "Rien", False),
        ),
    ),
    _Q(
        "nrm",
        "nrm_child_consent",
        _SINGLE,
        "Does a child need to consent to an NRM referral?",
        "Un enfant doit-il consentir à une orientation vers le NRM ?",
        (
            ("No", "Non", True),
            ("Yes", "Oui", False),
            ("Only if over 16", "Seulement après 16 ans", False),
        ),
    ),
    _Q(
        "nrm",
        "nrm_confident_referral",
        _CONFIDENCE,
        "I know how to make a referral to the NRM.",
        "Je sais comment faire une orientation vers le NRM.",
    ),
    _Q(
        "signs",
        "signs_indicators",
        _MULTIPLE,
        "Which of these can be signs of modern slavery?",
        "Lesquels de ces éléments peuvent être des signes d'esclavage moderne ?",
        (
            (
                "Someone else holds their passport",
                "Quelqu'un d'autre garde son passeport",
                True,
            ),
            ("They live at their workplace", "La personne vit sur son lieu de travail", True),
            ("They have a smartphone", "La personne a un smartphone", False),
        ),
    ),
    _Q(
        "signs",
        "signs_confident",
        _CONFIDENCE,
        "I can recognise the signs that someone is being exploited.",
        "Je sais reconnaître les signes qu'une personne est exploitée.",
    ),
    _Q(
        "reporting",
        "reporting_emergency",
        _SINGLE,
        "Someone is in immediate danger. Whom do you call?",
        "Une personne est en danger immédiat. Qui appelez-vous ?",
        (
            ("999", "Le 999", True),
            ("The Modern Slavery Helpline", "La ligne d'écoute Modern Slavery Helpline", False),
            ("Crimestoppers", "Crimestoppers", False),
        ),
    ),
    _Q(
        "reporting",
        "reporting_helpline",
        _SINGLE,
        "Which line gives advice on modern slavery, 24 hours a day?",
        "Quelle ligne conseille sur l'esclavage moderne, 24 heures sur 24 ?",
        (
            (
                "The Modern Slavery Helpline, 08000 121 700",
                "La Modern Slavery Helpline, 08000 121 700",
                True,
            ),
            ("101", "Le 101", False),
        ),
    ),
    _Q(
        "child-exploitation",
        "child_county_lines",
        _SINGLE,
        "A 15-year-old often travels to another county and has unexplained cash. This may be:",
        (
            "Un jeune de 15 ans voyage souvent dans un autre comté et a "
            "de l'argent inexpliqué. Cela peut être :"
        ),
        (
            (
                "Criminal exploitation (county lines)",
                "De l'exploitation criminelle (county lines)",
                True,
            ),
            (
                "Normal teenage behaviour, nothing to do",
                "Un comportement normal, rien à faire",
                False,
            ),
        ),
    ),
    _Q(
        "labour-exploitation",
        "labour_debt",
        _SINGLE,
        "A worker owes a debt to the person who found them the job and it keeps growing. This is:",
        (
            "Un travailleur doit une dette à la personne qui lui a trouvé "
            "l'emploi et elle augmente sans cesse. C'est :"
        ),
        (
            ("A sign of debt bondage", "Un signe de servitude pour dettes", True),
            ("A normal arrangement", "Un arrangement normal", False),
        ),
    ),
    _Q(
        "sexual-exploitation",
        "sexual_control",
        _SINGLE,
        "Adverts for different women give the same phone number. What may this show?",
        (
            "Des annonces pour différentes femmes donnent le même "
            "numéro. Qu'est-ce que cela peut montrer ?"
        ),
        (
            ("One person controls them", "Une seule personne les contrôle", True),
            ("Nothing", "Rien", False),
        ),
    ),
    _Q(
        "interpreters",
        "interpreters_family",
        _SINGLE,
        "Should a family member or the employer interpret for a potential victim?",
        (
            "Un membre de la famille ou l'employeur doit-il servir "
            "d'interprète à une victime potentielle ?"
        ),
        (
            (
                "No, use an independent interpreter",
                "Non, faire appel à un interprète indépendant",
                True,
            ),
            ("Yes, if they speak both languages", "Oui, s'il parle les deux langues", False),
        ),
    ),
    _Q(
        "trauma-informed",
        "trauma_inconsistent",
        _SINGLE,
        "A survivor's account changes between interviews. What does this most likely show?",
        (
            "Le récit d'une personne survivante change d'un entretien à "
            "l'autre. Que cela montre-t-il le plus probablement ?"
        ),
        (
            ("The effects of trauma", "Les effets du traumatisme", True),
            ("That they are lying", "Qu'elle ment", False),
        ),
    ),
    _Q(
        "nrm",
        "follow_up_actions",
        _FOLLOW_UP,
        "Since the training, have you done any of these?",
        "Depuis la formation, avez-vous fait l'une de ces choses ?",
        (
            ("Identified a possible victim", "Repéré une victime possible", False),
            ("Reported a concern", "Signalé une inquiétude", False),
            (
                "Made an NRM referral or Duty to Notify report",
                "Fait une orientation NRM ou un signalement Duty to Notify",
                False,
            ),
            ("None of these", "Aucune de ces choses", False),
        ),
    ),
)

COURSES = (
    (
        "Modern slavery awareness for frontline staff",
        ("signs", "nrm", "reporting"),
        ("police", "health", "fire-and-rescue", "local-authority", "charity"),
        180,
        "in_person",
        True,
    ),
    (
        "County lines and child exploitation",
        ("child-exploitation", "signs", "reporting"),
        ("police", "education", "local-authority", "health"),
        120,
        "online",
        False,
    ),
    (
        "Supporting survivors: interpreters and trauma-informed practice",
        ("interpreters", "trauma-informed", "nrm", "labour-exploitation", "sexual-exploitation"),
        ("health", "charity", "local-authority"),
        150,
        "in_person",
        False,
    ),
)

# Which frontline roles each kind of organisation books.
_ROLES = {
    OrganisationType.POLICE: ("response-officer", "neighbourhood-officer", "detective"),
    OrganisationType.HEALTH: ("nurse", "doctor", "paramedic"),
    OrganisationType.FIRE_AND_RESCUE: ("firefighter",),
    OrganisationType.LOCAL_AUTHORITY: ("social-worker", "housing-officer", "licensing-officer"),
    OrganisationType.CHARITY: ("support-worker",),
}
_VENUES = (
    "City Hall, Leicester",
    "Loughborough Town Hall",
    "Leicestershire Police Headquarters, Enderby",
    "Rutland County Council, Oakham",
    "Leicester Royal Infirmary education centre",
)


def _key(seed: int, name: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{seed}-{name}")


def generate(*, seed: int, today: datetime.date | None = None) -> int:
    """Write the demo's training once per seed; returns the number of sessions written."""
    today = today or timezone.localdate()
    if Course.objects.filter(submission_key=_key(seed, "course-0")).exists():
        return 0
    officer = (
        User.objects.filter(groups__name=Role.OUTREACH_OFFICER.value, is_active=True)
        .order_by("pk")
        .first()
    )
    partners = {
        kind: list(
            Organisation.objects.with_shared_data_access()
            .filter(organisation_type=kind)
            .order_by("pk")
        )
        for kind in _ROLES
    }
    if officer is None or not all(partners.values()):
        return 0
    randomiser = random.Random(seed)  # noqa: S311  (synthetic data, not security)
    with transaction.atomic():
        questions = _bank(officer)
        courses = _courses(seed, officer, questions)
        return _sessions(seed, today, officer, courses, partners, randomiser)


def _bank(officer: User) -> dict[str, Question]:
    topics = {topic.code: topic for topic in TrainingTopic.objects.all()}
    existing = {question.key: question for question in Question.objects.filter(is_current=True)}
    questions = dict(existing)
    for entry in BANK:
        if entry.key in existing:
            continue
        question = Question.objects.create(
            topic=topics[entry.topic],
            key=entry.key,
            kind=entry.kind,
            text=entry.text,
            text_fr=entry.text_fr,
            created_by=officer,
        )
        Choice.objects.bulk_create(
            Choice(
                question=question,
                position=position,
                name=f"c{position + 1}",
                text=text,
                text_fr=text_fr,
                is_correct=correct,
            )
            for position, (text, text_fr, correct) in enumerate(entry.choices)
        )
        questions[entry.key] = question
    return questions


def _courses(seed: int, officer: User, questions: dict[str, Question]) -> list[Course]:
    topics = {topic.code: topic for topic in TrainingTopic.objects.all()}
    sectors = {sector.code: sector for sector in TrainingSector.objects.all()}
    courses = []
    for number, (title, topic_codes, sector_codes, minutes, delivery, follow_up) in enumerate(
        COURSES
    ):
        course = Course.objects.create(
            submission_key=_key(seed, f"course-{number}"),
            title=title,
            summary="",
            duration_minutes=minutes,
            delivery=delivery,
            has_follow_up=follow_up,
            materials="Slides and the partnership's referral pathway leaflet.",
            created_by=officer,
        )
        course.topics.set([topics[code] for code in topic_codes])
        course.sectors.set([sectors[code] for code in sector_codes])
        test = [
            question
            for question in questions.values()
            if question.topic.code in topic_codes and question.kind != _FOLLOW_UP
        ]
        test.sort(key=lambda question: (topic_codes.index(question.topic.code), question.key))
        items = [
            CourseItem(course=course, stage=stage, question=question, position=position)
            for stage in (Stage.PRE, Stage.POST)
            for position, question in enumerate(test)
        ]
        if follow_up:
            items.append(
                CourseItem(
                    course=course, stage=Stage.FOLLOW_UP, question=questions["follow_up_actions"]
                )
            )
        CourseItem.objects.bulk_create(items)
        courses.append(course)
    return courses


def _code(randomiser: random.Random) -> str:
    return "".join(randomiser.choice(references.REFERENCE_ALPHABET) for _ in range(6))


def _sessions(
    seed: int,
    today: datetime.date,
    officer: User,
    courses: list[Course],
    partners: dict[str, list[Organisation]],
    randomiser: random.Random,
) -> int:
    roles = {role.code: role for role in FrontlineRole.objects.all()}
    items = {
        course.pk: {
            stage: [
                item.question
                for item in course.items.select_related("question__topic").filter(stage=stage)
            ]
            for stage in Stage.values
        }
        for course in courses
    }
    choices: dict[int, list[Choice]] = {}
    for choice in Choice.objects.filter(
        question__in={q.pk for by in items.values() for s in by.values() for q in s}
    ):
        choices.setdefault(choice.question_id, []).append(choice)
    first_day = today - datetime.timedelta(days=YEARS * 365)
    step = (today - first_day) / SESSIONS
    zone = timezone.get_current_timezone()
    used_codes = set(TrainingSession.objects.values_list("code", flat=True))
    now = timezone.now()
    attempts: list[Attempt] = []
    answers: list[list[Answer]] = []
    written = 0
    for number in range(SESSIONS + UPCOMING):
        course = courses[number % len(courses)]
        if number < SESSIONS:
            day = first_day + step * number
        else:
            day = today + datetime.timedelta(days=14 * (number - SESSIONS + 1))
        starts = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=zone)
        ends = starts + datetime.timedelta(minutes=course.duration_minutes)
        code = _code(randomiser)
        while code in used_codes:
            code = _code(randomiser)
        used_codes.add(code)
        trainer = partners[OrganisationType.CHARITY][
            number % len(partners[OrganisationType.CHARITY])
        ]
        session = TrainingSession.objects.create(
            submission_key=_key(seed, f"session-{number}"),
            code=code,
            course=course,
            starts_at=starts,
            ends_at=ends,
            trainer_organisation=trainer,
            trainer_name=randomiser.choice(
                ("Amira Khan", "Tom Walsh", "Priya Patel", "Claire Dubois")
            ),
            venue="" if course.delivery == "online" else _VENUES[number % len(_VENUES)],
            online_link="https://meet.example.org/lantern-training"
            if course.delivery == "online"
            else "",
            capacity=30,
            pre_opens_at=starts - datetime.timedelta(hours=1),
            pre_closes_at=ends,
            post_opens_at=starts,
            post_closes_at=ends + datetime.timedelta(days=7),
            follow_up_opens_at=ends + datetime.timedelta(days=90) if course.has_follow_up else None,
            follow_up_closes_at=ends + datetime.timedelta(days=120)
            if course.has_follow_up
            else None,
            created_by=officer,
        )
        written += 1
        kinds = randomiser.sample(list(_ROLES), k=3)
        bookings = []
        for position, kind in enumerate(kinds):
            organisation = randomiser.choice(partners[kind])
            places = randomiser.randint(1, 3)
            attended = None
            if session.starts_at < now:
                attended = max(1, places - (randomiser.random() < 0.2))
            bookings.append(
                Booking(
                    submission_key=_key(seed, f"booking-{number}-{position}"),
                    session=session,
                    organisation=organisation,
                    role=roles[randomiser.choice(_ROLES[kind])],
                    places=places,
                    attended=attended,
                    booked_by=officer,
                )
            )
        Booking.objects.bulk_create(bookings)
        if session.starts_at >= now:
            continue
        attendees = sum(booking.attended or 0 for booking in bookings)
        for _person in range(attendees):
            pairing = references.new_reference(randomiser)
            stages = [Stage.PRE]
            if randomiser.random() >= MISSES_POST_TEST:
                stages.append(Stage.POST)
            if (
                course.has_follow_up
                and session.follow_up_closes_at is not None
                and session.follow_up_closes_at < now
                and randomiser.random() < 0.4
            ):
                stages.append(Stage.FOLLOW_UP)
            for stage in stages:
                attempt, rows = _attempt(
                    session, stage, pairing, items[course.pk][stage], choices, randomiser
                )
                attempts.append(attempt)
                answers.append(rows)
    Attempt.objects.bulk_create(attempts, batch_size=1000)
    rows = []
    for attempt, attempt_rows in zip(attempts, answers, strict=True):
        for row in attempt_rows:
            row.attempt = attempt
            rows.append(row)
    Answer.objects.bulk_create(rows, batch_size=2000)
    return written


def _attempt(
    session: TrainingSession,
    stage: str,
    pairing: str,
    questions: list[Question],
    choices: dict[int, list[Choice]],
    randomiser: random.Random,
) -> tuple[Attempt, list[Answer]]:
    after = stage != Stage.PRE
    rows = []
    for question in questions:
        if question.kind == _CONFIDENCE:
            confident = randomiser.random() < _CONFIDENT[after]
            rating = (
                randomiser.randint(CONFIDENT_AT, 5)
                if confident
                else randomiser.randint(1, CONFIDENT_AT - 1)
            )
            rows.append(Answer(question=question, rating=rating))
            continue
        options = choices[question.pk]
        if question.kind == _FOLLOW_UP:
            picked = sorted(
                {randomiser.choice(options).pk for _ in range(randomiser.randint(1, 2))}
            )
            rows.append(Answer(question=question, choices=picked))
            continue
        chance = _PRE_POST.get(question.topic.code, _PRE_POST["default"])[after]
        right = randomiser.random() < chance
        correct = [choice.pk for choice in options if choice.is_correct]
        wrong = [choice.pk for choice in options if not choice.is_correct]
        picked = correct if right else [randomiser.choice(wrong)]
        rows.append(Answer(question=question, choices=sorted(picked), is_correct=right))
    knowledge = [row.is_correct for row in rows if row.is_correct is not None]
    ratings = [row.rating for row in rows if row.rating is not None]
    attempt = Attempt(
        session=session,
        stage=stage,
        pairing_code=pairing_key(session.code, pairing),
        language="en-gb",
        score=100 * sum(knowledge) / len(knowledge) if knowledge else None,
        confidence=100 * sum(rating >= CONFIDENT_AT for rating in ratings) / len(ratings)
        if ratings
        else None,
    )
    return attempt, rows
