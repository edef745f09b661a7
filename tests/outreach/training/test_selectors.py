"""Results and reach as aggregates: the figures, the filters, and who may read them."""

import pytest

from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.roles import Role
from lantern.outreach.models.training import CourseItem, QuestionKind, Stage
from lantern.outreach.selectors import training as selectors
from lantern.outreach.services import training as services
from tests.outreach.training.factories import (
    BookingFactory,
    CourseFactory,
    QuestionFactory,
    SessionFactory,
    topic,
)

pytestmark = pytest.mark.django_db


def take(session, stage, code, *, right, confident):
    """``right``: how many of the knowledge items to answer correctly, in order."""
    answers = {}
    items = CourseItem.objects.filter(course=session.course, stage=stage).order_by("position")
    knowledge = 0
    for item in items:
        question = item.question
        if question.kind == QuestionKind.CONFIDENCE:
            answers[question.pk] = 5 if confident else 1
            continue
        name = "right" if knowledge < right else "wrong"
        knowledge += 1
        answers[question.pk] = [question.choices.get(name=name).pk]
    services.submit_attempt(session=session, stage=stage, pairing_code=code, answers=answers)


@pytest.fixture
def session():
    # Two NRM questions and one on the signs, and a confidence statement.
    questions = [
        QuestionFactory(),
        QuestionFactory(),
        QuestionFactory(topic=topic("signs")),
        QuestionFactory(kind=QuestionKind.CONFIDENCE),
    ]
    return SessionFactory(course=CourseFactory(questions=questions))


def test_paired_results_by_hand(session, officer):
    # Pre/post knowledge scores out of 3: A 1 -> 3, B 0 -> 2, C 2 -> 3; D only the pre-test.
    for code, before, after in (("AAAA-AAAA", 1, 3), ("BBBB-BBBB", 0, 2), ("CCCC-CCCC", 2, 3)):
        take(session, Stage.PRE, code, right=before, confident=False)
        take(session, Stage.POST, code, right=after, confident=True)
    take(session, Stage.PRE, "DDDD-DDDD", right=3, confident=True)
    outcome = selectors.results(officer, session=session)
    assert outcome.attendees == 4
    assert (outcome.pre_attempts, outcome.post_attempts) == (4, 3)
    knowledge = outcome.knowledge
    # Pre: 33.3, 0, 66.7 -> mean 33.3; post: 100, 66.7, 100 -> mean 88.9.
    assert knowledge.n == 3
    assert knowledge.mean_pre == pytest.approx(100 / 3)
    assert knowledge.mean_post == pytest.approx(800 / 9)
    assert knowledge.relative_change == pytest.approx((800 / 9 - 100 / 3) / (100 / 3))
    assert knowledge.normalised_gain == pytest.approx((800 / 9 - 100 / 3) / (100 - 100 / 3))
    assert outcome.confidence.mean_pre == 0 and outcome.confidence.mean_post == 100
    by_topic = {row.topic.code: row for row in outcome.by_topic}
    # NRM items are the first two: pre 1/2, 0/2, 2/2 (mean 50); post 2/2, 2/2, 2/2.
    assert by_topic["nrm"].knowledge.mean_pre == pytest.approx(50)
    assert by_topic["nrm"].knowledge.mean_post == pytest.approx(100)
    # Three post-tests: per-question figures stay hidden.
    assert all(figures.facility is None for _question, figures in outcome.items)


def test_a_topic_filter_recomputes_scores_on_its_items(session, officer):
    take(session, Stage.PRE, "AAAA-AAAA", right=2, confident=False)
    take(session, Stage.POST, "AAAA-AAAA", right=3, confident=False)
    signs = selectors.results(officer, topic=topic("signs"))
    assert signs.knowledge.mean_pre == 0 and signs.knowledge.mean_post == 100


