"""Reporting a concern from the public portal, in a real browser under the site's real CSP.

Nobody signs in. The journeys go through every page of the form as a member of the public
would, in English and in French, with and without JavaScript, and check what the database
holds at the end. The page texts come from the French catalogue through ``gettext``, so a
French journey fails on any page that is still in English.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, expect
from pytest_django.fixtures import Settings

from lantern.core.references import REFERENCE_ALPHABET
from lantern.public.models import PublicReport, ReportAddition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFERENCE = re.compile(rf"^[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")
assert REFERENCE_ALPHABET == "ACDEFGHJKMNPQRTWXY34679"  # the alphabet the brief promises

WHAT_HAPPENED = {
    "en": "Men at the car wash on Narborough Road work from 6am to 10pm and sleep in the van.",
    "fr": "Des hommes travaillent au lavage de voitures de 6 h à 22 h et dorment dans le van.",
}
# Look-up labels come from the database (name and name_fr), not from the catalogue.
INDICATOR = {"en": "Injuries or signs of being hurt", "fr": "Des blessures ou des traces de coups"}
EXPLOITATION = {"en": "Labour exploitation", "fr": "Exploitation par le travail"}


@dataclass
class Reporter:
    """A member of the public filling in the report form, in one language."""

    page: Page
    site: str
    language: str = "en"

    @property
    def prefix(self) -> str:
        return "/fr" if self.language == "fr" else ""

    def t(self, text: str) -> str:
        """The page's words in the reporter's language, as the French catalogue has them."""
        with translation.override("fr" if self.language == "fr" else "en-gb"):
            return gettext(text)

    def url(self, path: str) -> str:
        return f"{self.site}{self.prefix}{path}"

    @property
    def heading(self) -> Locator:
        return self.page.get_by_role("heading", level=1)

    def group(self, legend: str) -> Locator:
        return self.page.get_by_role("group", name=self.t(legend))

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(self.t(label), exact=True)

    def press(self, name: str) -> None:
        self.page.get_by_role("button", name=self.t(name), exact=True).click()

    def expect_question(self, slug: str, title: str) -> None:
        expect(self.page).to_have_url(self.url(f"/report/{slug}/"))
        expect(self.heading).to_have_text(self.t(title))

    # The pages, in order.

    def starts(self) -> None:
        self.page.goto(f"{self.prefix}/report/")
        expect(self.heading).to_have_text(self.t("Report a concern about modern slavery"))
        self.page.get_by_role("button", name=self.t("Start now")).click()

    def says_whether_anyone_is_in_danger(self, answer: str = "No") -> None:
        self.expect_question("danger", "Is anyone in immediate danger?")
        self.group("Is anyone in immediate danger?").get_by_label(
            self.t(answer), exact=True
        ).check()
        self.press("Continue")

    def tells_what_happened(self, text: str | None = None) -> None:
        self.expect_question("what-happened", "What did you see or hear?")
        self.field("What did you see or hear?").fill(text or WHAT_HAPPENED[self.language])
        self.press("Continue")

    def picks_signs(self) -> None:
        self.expect_question("signs", "Did you notice any of these signs?")
        self.page.get_by_label(INDICATOR[self.language], exact=True).check()
        self.press("Continue")

    def says_what_is_happening(self) -> None:
        self.expect_question("exploitation", "What do you think is happening?")
        kinds = self.group("What kind of exploitation do you think it is?")
        kinds.get_by_label(EXPLOITATION[self.language], exact=True).check()
        under_18 = self.group("Could any of the people be under 18?")
        under_18.get_by_label(self.t("I’m not sure"), exact=True).check()
        self.press("Continue")

    def says_where(self) -> None:
        self.expect_question("where", "Where did this happen?")
        self.field("Address or description of the place").fill("Hand car wash, Narborough Road")
        self.field("Postcode (optional)").fill("le3 0ab")
        self.press("Continue")

    def says_when(self) -> None:
        self.expect_question("when", "When did this happen?")
        self.field("When did this happen? (optional)").fill("Every morning this month")
        self.press("Continue")

    def describes_people(self) -> None:
        self.expect_question("people", "People, vehicles and businesses")
        self.field("Describe the people involved (optional)").fill("Five young men")
        self.field("Describe any vehicles (optional)").fill("White minibus")
        self.field("Vehicle registration numbers (optional)").fill("ab12 cde")
        self.field("Phone numbers (optional)").fill("07700 900123")
        self.field("Name of the business (optional)").fill("Sparkle Wash")
        self.press("Continue")

    def adds_photos(self, *photos: Path) -> None:
        self.expect_question("photos", "Add photos (optional)")
        if photos:
            self.field("Upload photos").set_input_files(list(photos))
            self.press("Upload")
            expect(self.page).to_have_url(self.url("/report/photos/"))
            added = self.page.get_by_role("main").locator(".govuk-summary-list")
            for photo in photos:
                expect(added).to_contain_text(photo.name)
            expect(added.get_by_role("button", name=self.t("Remove"))).to_have_count(len(photos))
        self.press("Continue")

    def stays_anonymous(self) -> None:
        self.expect_question("contact", "Can we contact you?")
        choices = self.group("Can we contact you about this?")
        choices.get_by_label(self.t("No, I want to stay anonymous"), exact=True).check()
        self.press("Continue")

    def says_how_they_heard(self, answer: str | None = None) -> None:
        """The last question is optional: with no answer, Continue goes on all the same."""
        self.expect_question("heard", "How did you hear about this service?")
        if answer:
            self.group("How did you hear about this service? (optional)").get_by_label(
                self.t(answer), exact=True
            ).check()
        self.press("Continue")

    def reaches_the_check_page(self, *photos: Path, heard_from: str | None = None) -> None:
        self.starts()
        self.says_whether_anyone_is_in_danger()
        self.tells_what_happened()
        self.picks_signs()
        self.says_what_is_happening()
        self.says_where()
        self.says_when()
        self.describes_people()
        self.adds_photos(*photos)
        self.stays_anonymous()
        self.says_how_they_heard(heard_from)
        expect(self.page).to_have_url(self.url("/report/check/"))
        expect(self.heading).to_have_text(self.t("Check your answers before sending"))

    def sends(self) -> str:
        """Press "Send report" and return the reference the confirmation shows."""
        self.press("Send report")
        return self.reads_the_confirmation()

    def reads_the_confirmation(self) -> str:
        expect(self.page).to_have_url(self.url("/report/sent/"))
        panel = self.page.locator(".govuk-panel--confirmation")
        expect(panel.get_by_role("heading", level=1)).to_have_text(self.t("Report sent"))
        reference = panel.locator("strong.lantern-reference")
        expect(reference).to_have_text(REFERENCE)
        return reference.inner_text()


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    """A small JPEG, as a phone would take it."""
    path = tmp_path / "uploads" / "car-wash.jpg"
    path.parent.mkdir()
    Image.new("RGB", (64, 48), "steelblue").save(path, format="JPEG")
    return path


def test_a_visitor_reports_a_concern_in_english_with_a_photo(
    page: Page, page_errors: list[str], site: str, photo: Path
) -> None:
    reporter = Reporter(page, site)

    reporter.reaches_the_check_page(photo)
    expect_html_lang(page, "en-gb")
    answers = page.get_by_role("main").locator(".govuk-summary-list")
    expect(answers).to_contain_text(WHAT_HAPPENED["en"])
    expect(answers).to_contain_text(INDICATOR["en"])
    expect(answers).to_contain_text(EXPLOITATION["en"])
    expect(answers).to_contain_text("Hand car wash, Narborough Road")
    expect(answers).to_contain_text("LE3 0AB")
    expect(answers).to_contain_text("AB12CDE")
    expect(answers).to_contain_text("car-wash.jpg")
    expect(answers.get_by_role("link", name=re.compile(r"^Change\b"))).not_to_have_count(0)
    reference = reporter.sends()

    report = PublicReport.objects.get()
    assert report.reference == reference
    assert report.language == "en-gb"
    assert report.what_happened == WHAT_HAPPENED["en"]
    assert report.postcode == "LE3 0AB"
    assert report.photos.count() == 1
    assert page_errors == []


def test_a_visitor_reports_a_concern_in_french(
    page: Page, page_errors: list[str], site: str, photo: Path
) -> None:
    reporter = Reporter(page, site, language="fr")

    reporter.starts()
    expect_html_lang(page, "fr")
    expect(reporter.heading).not_to_have_text("Is anyone in immediate danger?")
    reporter.says_whether_anyone_is_in_danger()
    expect(reporter.heading).not_to_have_text("What did you see or hear?")
    reporter.tells_what_happened()
    reporter.picks_signs()
    reporter.says_what_is_happening()
    reporter.says_where()
    reporter.says_when()
    reporter.describes_people()
    reporter.adds_photos(photo)
    reporter.stays_anonymous()
    reporter.says_how_they_heard("A friend or family member")
    expect(reporter.heading).to_have_text(reporter.t("Check your answers before sending"))
    expect(reporter.heading).not_to_have_text("Check your answers before sending")
    expect(page.get_by_role("main")).to_contain_text(INDICATOR["fr"])
    reference = reporter.sends()
    expect_html_lang(page, "fr")
    expect(reporter.heading).not_to_have_text("Report sent")

    report = PublicReport.objects.get()
    assert report.reference == reference
    assert report.language == "fr"
    assert report.what_happened == WHAT_HAPPENED["fr"]
    assert report.heard_from == "friend_family"
    assert report.photos.count() == 1
    assert page_errors == []


@pytest.mark.parametrize(("language", "back"), [("en", "Back"), ("fr", "Retour")])
def test_going_back_keeps_what_was_typed(
    page: Page, page_errors: list[str], site: str, language: str, back: str
) -> None:
    reporter = Reporter(page, site, language=language)
    typed = "A woman at number 12 cleans all day and never goes out.\nShe looks frightened."

    reporter.starts()
    reporter.says_whether_anyone_is_in_danger()
    reporter.tells_what_happened(typed)
    reporter.expect_question("signs", "Did you notice any of these signs?")
    page.get_by_role("link", name=back, exact=True).click()

    reporter.expect_question("what-happened", "What did you see or hear?")
    expect(reporter.field("What did you see or hear?")).to_have_value(typed)

    page.get_by_role("link", name=back, exact=True).click()
    reporter.expect_question("danger", "Is anyone in immediate danger?")
    danger = reporter.group("Is anyone in immediate danger?")
    expect(danger.get_by_label(reporter.t("No"), exact=True)).to_be_checked()

    # The browser's own back button too.
    reporter.press("Continue")
    reporter.expect_question("what-happened", "What did you see or hear?")
    reporter.press("Continue")
    reporter.expect_question("signs", "Did you notice any of these signs?")
    page.go_back()
    reporter.expect_question("what-happened", "What did you see or hear?")
    expect(reporter.field("What did you see or hear?")).to_have_value(typed)
    assert page_errors == []


def test_someone_in_immediate_danger_is_told_to_call_999_and_can_carry_on(
    page: Page, page_errors: list[str], site: str
) -> None:
    reporter = Reporter(page, site)

    reporter.starts()
    reporter.says_whether_anyone_is_in_danger("Yes")

    expect(page).to_have_url(f"{site}/report/call-999/")
    expect(reporter.heading).to_have_text("Call 999 now")
    expect(page.get_by_role("link", name="Call 999", exact=True)).to_have_attribute(
        "href", "tel:999"
    )
    page.get_by_role("button", name="Continue with the report").click()
    reporter.expect_question("what-happened", "What did you see or hear?")
    assert page_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_double_clicking_send_report_sends_one_report(
    new_context: Callable[..., BrowserContext], site: str, javascript: bool
) -> None:
    page = new_context(java_script_enabled=javascript).new_page()
    reporter = Reporter(page, site)
    reporter.reaches_the_check_page()

    # With JavaScript, GOV.UK Frontend's data-prevent-double-click drops the second click;
    # without it, Chromium does not submit the same form twice while the first is pending.
    page.get_by_role("button", name="Send report").dblclick()

    reference = reporter.reads_the_confirmation()
    assert PublicReport.objects.count() == 1
    assert PublicReport.objects.get().reference == reference


def test_sending_the_same_report_from_two_tabs_makes_one_report(
    new_context: Callable[..., BrowserContext], site: str
) -> None:
    context = new_context()
    first_tab = context.new_page()
    reporter = Reporter(first_tab, site)
    reporter.reaches_the_check_page()
    second_tab = context.new_page()
    second_tab.goto("/report/check/")
    expect(second_tab.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending"
    )

    reference = reporter.sends()
    second_tab.get_by_role("button", name="Send report").click()

    # The draft's key was used already: the second tab shows the same confirmation.
    assert Reporter(second_tab, site).reads_the_confirmation() == reference
    assert PublicReport.objects.count() == 1


def test_the_follow_up_link_adds_information_without_showing_the_report(
    page: Page,
    page_errors: list[str],
    site: str,
    new_context: Callable[..., BrowserContext],
) -> None:
    reporter = Reporter(page, site)
    reporter.reaches_the_check_page()
    reference = reporter.sends()
    link = page.get_by_role("main").locator("a[href*='/report/follow-up/']")
    expect(link).to_have_count(1)
    expect(link).to_have_text("Open the private link")
    follow_up_url = link.get_attribute("href")
    assert follow_up_url is not None
    assert follow_up_url.startswith(f"{site}/report/follow-up/")
    expect(page.get_by_label("Your private link")).to_have_value(follow_up_url)

    # "Copy link" puts the link on the clipboard and says so to screen readers too.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("[data-copy-link] [role=status]")).to_have_text(
        "Link copied. Keep it somewhere only you can open."
    )
    assert page.evaluate("navigator.clipboard.readText()") == follow_up_url

    # Later, on another device: no session, only the private link.
    later = new_context().new_page()
    later.goto(follow_up_url)
    expect(later.get_by_role("heading", level=1)).to_have_text("Add information to your report")
    expect(later.get_by_role("main")).to_contain_text(reference)
    later.get_by_label("What else do you want to tell us?").fill(
        "The minibus comes back at 10pm and is registered AB12 CDE."
    )
    later.get_by_role("button", name="Send", exact=True).click()

    expect(later).to_have_url(follow_up_url)
    success = later.locator(".govuk-notification-banner--success")
    expect(success).to_contain_text("Thank you. We have added this to your report.")
    expect(later.get_by_label("What else do you want to tell us?")).to_have_value("")
    body = later.locator("body")
    expect(body).not_to_contain_text(WHAT_HAPPENED["en"])
    expect(body).not_to_contain_text("Narborough Road")
    expect(body).not_to_contain_text("Sparkle Wash")

    addition = ReportAddition.objects.get()
    assert addition.report.reference == reference
    assert addition.text == "The minibus comes back at 10pm and is registered AB12 CDE."
    assert page_errors == []


def test_exit_this_page_leaves_for_the_exit_address(
    page: Page, page_errors: list[str], site: str, settings: Settings
) -> None:
    settings.PUBLIC_EXIT_URL = f"{site}/healthz"  # the live server reads the same settings
    reporter = Reporter(page, site)
    reporter.starts()
    reporter.says_whether_anyone_is_in_danger()
    reporter.expect_question("what-happened", "What did you see or hear?")

    exit_button = page.get_by_role("link", name="Exit this page")
    expect(exit_button).to_have_attribute("href", f"{site}/healthz")
    # Checked before leaving: the browser's own favicon request on the JSON exit page 404s.
    assert page_errors == []
    exit_button.click()

    expect(page).to_have_url(f"{site}/healthz")


@pytest.mark.parametrize("path", ["/help/", "/report/what-happened/"])
def test_pressing_shift_three_times_leaves_for_the_exit_address(
    page: Page, page_errors: list[str], site: str, settings: Settings, path: str
) -> None:
    settings.PUBLIC_EXIT_URL = f"{site}/healthz"
    page.goto(path)
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(page.locator(".govuk-exit-this-page__button")).to_be_visible()
    # GOV.UK Frontend marks the component once its keyboard listener is in place.
    expect(page.locator("[data-govuk-exit-this-page-init]")).to_have_count(1)
    # Checked before leaving: the browser's own favicon request on the JSON exit page 404s.
    assert page_errors == []

    for _press in range(3):
        page.keyboard.press("Shift")

    expect(page).to_have_url(f"{site}/healthz")


def test_the_report_form_works_without_javascript(
    new_context: Callable[..., BrowserContext], site: str, photo: Path
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    reporter = Reporter(page, site)

    reporter.reaches_the_check_page(photo)
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    reference = reporter.sends()

    report = PublicReport.objects.get()
    assert report.reference == reference
    assert report.photos.count() == 1


def test_screenshots_of_the_report_form_on_a_phone_and_a_desktop(
    page: Page, page_errors: list[str], site: str, photo: Path, artifacts: Path
) -> None:
    reporter = Reporter(page, site)

    def screenshot(name: str) -> None:
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.screenshot(path=artifacts / f"public-{name}-{width}.png", full_page=True)

    page.goto("/report/")
    screenshot("start")
    reporter.starts()
    reporter.says_whether_anyone_is_in_danger()
    reporter.expect_question("what-happened", "What did you see or hear?")
    screenshot("question")
    reporter.press("Continue")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    screenshot("question-error")
    page_errors.clear()  # the page with errors answers 400, which Chromium logs

    reporter.tells_what_happened()
    reporter.picks_signs()
    reporter.says_what_is_happening()
    reporter.says_where()
    reporter.says_when()
    reporter.describes_people()
    reporter.adds_photos(photo)
    reporter.stays_anonymous()
    screenshot("heard")
    reporter.says_how_they_heard()
    screenshot("check")
    reporter.sends()
    screenshot("sent")
    assert page_errors == []


def expect_html_lang(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)
