"""The attendee's pages (no account): code, pre-test, pairing code, post-test, certificate."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.outreach import pairing
from lantern.outreach.models.training import Answer, Attempt, CourseItem, QuestionKind, Stage
from tests.outreach.training.factories import SessionFactory, UpcomingSessionFactory
from tests.outreach.training.test_views import post_raw

pytestmark = pytest.mark.django_db


def answers(session, *, right=True, rating=5):
    data = {}
    for item in CourseItem.objects.filter(course=session.course, stage=Stage.PRE):
        question = item.question
        if question.kind == QuestionKind.CONFIDENCE:
            data[f"q{question.pk}"] = str(rating)
        else:
            data[f"q{question.pk}"] = str(
                question.choices.get(name="right" if right else "wrong").pk
            )
    return data


def test_the_code_leads_to_the_session_and_an_unknown_code_says_so(client):
    session = SessionFactory()
    response = client.post("/t/", {"code": session.code.lower()})
    assert response.url == f"/t/{session.code}/"
    page = client.get(response.url).content.decode()
    assert session.course.title in page and "Start the Pre-test" in page
    unknown = client.post("/t/", {"code": "ZZZZ99"})
    assert unknown.status_code == 404
    assert "No session has this code" in unknown.content.decode()
    assert client.get("/t/ZZZZ99/").status_code == 404
    assert client.post("/t/", {"code": "!!"}).status_code == 400


def test_pre_and_post_tests_are_paired_by_a_code_kept_in_the_browser(client):
    session = SessionFactory()
    pre = client.get(f"/t/{session.code}/pre/")
    code = pre.context["pairing_code"]
    assert code in pre.content.decode() and "Write it down" in pre.content.decode()
    sent = client.post(f"/t/{session.code}/pre/", answers(session, right=False, rating=2))
    assert sent.url == f"/t/{session.code}/pre/done/"
    # Shown on the pre-test page only: not when it is sent, nor on the session page.
    assert code not in client.get(sent.url).content.decode()
    assert code not in client.get(f"/t/{session.code}/").content.decode()
    # Sending again (a refresh, a double click) stores nothing more.
    client.post(f"/t/{session.code}/pre/", answers(session))
    post = client.post(f"/t/{session.code}/post/", answers(session))
    assert post.url == f"/t/{session.code}/post/done/"
    attempts = {attempt.stage: attempt for attempt in Attempt.objects.all()}
    assert set(attempts) == {Stage.PRE, Stage.POST}
    stored = pairing.key(session.code, code)
    assert attempts[Stage.PRE].pairing_code == attempts[Stage.POST].pairing_code == stored
    assert not Attempt.objects.filter(pairing_code__contains=code).exists()
    assert attempts[Stage.PRE].score == 0 and attempts[Stage.POST].score == 100
    assert Answer.objects.count() == 6


def test_a_new_browser_types_its_pairing_code_for_the_post_test(client):
    session = SessionFactory()
    code = client.get(f"/t/{session.code}/pre/").context["pairing_code"]
    client.post(f"/t/{session.code}/pre/", answers(session))
    phone = Client()
    page = phone.get(f"/t/{session.code}/post/")
    assert "Your pairing code" in page.content.decode()
    wrong = phone.post(
        f"/t/{session.code}/post/", {**answers(session), "pairing-pairing_code": "ACDE-FGHJ"}
    )
    assert wrong.status_code == 400
    assert "No pre-test of this session has this pairing code" in wrong.content.decode()
    typed = phone.post(
        f"/t/{session.code}/post/",
        {**answers(session), "pairing-pairing_code": code.replace("-", "").lower()},
    )
    assert typed.status_code == 302
    assert Attempt.objects.filter(
        stage=Stage.POST, pairing_code=pairing.key(session.code, code)
    ).exists()


def test_someone_who_reads_the_stored_key_cannot_send_the_post_test(client):
    """An administrator or a backup reader sees only the keyed hash: typing it (or any
    part of it) as a code opens nobody's post-test."""
    session = SessionFactory()
    client.get(f"/t/{session.code}/pre/")
    client.post(f"/t/{session.code}/pre/", answers(session))
    stored = Attempt.objects.get().pairing_code
    intruder = Client()

    for typed in (stored, stored[:8].upper()):
        response = intruder.post(
            f"/t/{session.code}/post/", {**answers(session), "pairing-pairing_code": typed}
        )
        assert response.status_code == 400

    assert not Attempt.objects.filter(stage=Stage.POST).exists()