def test_item_figures_show_from_five_post_tests(session, officer):
    for number in range(5):
        code = f"AAAA-AAA{'ACDEF'[number]}"
        take(session, Stage.POST, code, right=number % 4, confident=True)
    outcome = selectors.results(officer, course=session.course)
    facilities = [figures.facility for _question, figures in outcome.items]
    # Right answers 0, 1, 2, 3, 0 in order: the first item 3 of 5, the second 2, the third 1.
    assert facilities == pytest.approx([60, 40, 20])


@pytest.mark.parametrize("role", [Role.PARTNER_CONTRIBUTOR, Role.BOARD_VIEWER])
def test_results_are_for_those_who_manage_training(make_user, role):
    with pytest.raises(NotFoundOrNotAllowed):
        selectors.results(make_user(role))


def test_the_results_page_never_shows_a_pairing_code(session, signed_in):
    take(session, Stage.PRE, "AAAA-AAAA", right=1, confident=False)
    take(session, Stage.POST, "AAAA-AAAA", right=3, confident=True)
    client = signed_in(Role.OUTREACH_OFFICER)
    page = client.get(f"/training/results/?session={session.code}").content.decode()
    assert "AAAA-AAAA" not in page
    # One person's pair: its means would be their scores.
    assert "Hidden: 1 attendee took both tests, fewer than 5." in page
    assert "+200%" not in page
    for letter in "CDEF":
        code = f"{letter * 4}-{letter * 4}"
        take(session, Stage.PRE, code, right=1, confident=False)
        take(session, Stage.POST, code, right=3, confident=True)
    page = client.get(f"/training/results/?session={session.code}").content.decode()
    assert "+200%" in page


def test_trained_staff_by_month_organisation_sector_and_role(officer, make_user):
    booking = BookingFactory(attended=3)
    BookingFactory(attended=None)
    rows = selectors.trained_staff(officer)
    assert rows == [
        {
            "month": rows[0]["month"],
            "organisation_name": booking.organisation.name,
            "sector": booking.organisation.organisation_type,
            "role_code": "nurse",
            "trained": 3,
        }
    ]
    assert rows[0]["month"].day == 1
    assert selectors.trained_staff(make_user(Role.BOARD_VIEWER))[0]["trained"] == 3
    assert selectors.trained_staff(make_user(Role.PARTNER_CONTRIBUTOR)) == []
    assert selectors.reach_totals(officer)["total"] == 3


def test_paired_results_by_topic_for_the_evaluation_app(session, officer, make_user):
    take(session, Stage.PRE, "AAAA-AAAA", right=0, confident=False)
    take(session, Stage.POST, "AAAA-AAAA", right=3, confident=True)
    by_topic = selectors.paired_results_by_topic(make_user(Role.BOARD_VIEWER))
    assert {row.topic.code for row in by_topic} == {"nrm", "signs"}
    assert selectors.paired_results_by_topic(make_user(Role.PARTNER_CONTRIBUTOR)) == []


def test_cached_results_never_lag_behind_a_new_attempt(
    session, officer, django_assert_max_num_queries
):
    for code, before, after in (("AAAA-AAAA", 1, 3), ("CCCC-CCCC", 0, 1)):
        take(session, Stage.PRE, code, right=before, confident=False)
        take(session, Stage.POST, code, right=after, confident=True)
    first = selectors.results(officer, session=session)
    with django_assert_max_num_queries(2):  # the access check and the newest attempt
        again = selectors.results(officer, session=session)

    take(session, Stage.PRE, "BBBB-BBBB", right=0, confident=False)
    take(session, Stage.POST, "BBBB-BBBB", right=2, confident=True)
    after = selectors.results(officer, session=session)

    assert (first.knowledge.n, again.knowledge.n, after.knowledge.n) == (2, 2, 3)
    assert after.attendees == 3
    # Another filter is a figure of its own.
    assert selectors.results(officer, session=session, topic=topic("nrm")).knowledge.n == 3
