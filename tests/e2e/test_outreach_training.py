"""A training session in real browsers: the officer creates a course and a session; ten
attendees on 375 px phones take the pre-test and post-test (one misses the post-test);
the results show the uplift and gain on 9 pairs; a certificate PDF opens; English and
French; axe on every new page and state."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import User
from lantern.core.roles import Role
from lantern.outreach.models.training import Attempt, QuestionKind, Stage
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import expect_success, press, signed_in_page
from tests.outreach.training.factories import QuestionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
TIMEOUT_MS = 30_000


def answer(page: Page, *, right: int) -> None:
    """Answer the two knowledge questions (the first ``right`` correctly) and the statement
    (5 after two right, 2 otherwise), in whatever order the test asks them."""
    french = "/fr/" in page.url
    right_label, wrong_label = (
        ("réponse right", "réponse wrong") if french else ("right answer", "wrong answer")
    )
    groups = page.locator("main form fieldset")
    knowledge = 0
    for number in range(groups.count()):
        group = groups.nth(number)
        if group.get_by_label(right_label).count():
            group.get_by_label(right_label if knowledge < right else wrong_label).check()
            knowledge += 1
        else:
            group.get_by_label("5" if right == 2 else "2", exact=True).check()
    assert knowledge == 2
    press(page, "Envoyer mes réponses" if french else "Send my answers")


def test_a_session_from_course_to_results_and_certificate(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    site: str,
) -> None:
    errors: list[str] = []
    QuestionFactory(key="nrm_who_refers")
    QuestionFactory(key="nrm_duty_to_notify")
    QuestionFactory(key="nrm_confident", kind=QuestionKind.CONFIDENCE)
    officer = signed_in_page(new_context, open_session, make_user(Role.OUTREACH_OFFICER), errors)
    # Ten phones and a PDF on two shared cores: more patience than the suite's default.
    officer.context.set_default_timeout(TIMEOUT_MS)

    officer.goto("/training/courses/new/")
    check_accessibility(officer)
    officer.get_by_label("Title").fill("The NRM for first responders")
    officer.get_by_label("The NRM and Duty to Notify").check()
    officer.get_by_label("Length in minutes").fill("90")
    officer.get_by_label("In person").check()
    press(officer, "Create the course")
    expect_success(officer, "Course created")
    check_accessibility(officer)
    officer.get_by_role("button", name="Schedule a session").click()
    starts = timezone.localtime() - datetime.timedelta(minutes=30)
    officer.get_by_label("Starts").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    officer.get_by_label("Ends").fill(
        (starts + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    officer.get_by_label("Trainer’s name").fill("Amira Khan")
    officer.get_by_label("Place (or leave empty for online)").fill("City Hall, Leicester")
    officer.get_by_label("Capacity").fill("12")
    press(officer, "Schedule the session")
    expect_success(officer, "Session scheduled")
    code = officer.get_by_test_id("session-code").inner_text()
    check_accessibility(officer)
    officer.get_by_role("link", name="Change the session").click()
    check_accessibility(officer)
    officer.get_by_label("Capacity").fill("14")
    press(officer, "Save the session")
    expect_success(officer, "Session changed")

    # Ten attendees on phones, one browser context each; the tenth is French and leaves
    # before the post-test.
    for number in range(10):
        french = number == 9
        prefix = "/fr" if french else ""
        attendee = new_context(viewport=PHONE, locale="fr-FR" if french else "en-GB").new_page()
        attendee.context.set_default_timeout(TIMEOUT_MS)
        attendee.goto(f"{prefix}/t/")
        if number in (0, 9):
            check_accessibility(attendee)
        attendee.locator("input[name=code]").fill(code.lower())
        press(attendee, "Continuer" if french else "Continue")
        attendee.get_by_role(
            "button", name="Commencer le Pré-test" if french else "Start the Pre-test"
        ).click()
        expect(attendee.get_by_test_id("pairing-code")).to_be_visible()
        if number in (0, 9):
            check_accessibility(attendee)
        answer(attendee, right=1)
        expect(attendee.locator("h1")).to_have_text(
            "Réponses envoyées" if french else "Answers sent"
        )
        if number == 0:
            check_accessibility(attendee)
            attendee.goto("/t/")
            attendee.locator("input[name=code]").fill("ZZZZ99")
            press(attendee, "Continue")
            expect(attendee.locator(".govuk-error-summary")).to_contain_text(
                "No session has this code"
            )
            check_accessibility(attendee)
        if french:
            continue
        attendee.goto(f"/t/{code}/post/")
        answer(attendee, right=2)
        expect(attendee.locator("h1")).to_have_text("Answers sent")
        if number == 0:
            attendee.get_by_role("link", name="Get your certificate of attendance").click()
            check_accessibility(attendee)
            attendee.get_by_label("Your name as it should appear on the certificate").fill(
                "Alex Martin"
            )
            with attendee.expect_response(
                lambda response: response.request.method == "POST"
            ) as sent:
                press(attendee, "Download the certificate (PDF)")
            assert sent.value.headers["content-type"] == "application/pdf"
            # Chromium opens it in its PDF viewer (the bytes are checked in the unit tests).
            assert sent.value.status == 200
            assert sent.value.headers["content-disposition"].startswith("inline")
        attendee.context.close()

    assert Attempt.objects.filter(stage=Stage.PRE).count() == 10
    assert Attempt.objects.filter(stage=Stage.POST).count() == 9

    officer.goto(f"/training/results/?session={code}")
    expect(officer.get_by_test_id("knowledge-n")).to_have_text("9")
    expect(officer.get_by_test_id("knowledge-change")).to_have_text("+100%")
    expect(officer.get_by_test_id("knowledge-gain")).to_have_text("1.00")
    check_accessibility(officer)
    officer.goto(f"/fr/training/results/?session={code}")
    expect(officer.get_by_test_id("knowledge-n")).to_have_text("9")
    expect(officer.get_by_test_id("knowledge-gain")).to_have_text("1,00")
    check_accessibility(officer)
    assert errors == []