def test_the_post_test_page_of_the_attendee_does_not_show_their_code(client):
    session = SessionFactory()
    code = client.get(f"/t/{session.code}/pre/").context["pairing_code"]
    client.post(f"/t/{session.code}/pre/", answers(session))

    post = client.get(f"/t/{session.code}/post/")

    assert post.status_code == 200 and code not in post.content.decode()


def test_guessing_pairing_codes_is_cut_short(client, settings):
    """Another attendee's code cannot be found by trying many: once a client has typed
    more wrong codes than the limit, even the right one is refused from it for a while."""
    settings.TRAINING_PAIRING_RATE_LIMIT = "3/h"
    session = SessionFactory()
    code = client.get(f"/t/{session.code}/pre/").context["pairing_code"]
    client.post(f"/t/{session.code}/pre/", answers(session))
    guesser = Client(REMOTE_ADDR="203.0.113.50")

    wrong = [
        guesser.post(
            f"/t/{session.code}/post/",
            {**answers(session), "pairing-pairing_code": f"ACDE-FG{letter}{letter}"},
        )
        for letter in "HJKL"
    ]
    right = guesser.post(
        f"/t/{session.code}/post/", {**answers(session), "pairing-pairing_code": code}
    )

    assert [response.status_code for response in wrong] == [400] * 4
    assert right.status_code == 400 and "Too many pairing codes" in right.content.decode()
    assert not Attempt.objects.filter(stage=Stage.POST).exists()
    # The attendee's own browser is not held back by someone else's guesses.
    assert client.post(f"/t/{session.code}/post/", answers(session)).status_code == 302


def test_missing_and_foreign_answers_are_refused_naming_the_question(client):
    session = SessionFactory()
    client.get(f"/t/{session.code}/pre/")
    data = answers(session)
    first = next(iter(data))
    missing = client.post(f"/t/{session.code}/pre/", {**data, first: ""})
    assert missing.status_code == 400
    assert "Question 1: choose an answer" in missing.content.decode()
    foreign = client.post(f"/t/{session.code}/pre/", {**data, first: "99999999999999999999"})
    assert foreign.status_code == 400
    assert not Attempt.objects.exists()


def test_a_closed_test_takes_no_answers(client):
    session = UpcomingSessionFactory()
    response = client.post(f"/t/{session.code}/pre/", answers(session))
    assert response.status_code == 403
    assert "This test is not open" in response.content.decode()
    assert client.get(f"/t/{session.code}/follow-up/").status_code == 403
    assert client.get(f"/t/{session.code}/essay/").status_code == 404
    assert not Attempt.objects.exists()


def test_the_certificate_comes_after_the_post_test_in_the_attendees_language(client):
    session = SessionFactory()
    assert client.get(f"/t/{session.code}/certificate/").url == f"/t/{session.code}/"
    client.get(f"/t/{session.code}/pre/")
    client.post(f"/t/{session.code}/pre/", answers(session))
    client.post(f"/t/{session.code}/post/", answers(session))
    refused = client.post(f"/t/{session.code}/certificate/", {"name": ""})
    assert refused.status_code == 400
    pdf = client.post(f"/fr/t/{session.code}/certificate/", {"name": "Alex Martin"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert not Attempt.objects.filter(pairing_code__icontains="Alex").exists()


def test_pages_work_in_french(client):
    session = SessionFactory()
    page = client.get(f"/fr/t/{session.code}/pre/")
    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.dictionaries(
        st.one_of(st.sampled_from(["code", "pairing-pairing_code", "name"]), st.text(max_size=8)),
        st.one_of(
            st.text(max_size=100),
            st.just("\ud800"),
            st.just("99999999999999999999"),
            st.just("x" * 100_000),
        ),
        max_size=6,
    ),
    stage=st.sampled_from(["pre", "post", "follow-up", "nope"]),
)
def test_no_input_to_the_public_pages_causes_a_server_error(values, stage):
    session = SessionFactory()
    client = Client()
    assert post_raw(client, "/t/", values).status_code in {302, 400, 404}
    assert post_raw(client, f"/t/{session.code}/{stage}/", values).status_code in {
        302,
        400,
        403,
        404,
    }
    assert post_raw(client, f"/t/{session.code}/certificate/", values).status_code in {302, 400}
