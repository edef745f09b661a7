"""Every page built so far, scanned with axe-core against WCAG 2.2 AA, in English and French.

A scan fails on any violation axe rates serious or critical; lesser ones are printed (run
with ``-rP`` to see them for passing tests). Each page is set up through its real route:
forms are sent to show their errors, and the locked-out page is reached by failing to sign
in until django-axes locks the account.
"""

import datetime
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import BrowserContext, Page, Response, expect

from lantern.accounts.models import AccessReview, IdentityProvider
from lantern.accounts.services import access_review
from lantern.core import outbox
from lantern.core import services as core_services
from lantern.core.models import (
    AuditEvent,
    LocalAuthorityArea,
    Organisation,
    OrganisationType,
    User,
)
from lantern.core.roles import Role
from lantern.demo import local_contacts
from lantern.entities import hits as restricted_hits
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity, HitContext, Match
from lantern.housekeeping.models import Job, RecordKind, RetentionRule
from lantern.intelligence.models import IntelligenceReport, Tasking
from lantern.intelligence.services import mentions as intelligence_mention_services
from lantern.intelligence.services import tasking as intelligence_tasking_services
from lantern.intelligence.services import triage as intelligence_triage_services
from lantern.operations import services as operation_services
from lantern.operations.models import Operation
from lantern.public import content, drafts, services
from lantern.public.models import PublicReport
from lantern.safeguarding.models import PotentialVictim
from tests.e2e.conftest import AXE_SCRIPT, give_authenticator, sign_in_with_password
from tests.factories import IntelligenceReportFactory, TaskingFactory
from tests.operations.factories import LiveOperationFactory, mentioned
from tests.safeguarding.factories import (
    NRMReferralFactory,
    SupportReferralFactory,
    VictimFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({
      target: node.target,
      html: node.html,
      summary: node.failureSummary,
    })),
  }));
}"""


@dataclass
class Visit:
    """What a page's set-up needs: the page, the language prefix and data helpers."""

    page: Page
    prefix: str
    site: str
    make_user: Callable[..., User]
    make_organisation: Callable[..., Organisation]
    open_session: Callable[..., None]

    def goto(self, path: str, status: int = 200) -> Response:
        response = self.page.goto(self.prefix + path)
        assert response is not None
        assert response.status == status, f"{self.prefix + path} answered {response.status}"
        return response

    def signed_in(self, *roles: Role, second_factor: bool = True, **fields: Any) -> User:
        user = self.make_user(*roles, **fields)
        self.open_session(self.page.context, user, second_factor=second_factor)
        return user

    def submit(self, **values: str) -> None:
        form = self.page.locator("main form[method=post]")
        for name, value in values.items():
            form.locator(f"[name={name}]").fill(value)
        form.locator("button[type=submit]").click()

    def expect_error_summary(self) -> None:
        expect(self.page.locator(".govuk-error-summary")).to_be_visible()
        self.page.wait_for_load_state("load")


def _partnership(visit: Visit) -> list[Organisation]:
    """A few partners covering areas and offering help, with people in them."""
    areas = list(LocalAuthorityArea.objects.all()[:3])
    police = visit.make_organisation(
        name="Leicestershire Police",
        organisation_type=OrganisationType.POLICE,
        is_first_responder=True,
        helps_with_operations=True,
        helps_with_intelligence=True,
    )
    police.areas.set(areas)
    charity = visit.make_organisation(
        name="Open Doors Refuge",
        organisation_type=OrganisationType.CHARITY,
        is_first_responder=True,
        helps_with_victims=True,
    )
    charity.areas.set(areas[:1])
    council = visit.make_organisation(
        name="Charnwood Borough Council",
        organisation_type=OrganisationType.LOCAL_AUTHORITY,
        helps_with_information=True,
        isa_signed_on=datetime.date(2025, 1, 15),
    )
    for organisation in (police, charity, council):
        visit.make_user(
            Role.PARTNER_CONTRIBUTOR, organisation=organisation, job_title="Partnership lead"
        )
    return [police, charity, council]


# Page set-ups, one per page (or state of a page) to scan.


def sso_sign_in(visit: Visit) -> None:
    visit.goto("/sign-in/organisation/")


def sso_sign_in_with_errors(visit: Visit) -> None:
    visit.goto("/sign-in/organisation/")
    visit.submit(email="someone@nowhere.test")
    visit.expect_error_summary()


def sso_sign_in_offered(visit: Visit) -> None:
    police = visit.make_organisation(name="Leicestershire Police")
    IdentityProvider.objects.create(
        organisation=police,
        issuer="https://login.example.test/police/v2.0",
        client_id="lantern",
        client_secret="secret",
        email_domains="leics.police.test",
        authorization_endpoint="https://login.example.test/police/authorize",
        token_endpoint="https://login.example.test/police/token",
        jwks_uri="https://login.example.test/police/keys",
    )
    visit.goto("/sign-in/organisation/")
    visit.submit(email="officer@leics.police.test")
    expect(visit.page.locator("main a.govuk-button--start")).to_be_visible()


def _review_of_own_organisation(visit: Visit) -> AccessReview:
    council = visit.make_organisation(name="Charnwood Borough Council")
    for name in ("Asha Patel", "Ben Okoro"):
        visit.make_user(Role.PARTNER_CONTRIBUTOR, organisation=council, full_name=name)
    visit.signed_in(Role.ORGANISATION_ADMINISTRATOR, organisation=council, full_name="Olu Admin")
    access_review.run_access_reviews()
    return AccessReview.objects.get(organisation=council)


def access_reviews(visit: Visit) -> None:
    _review_of_own_organisation(visit)
    visit.goto("/organisation/access-reviews/")


def access_reviews_for_coordinator(visit: Visit) -> None:
    police, charity, _council = _partnership(visit)
    access_review.run_access_reviews()
    AccessReview.objects.filter(organisation=police).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    AccessReview.objects.filter(organisation=charity).update(
        due_on=timezone.localdate() + datetime.timedelta(days=10)
    )
    visit.signed_in(Role.HUB_COORDINATOR, organisation=police)
    visit.goto("/organisation/access-reviews/")


def access_review_page(visit: Visit) -> None:
    review = _review_of_own_organisation(visit)
    visit.goto(f"/organisation/access-reviews/{review.pk}/")


def access_review_with_errors(visit: Visit) -> None:
    access_review_page(visit)
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def authenticator_reset(visit: Visit) -> None:
    council = visit.make_organisation(name="Charnwood Borough Council")
    colleague = visit.make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)
    visit.signed_in(Role.ORGANISATION_ADMINISTRATOR, organisation=council)
    visit.goto(f"/organisation/users/{colleague.pk}/authenticator/")


def sign_in(visit: Visit) -> None:
    visit.goto("/sign-in/")


def sign_in_with_errors(visit: Visit) -> None:
    user = visit.make_user(Role.HUB_ANALYST)
    visit.goto("/sign-in/")
    sign_in_with_password(visit.page, user.email, "not the right password")
    visit.expect_error_summary()


def sign_in_with_empty_fields(visit: Visit) -> None:
    visit.goto("/sign-in/")
    visit.submit()
    visit.expect_error_summary()


def second_factor(visit: Visit) -> None:
    user = visit.make_user(Role.HUB_ANALYST)
    give_authenticator(user)
    visit.open_session(visit.page.context, user, second_factor=False)
    visit.goto("/sign-in/code/")


def second_factor_with_errors(visit: Visit) -> None:
    second_factor(visit)
    visit.submit(token="12345")
    visit.expect_error_summary()


def account_security(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR)
    visit.goto("/account/security/")


def account_security_with_errors(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, second_factor=False)
    visit.goto("/account/security/")
    visit.submit(token="")
    visit.expect_error_summary()


def home_for(role: Role) -> Callable[[Visit], None]:
    def home(visit: Visit) -> None:
        visit.signed_in(role)
        visit.goto("/")

    return home


def home_without_second_factor(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, second_factor=False)
    visit.goto("/")


def home_without_shared_access(visit: Visit) -> None:
    organisation = visit.make_organisation(name="Unsigned Partner", isa_signed_on=None)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=organisation)
    visit.goto("/")


def partners(visit: Visit) -> None:
    _partnership(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/partners/")


def partners_filtered(visit: Visit) -> None:
    _partnership(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/partners/?type=police&helps_with=operations&first_responders=1")


def partner_detail(visit: Visit) -> None:
    police = _partnership(visit)[0]
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/partners/{police.pk}/")


def not_found(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR)
    visit.goto("/no-such-page/", status=404)


def no_shared_access(visit: Visit) -> None:
    organisation = visit.make_organisation(name="Unsigned Partner", isa_signed_on=None)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=organisation)
    visit.goto("/partners/", status=403)


def locked_out(visit: Visit) -> None:
    user = visit.make_user(Role.HUB_ANALYST)
    visit.goto("/sign-in/")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        with visit.page.expect_navigation() as navigation:
            sign_in_with_password(visit.page, user.email, "not the right password")
    response = navigation.value
    assert response is not None
    assert response.status == 429, f"expected the lock-out page, got {response.status}"
    expect(visit.page.locator("input[name=password]")).to_have_count(0)


def admin(path: str) -> Callable[[Visit], None]:
    """An admin page, as a system administrator, with partners and users to list."""

    def visit_admin(visit: Visit) -> None:
        police, *_others = _partnership(visit)
        administrator = visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
        member = police.members.first()
        ids = {
            "organisation": police.pk,
            "user": member.pk,
            "role": administrator.groups.first().pk,
            "area": police.areas.first().pk,
            "event": AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0],
        }
        visit.goto(path.format(**ids))

    return visit_admin


def admin_api_tokens(visit: Visit) -> None:
    """The API tokens page, with a partner system's token listed."""
    police, *_others = _partnership(visit)
    core_services.issue_api_token(
        account=police.members.first(),
        expires_in=datetime.timedelta(days=30),
        actor_email="operator",
    )
    visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
    visit.goto("/admin/core/apitoken/")
    expect(visit.page.locator("#result_list")).to_contain_text("lantern_")


def admin_role_grants(visit: Visit) -> None:
    """A role grant waiting for a second administrator, as that administrator sees it."""
    police, *_others = _partnership(visit)
    asker = visit.make_user(Role.SYSTEM_ADMINISTRATOR, full_name="Ana Asker")
    core_services.request_role_grant(
        actor=asker, user=police.members.first(), role=Role.HUB_COORDINATOR
    )
    visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
    visit.goto("/admin/core/rolegrant/")
    expect(visit.page.locator("#result_list")).to_contain_text("Ana Asker")


def admin_own_account(visit: Visit) -> None:
    """An administrator's own page: roles and organisation shown, not editable."""
    _partnership(visit)
    administrator = visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
    visit.goto(f"/admin/core/user/{administrator.pk}/change/")
    expect(visit.page.locator("input[name=groups]")).to_have_count(0)


def _failed_email_job() -> Job:
    with transaction.atomic():
        outbox.enqueue_email(subject="Reference", body="Body", to=["sam@example.com"])
    job = Job.objects.get()
    job.status = "FAILED"
    job.finished_at = timezone.now()
    job.exception_class_path = "lantern.core.outbox.MailNotSent"
    job.traceback = "lantern.core.outbox.MailNotSent: attempt 5: ConnectionRefusedError()"
    job.save()
    return job


def admin_background_jobs(visit: Visit) -> None:
    """The background jobs page, filtered to the failed ones, with one listed."""
    _failed_email_job()
    visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
    visit.goto("/admin/housekeeping/job/?status__exact=FAILED")
    expect(visit.page.locator("#result_list")).to_contain_text("MailNotSent")


def admin_retention_rule(visit: Visit) -> None:
    """A kind's review period, refused as automatic for intelligence (the error shown)."""
    rule = RetentionRule.objects.get(kind=RecordKind.INTELLIGENCE)
    visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
    visit.goto(f"/admin/housekeeping/retentionrule/{rule.pk}/change/")
    visit.page.get_by_label(re.compile("automatic|automatiquement")).check()
    visit.page.locator("input[name=_save]").click()
    expect(visit.page.locator(".errorlist").first).to_be_visible()


def admin_background_job(visit: Visit) -> None:
    """A failed job with what went wrong."""
    job = _failed_email_job()
    visit.signed_in(Role.SYSTEM_ADMINISTRATOR, full_name="Sam Patel")
    visit.goto(f"/admin/housekeeping/job/{job.pk}/change/")
    expect(visit.page.locator("main, #content").first).to_contain_text("ConnectionRefusedError")


def _due_for_review() -> IntelligenceReport:
    """Intelligence seven years old: past the schedule's six years, due for review."""
    report = IntelligenceReportFactory()
    IntelligenceReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7 * 365)
    )
    return report


def retention_worklist(visit: Visit) -> None:
    """The hub coordinator's records due for review, one listed."""
    report = _due_for_review()
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto("/hub/retention/")
    expect(visit.page.locator("main")).to_contain_text(report.reference)


def retention_review_errors(visit: Visit) -> None:
    """Keeping a record without a reason or a date: both errors shown."""
    report = _due_for_review()
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto(f"/hub/retention/intelligence/{report.pk}/")
    visit.page.locator("input[name=decision][value=retain]").check()
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def retention_disposed(visit: Visit) -> None:
    """The tombstones, after one record is disposed of through the review page."""
    report = _due_for_review()
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto(f"/hub/retention/intelligence/{report.pk}/")
    visit.page.locator("input[name=decision][value=dispose]").check()
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.page.wait_for_load_state("load")
    visit.goto("/hub/retention/disposed/")
    expect(visit.page.locator("main")).to_contain_text(report.reference)


# The public portal: information pages and the report form (nobody signed in).


def _open(visit: Visit, path: str) -> None:
    """Go to a page and check that it was not redirected elsewhere (to an earlier step)."""
    visit.goto(path)
    expect(visit.page).to_have_url(f"{visit.site}{visit.prefix}{path}")


def public_page(path: str) -> Callable[[Visit], None]:
    def visit_public_page(visit: Visit) -> None:
        _open(visit, path)

    return visit_public_page


def _sign_page_slug(kind: content.Kind) -> str:
    return next(page.slug for page in content.SIGN_PAGES if page.kind == kind)


def _jpeg() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (64, 48), "steelblue").save(output, format="JPEG")
    return output.getvalue()


# What each page of the report form posts, in the form's order.
REPORT_ANSWERS: dict[str, dict[str, Any]] = {
    "danger": {"immediate_danger": "no"},
    "what-happened": {
        "what_happened": "Men at the car wash work from 6am to 10pm and sleep in a van."
    },
    "signs": {"indicators": ["injuries"]},
    "exploitation": {"suspected_types": ["labour"], "children_involved": "not_sure"},
    "where": {"location": "Hand car wash, Narborough Road", "postcode": "LE3 0AB"},
    "when": {"when": "Every morning this month"},
    "people": {
        "people": "Five young men",
        "vehicles": "White minibus",
        "vehicle_registrations": "AB12 CDE",
        "phone_numbers": "07700 900123",
        "business_name": "Sparkle Wash",
    },
    "photos": {"action": "continue"},
    "contact": {"wants_contact": "no"},
    "heard": {"heard_from": "local_radio"},
}
assert list(REPORT_ANSWERS) == [step.slug for step in drafts.STEPS]


def _report_draft(visit: Visit, until: str | None = None) -> Client:
    """Answer the report's pages before ``until`` (all of them if None) by posting them,
    and give the browser that draft's session."""
    client = Client()
    for slug, answers in REPORT_ANSWERS.items():
        if slug == until:
            break
        data = dict(answers)
        if slug == "photos":
            data["photos"] = SimpleUploadedFile("car-wash.jpg", _jpeg(), "image/jpeg")
        response = client.post(f"{visit.prefix}/report/{slug}/", data)
        assert response.status_code == 302, f"{slug} answered {response.status_code}"
    if settings.SESSION_COOKIE_NAME in client.cookies:  # nothing answered, no session yet
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        visit.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": visit.site}]
        )
    return client


def _sent_report(visit: Visit) -> tuple[Client, str]:
    """Send a whole report in the browser's session; return the session and the follow-up path."""
    client = _report_draft(visit)
    check = client.get(f"{visit.prefix}/report/check/")
    assert check.status_code == 200
    key = check.context["form"].initial["submission_key"]
    response = client.post(f"{visit.prefix}/report/check/", {"submission_key": str(key)})
    assert response.status_code == 302
    sent = client.get(f"{visit.prefix}/report/sent/")
    match = re.search(r"/report/follow-up/[^/]+/$", sent.context["follow_up_url"])
    assert match is not None
    return client, match.group(0)


def report_step(slug: str) -> Callable[[Visit], None]:
    def visit_step(visit: Visit) -> None:
        _report_draft(visit, until=slug)
        _open(visit, f"/report/{slug}/")

    return visit_step


def report_step_with_errors(slug: str) -> Callable[[Visit], None]:
    def visit_step(visit: Visit) -> None:
        report_step(slug)(visit)
        visit.page.locator("main form[method=post] button[type=submit]").last.click()
        visit.expect_error_summary()

    return visit_step


def report_contact_with_errors(visit: Visit) -> None:
    report_step("contact")(visit)
    visit.page.locator("input[name=wants_contact][value=yes]").check()
    visit.submit(contact_email="not an email")
    visit.expect_error_summary()


def report_photos_added(visit: Visit) -> None:
    report_step("photos")(visit)
    visit.page.locator("input[name=photos]").set_input_files(
        {"name": "car-wash.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    visit.page.locator("button[name=action][value=upload]").click()
    expect(visit.page.locator("main .govuk-summary-list")).to_contain_text("car-wash.jpg")


def report_photos_with_errors(visit: Visit) -> None:
    report_step("photos")(visit)
    visit.page.locator("input[name=photos]").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"}
    )
    visit.page.locator("button[name=action][value=upload]").click()
    visit.expect_error_summary()


def report_call_999(visit: Visit) -> None:
    report_step("danger")(visit)
    visit.page.locator("input[name=immediate_danger][value=yes]").check()
    visit.page.locator("main form[method=post] button[type=submit]").click()
    expect(visit.page).to_have_url(f"{visit.site}{visit.prefix}/report/call-999/")
    visit.page.wait_for_load_state("load")


def report_check(visit: Visit) -> None:
    _report_draft(visit)
    _open(visit, "/report/check/")


def report_sent(visit: Visit) -> None:
    local_contacts.generate()
    _sent_report(visit)
    _open(visit, "/report/sent/")


def report_sent_with_a_wrong_address(visit: Visit) -> None:
    _sent_report(visit)
    _open(visit, "/report/sent/")
    visit.submit(link_email="not-an-address")
    visit.expect_error_summary()


def local_services(visit: Visit) -> None:
    local_contacts.generate()
    _open(visit, "/help/contacts/?area=E06000016#local-services")


def local_services_with_errors(visit: Visit) -> None:
    local_contacts.generate()
    _open(visit, "/help/contacts/?area=nowhere")
    visit.expect_error_summary()


def report_follow_up(visit: Visit) -> None:
    _client, follow_up = _sent_report(visit)
    visit.page.context.clear_cookies()  # the link works with no session
    _open(visit, follow_up)


def report_follow_up_with_errors(visit: Visit) -> None:
    report_follow_up(visit)
    visit.submit(text="")
    visit.expect_error_summary()


def report_follow_up_added(visit: Visit) -> None:
    report_follow_up(visit)
    visit.submit(text="The minibus comes back at 10pm.")
    expect(visit.page.locator(".govuk-notification-banner--success")).to_be_visible()
    visit.page.wait_for_load_state("load")


def _report_with_addition(visit: Visit) -> PublicReport:
    _sent_report(visit)
    visit.page.context.clear_cookies()
    report = PublicReport.objects.get()
    services.add_information(
        report=report, text="The minibus comes back at 10pm.", language="en-gb"
    )
    return report


def hub_public_reports(visit: Visit) -> None:
    _report_with_addition(visit)
    visit.signed_in(Role.HUB_ANALYST)
    _open(visit, "/hub/public-reports/")


def hub_public_report(visit: Visit) -> None:
    report = _report_with_addition(visit)
    visit.signed_in(Role.HUB_ANALYST)
    _open(visit, f"/hub/public-reports/{report.reference}/")


def intelligence_form(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR)
    visit.goto("/intelligence/new/")


def intelligence_form_with_errors(visit: Visit) -> None:
    intelligence_form(visit)
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def _intelligence(visit: Visit) -> IntelligenceReport:
    partner = visit.make_organisation(name="Charnwood Borough Council")
    return IntelligenceReportFactory(
        originating_organisation=partner,
        handling_code="C",
        handling_conditions="Share with the hub only.",
    )


def intelligence_list(visit: Visit) -> None:
    _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/intelligence/")


def intelligence_report(visit: Visit) -> None:
    report = _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/{report.reference}/")


def intelligence_triage(visit: Visit) -> None:
    _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/intelligence/triage/")


def intelligence_triage_sorted(visit: Visit) -> None:
    _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/intelligence/triage/?sector=unknown&age=7&sort=grading&direction=descending")


def intelligence_search(visit: Visit) -> None:
    """Words, a chosen filter (its tag), facet counts and enough results for two pages."""
    _intelligence(visit)
    IntelligenceReportFactory.create_batch(55, sector="hand_car_wash")
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/intelligence/search/?q=car+wash&sector=hand_car_wash")


def intelligence_search_without_results(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR)
    visit.goto("/intelligence/search/?q=nothing+matches")


def intelligence_report_timeline(visit: Visit) -> None:
    report = _intelligence(visit)
    analyst = visit.signed_in(Role.HUB_ANALYST)
    intelligence_triage_services.change_status(
        report=report, user=analyst, to_status="under_assessment", note="Checking the address."
    )
    visit.goto(f"/intelligence/{report.reference}/")


def intelligence_from_public(visit: Visit) -> None:
    report = _report_with_addition(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/from-public/{report.reference}/")


def intelligence_sanitise(visit: Visit) -> None:
    report = _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/{report.reference}/sanitise/")


def intelligence_sanitise_with_errors(visit: Visit) -> None:
    intelligence_sanitise(visit)
    visit.page.get_by_label("Summary", exact=True).fill("")
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def intelligence_mention_with_errors(visit: Visit) -> None:
    intelligence_report(visit)
    form = visit.page.locator("main form[action$='/mentions/']")
    form.get_by_label("What it is").select_option("phone")
    form.get_by_label("Name, number or address").fill("not a number")
    form.locator("button[type=submit]").click()
    visit.expect_error_summary()


def _tasked(visit: Visit) -> tuple[IntelligenceReport, Organisation, Organisation]:
    """A regraded C report tasked to two partners: the police late, the council answered."""
    report = _intelligence(visit)
    council = report.originating_organisation
    police = visit.make_organisation(name="Leicestershire Police")
    analyst = visit.make_user(Role.HUB_ANALYST, full_name="Asha Analyst")
    officer = visit.make_user(Role.PARTNER_CONTRIBUTOR, organisation=council)
    intelligence_triage_services.change_status(
        report=report, user=analyst, to_status="under_assessment"
    )
    intelligence_triage_services.regrade(
        report=report,
        user=analyst,
        source_evaluation="1",
        intelligence_assessment="B",
        handling_code="C",
        handling_conditions="Share with the hub only.",
        reason="A second source confirmed the address.",
    )
    late, answered = intelligence_tasking_services.task_agencies(
        report=report,
        user=analyst,
        submission_key=uuid.uuid4(),
        organisations=[police, council],
        request_text="Visit the premises and speak to the workers.",
        deadline=timezone.localdate(),
    )
    Tasking.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    intelligence_tasking_services.answer_tasking(
        tasking=answered,
        user=officer,
        result="intelligence_confirmed",
        response="Visited on Tuesday; six workers.",
    )
    return report, police, council


def intelligence_report_tasked(visit: Visit) -> None:
    report, _police, _council = _tasked(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/{report.reference}/")


def intelligence_assessment(visit: Visit) -> None:
    report = _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/{report.reference}/assessment/")


def intelligence_assessment_with_errors(visit: Visit) -> None:
    intelligence_assessment(visit)
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def intelligence_grading(visit: Visit) -> None:
    report = _intelligence(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/{report.reference}/grading/")


def intelligence_grading_with_errors(visit: Visit) -> None:
    intelligence_grading(visit)
    visit.page.locator("textarea[name=handling_conditions]").fill("")
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def intelligence_task(visit: Visit) -> None:
    report = _intelligence(visit)
    IntelligenceReport.objects.filter(pk=report.pk).update(status="under_assessment")
    visit.make_organisation(name="Leicestershire Police")
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/intelligence/{report.reference}/taskings/new/")


def intelligence_task_with_errors(visit: Visit) -> None:
    intelligence_task(visit)
    visit.page.locator("input[name=deadline]").fill("01/01/2020")
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def intelligence_taskings(visit: Visit) -> None:
    _report, police, _council = _tasked(visit)
    officer = visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=police)
    earlier = TaskingFactory(report=IntelligenceReportFactory(status="tasked"), organisation=police)
    intelligence_tasking_services.answer_tasking(
        tasking=earlier, user=officer, result="nothing_found", response="Nobody was there."
    )
    visit.goto("/intelligence/taskings/")


def _open_tasking(visit: Visit) -> None:
    report, police, _council = _tasked(visit)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=police)
    tasking = report.taskings.get(organisation=police)
    visit.goto(f"/intelligence/taskings/{tasking.pk}/")


def intelligence_tasking_with_errors(visit: Visit) -> None:
    _open_tasking(visit)
    visit.page.locator("main form[method=post] button[type=submit]").click()
    visit.expect_error_summary()


def intelligence_tasking_answered(visit: Visit) -> None:
    report, _police, council = _tasked(visit)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=council)
    tasking = report.taskings.get(organisation=council)
    visit.goto(f"/intelligence/taskings/{tasking.pk}/")


BOTH = ("en", "fr")


def intelligence_import(visit: Visit) -> None:
    visit.signed_in(Role.PARTNER_CONTRIBUTOR)
    visit.goto("/intelligence/import/")


def intelligence_import_with_errors(visit: Visit) -> None:
    intelligence_import(visit)
    visit.page.locator("button[name=action][value=import]").click()
    visit.expect_error_summary()


def _upload_for_check(visit: Visit, rows: str) -> None:
    from lantern.intelligence import csv_formats

    intelligence_import(visit)
    content = "".join(csv_formats.template_lines()) + rows
    visit.page.locator("input[name=file]").set_input_files(
        {"name": "intelligence.csv", "mimeType": "text/csv", "buffer": content.encode()}
    )
    visit.page.locator("button[name=action][value=check]").click()
    visit.page.wait_for_load_state("load")


def intelligence_import_checked(visit: Visit) -> None:
    _upload_for_check(visit, "")
    expect(visit.page.locator(".govuk-notification-banner--success")).to_be_visible()


def intelligence_import_problems(visit: Visit) -> None:
    _upload_for_check(visit, ',"=HYPERLINK(1)",2999-01-01,,nope,,piracy,maybe,,,9,Z,C,,x,,,,,\n')
    visit.expect_error_summary()


def _linked(visit: Visit) -> tuple[IntelligenceReport, IntelligenceReport]:
    """The council's report and the police's C report share a phone; each names a person
    the other may be (a suggested match)."""
    report = _intelligence(visit)
    police = visit.make_organisation(name="Leicestershire Police")
    secret = IntelligenceReportFactory(
        originating_organisation=police,
        handling_code="C",
        handling_conditions="Police only.",
    )
    for one, name in ((report, "Ion Rusu"), (secret, "RUSU, Ion")):
        intelligence_mention_services.add_mentions(
            one,
            [
                MentionData(kind="phone", role="contact", value="07700 900461"),
                MentionData(kind="person", role="suspected_exploiter", value=name),
                MentionData(kind="vehicle", role="vehicle_used", value="FD19 XKP"),
            ],
        )
    return report, secret


def _phone() -> Entity:
    return Entity.objects.get(kind="phone")


def entity_page(visit: Visit) -> None:
    """An analyst's view: suggestions, exclusion, reports, and the network."""
    _linked(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/entities/{_phone().pk}/")
    expect(visit.page.locator("#network")).to_be_visible()


def entity_chart(visit: Visit) -> None:
    """The link chart drawn, with its tools, key, path form and list of links."""
    _linked(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/entities/chart/?entity={_phone().pk}")
    expect(visit.page.locator("#chart-graph canvas").first).to_be_attached()


def entity_match_review(visit: Visit) -> None:
    """A suggested match side by side."""
    _linked(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/entities/matches/{Match.objects.get().pk}/")


def entity_page_restricted(visit: Visit) -> None:
    """A partner's view of the same phone: their report and the hit / no-hit notice."""
    report, _secret = _linked(visit)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=report.originating_organisation)
    visit.goto(f"/entities/{_phone().pk}/")


def entity_exclusion_errors(visit: Visit) -> None:
    entity_page(visit)
    visit.page.locator("main details summary").first.click()
    visit.page.locator("main form[action$='/exclude/'] button[type=submit]").click()
    visit.expect_error_summary()


def entity_matches(visit: Visit) -> None:
    _linked(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/entities/matches/")


def entity_hits(visit: Visit) -> None:
    report, _secret = _linked(visit)
    partner = visit.make_user(
        Role.PARTNER_CONTRIBUTOR, organisation=report.originating_organisation
    )
    restricted_hits.record_hits(user=partner, entities=[_phone()], where=HitContext.SEARCH)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/entities/hits/")


def entity_hits_for_owners(visit: Visit) -> None:
    """The police see the hit on their C report: when and what, not who."""
    report, secret = _linked(visit)
    partner = visit.make_user(
        Role.PARTNER_CONTRIBUTOR, organisation=report.originating_organisation
    )
    restricted_hits.record_hits(user=partner, entities=[_phone()], where=HitContext.SEARCH)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=secret.originating_organisation)
    visit.goto("/entities/hits/")
    expect(visit.page.locator("main table")).to_be_visible()


def hotspots(visit: Visit) -> None:
    """Counts, changes, the ranked list and the map, drawn (no tiles: a blank map)."""
    report, _secret = _linked(visit)
    intelligence_mention_services.add_mentions(
        report,
        [MentionData(kind="location", role="premises", value="12 High Street, LE1 5AB")],
    )
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/hotspots/?months=12")
    expect(visit.page.locator(".leaflet-container")).to_be_visible()


def hotspots_with_errors(visit: Visit) -> None:
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto("/hotspots/?end_day=31&end_month=2&end_year=2026", status=400)


def intelligence_report_linked(visit: Visit) -> None:
    """The report page's links, suggestions and, for the partner, the restricted notice."""
    report, _secret = _linked(visit)
    visit.signed_in(Role.PARTNER_CONTRIBUTOR, organisation=report.originating_organisation)
    visit.goto(f"/intelligence/{report.reference}/")


# Safeguarding and operations: a live operation led by the police with the council taking
# part, one target, and a potential victim identified in it.


def _operation_with_a_victim(visit: Visit) -> tuple[Operation, PotentialVictim, User]:
    police, _charity, council = _partnership(visit)
    council.organisation_type = OrganisationType.LOCAL_AUTHORITY
    council.is_first_responder = True
    council.save()
    report = IntelligenceReportFactory(originating_organisation=police)
    entity = mentioned(report, "Sparkle Hand Car Wash")
    lead = visit.make_user(Role.OPERATIONS_LEAD, organisation=police)
    operation = LiveOperationFactory(
        lead_organisation=police, created_by=lead, participants=[council], name="Operation Ivy"
    )
    operation_services.add_target(
        operation=operation,
        actor=lead,
        entity_id=entity.pk,
        description="Car wash, rear unit",
        justification=[report.reference],
    )
    victim = VictimFactory(
        identified_by=council, operation=operation, name="Arben Hoxha", address="12 Main St"
    )
    NRMReferralFactory(victim=victim)
    return operation, victim, lead


def victims(visit: Visit) -> None:
    _operation, victim, _lead = _operation_with_a_victim(visit)
    visit.signed_in(Role.SAFEGUARDING_LEAD, organisation=victim.identified_by)
    visit.goto("/safeguarding/victims/")


def victim_page(visit: Visit) -> None:
    """The council's safeguarding lead: personal details, NRM timeline, actions, referrals."""
    _operation, victim, _lead = _operation_with_a_victim(visit)
    visit.signed_in(Role.SAFEGUARDING_LEAD, organisation=victim.identified_by)
    visit.goto(f"/safeguarding/victims/{victim.reference}/")
    expect(visit.page.get_by_role("main")).to_contain_text("Arben Hoxha")


def victim_page_pseudonymised(visit: Visit) -> None:
    _operation, victim, _lead = _operation_with_a_victim(visit)
    visit.signed_in(Role.HUB_ANALYST)
    visit.goto(f"/safeguarding/victims/{victim.reference}/")
    expect(visit.page.get_by_role("main")).not_to_contain_text("Arben Hoxha")


def victim_form_with_errors(visit: Visit) -> None:
    _operation, victim, _lead = _operation_with_a_victim(visit)
    visit.signed_in(Role.SAFEGUARDING_LEAD, organisation=victim.identified_by)
    visit.goto("/safeguarding/victims/new/")
    visit.submit(identified_on="31/2/2026", age_at_identification="200")
    visit.expect_error_summary()


def victim_statistics(visit: Visit) -> None:
    _operation_with_a_victim(visit)
    visit.signed_in(Role.HUB_COORDINATOR)
    visit.goto("/safeguarding/statistics/")


def victim_nrm_by_supporter(visit: Visit) -> None:
    """A supporting organisation given only the name: the NRM page says the referral is
    made on that alone (issue 16)."""
    police, charity, *_others = _partnership(visit)
    victim = VictimFactory(identified_by=police, name="Arben Hoxha", address="12 Main St")
    SupportReferralFactory(
        victim=victim, to_organisation=charity, shared_details=["name"], status="accepted"
    )
    visit.signed_in(Role.SAFEGUARDING_LEAD, organisation=charity)
    visit.goto(f"/safeguarding/victims/{victim.reference}/nrm/")
    expect(visit.page.locator("main .govuk-inset-text")).to_be_visible()
    expect(visit.page.get_by_role("main")).not_to_contain_text("12 Main St")


def support_referrals(visit: Visit) -> None:
    _operation, victim, _lead = _operation_with_a_victim(visit)
    SupportReferralFactory(victim=victim, to_organisation=victim.operation.lead_organisation)
    visit.signed_in(Role.SAFEGUARDING_LEAD, organisation=victim.operation.lead_organisation)
    visit.goto("/safeguarding/support-referrals/")


def operations(visit: Visit) -> None:
    _operation, _victim, lead = _operation_with_a_victim(visit)
    visit.open_session(visit.page.context, lead)
    visit.goto("/operations/")


def operation_page(visit: Visit) -> None:
    """The lead's view of a debriefed operation: plan, targets, totals, victims."""
    operation, _victim, lead = _operation_with_a_victim(visit)
    operation_services.debrief_target(
        target=operation.targets.get(),
        actor=lead,
        visited=True,
        people_spoken_to=5,
        arrests=1,
        charges=1,
        warrants_executed=1,
        closure_orders=0,
        items_seized=2,
        disruptions=["licensing"],
    )
    visit.open_session(visit.page.context, lead)
    visit.goto(f"/operations/{operation.reference}/")


def operation_order(visit: Visit) -> None:
    operation, _victim, lead = _operation_with_a_victim(visit)
    visit.open_session(visit.page.context, lead)
    visit.goto(f"/operations/{operation.reference}/order/")


def operation_plan_with_errors(visit: Visit) -> None:
    visit.signed_in(Role.OPERATIONS_LEAD, organisation=_partnership(visit)[0])
    visit.goto("/operations/new/")
    visit.submit(name="Operation Ivy")
    visit.expect_error_summary()


PAGES: dict[str, tuple[Callable[[Visit], None], tuple[str, ...]]] = {
    "sign-in": (sign_in, BOTH),
    "sign-in-wrong-password": (sign_in_with_errors, BOTH),
    "sign-in-empty": (sign_in_with_empty_fields, BOTH),
    "sign-in-code": (second_factor, BOTH),
    "sign-in-code-errors": (second_factor_with_errors, BOTH),
    "sign-in-organisation": (sso_sign_in, BOTH),
    "sign-in-organisation-errors": (sso_sign_in_with_errors, BOTH),
    "sign-in-organisation-offered": (sso_sign_in_offered, BOTH),
    "access-reviews": (access_reviews, BOTH),
    "access-reviews-coordinator": (access_reviews_for_coordinator, BOTH),
    "access-review": (access_review_page, BOTH),
    "access-review-errors": (access_review_with_errors, BOTH),
    "user-authenticator-reset": (authenticator_reset, BOTH),
    "account-security": (account_security, BOTH),
    "account-security-errors": (account_security_with_errors, BOTH),
    **{
        f"home-{role.name.lower().replace('_', '-')}": (
            home_for(role),
            BOTH if role in {Role.PARTNER_CONTRIBUTOR, Role.SYSTEM_ADMINISTRATOR} else ("en",),
        )
        for role in Role
    },
    "home-without-second-factor": (home_without_second_factor, BOTH),
    "home-without-shared-access": (home_without_shared_access, BOTH),
    "partners": (partners, BOTH),
    "partners-filtered": (partners_filtered, ("en",)),
    "partner-detail": (partner_detail, BOTH),
    "not-found": (not_found, BOTH),
    "no-shared-access": (no_shared_access, BOTH),
    "locked-out": (locked_out, BOTH),
    "admin-index": (admin("/admin/"), BOTH),
    "admin-organisations": (admin("/admin/core/organisation/"), BOTH),
    "admin-organisation-add": (admin("/admin/core/organisation/add/"), BOTH),
    "admin-organisation-change": (admin("/admin/core/organisation/{organisation}/change/"), BOTH),
    "admin-users": (admin("/admin/core/user/"), BOTH),
    "admin-user-add": (admin("/admin/core/user/add/"), BOTH),
    "admin-user-change": (admin("/admin/core/user/{user}/change/"), BOTH),
    "admin-roles": (admin("/admin/auth/group/"), ("en",)),
    "admin-role": (admin("/admin/auth/group/{role}/change/"), ("en",)),
    "admin-areas": (admin("/admin/core/localauthorityarea/"), ("en",)),
    "admin-area-change": (admin("/admin/core/localauthorityarea/{area}/change/"), ("en",)),
    "admin-authenticators": (admin("/admin/otp_totp/totpdevice/"), ("en",)),
    "admin-audit-events": (admin("/admin/core/auditevent/"), BOTH),
    "admin-api-tokens": (admin_api_tokens, BOTH),
    "admin-background-jobs": (admin_background_jobs, BOTH),
    "admin-background-job": (admin_background_job, BOTH),
    "admin-retention-schedule": (admin("/admin/housekeeping/retentionrule/"), BOTH),
    "admin-retention-rule": (admin_retention_rule, BOTH),
    "retention-worklist": (retention_worklist, BOTH),
    "retention-review-errors": (retention_review_errors, BOTH),
    "retention-disposed": (retention_disposed, BOTH),
    "admin-help-channels": (admin("/admin/public/helpchannel/"), BOTH),
    "admin-indicator-add": (admin("/admin/core/indicator/add/"), BOTH),
    "admin-indicators": (admin("/admin/core/indicator/"), ("en",)),
    "admin-audit-event": (admin("/admin/core/auditevent/{event}/change/"), ("en",)),
    "admin-role-grants": (admin_role_grants, BOTH),
    "admin-own-account": (admin_own_account, ("en",)),
    "public-start": (public_page("/help/"), BOTH),
    "public-signs": (public_page("/help/signs/"), BOTH),
    "public-sign-page-form": (
        public_page(f"/help/signs/{_sign_page_slug(content.Kind.FORM)}/"),
        BOTH,
    ),
    "public-sign-page-sector": (
        public_page(f"/help/signs/{_sign_page_slug(content.Kind.SECTOR)}/"),
        BOTH,
    ),
    "public-get-help": (public_page("/help/contacts/"), BOTH),
    "public-privacy": (public_page("/help/privacy/"), BOTH),
    "public-accessibility": (public_page("/help/accessibility/"), BOTH),
    "report-start": (public_page("/report/"), BOTH),
    **{f"report-{step.slug}": (report_step(step.slug), BOTH) for step in drafts.STEPS},
    "report-danger-errors": (report_step_with_errors("danger"), BOTH),
    "report-what-happened-errors": (report_step_with_errors("what-happened"), BOTH),
    "report-exploitation-errors": (report_step_with_errors("exploitation"), BOTH),
    "report-where-errors": (report_step_with_errors("where"), BOTH),
    "report-contact-errors": (report_contact_with_errors, BOTH),
    "report-photos-added": (report_photos_added, BOTH),
    "report-photos-errors": (report_photos_with_errors, BOTH),
    "report-call-999": (report_call_999, BOTH),
    "report-check": (report_check, BOTH),
    "report-sent": (report_sent, BOTH),
    "report-sent-errors": (report_sent_with_a_wrong_address, BOTH),
    "public-local-services": (local_services, BOTH),
    "public-local-services-errors": (local_services_with_errors, BOTH),
    "report-follow-up": (report_follow_up, BOTH),
    "report-follow-up-errors": (report_follow_up_with_errors, BOTH),
    "report-follow-up-added": (report_follow_up_added, BOTH),
    "hub-public-reports": (hub_public_reports, BOTH),
    "hub-public-report": (hub_public_report, BOTH),
    "intelligence-form": (intelligence_form, BOTH),
    "intelligence-form-errors": (intelligence_form_with_errors, BOTH),
    "intelligence-import": (intelligence_import, BOTH),
    "intelligence-import-errors": (intelligence_import_with_errors, BOTH),
    "intelligence-import-checked": (intelligence_import_checked, BOTH),
    "intelligence-import-problems": (intelligence_import_problems, BOTH),
    "intelligence-list": (intelligence_list, BOTH),
    "intelligence-report": (intelligence_report, BOTH),
    "intelligence-triage": (intelligence_triage, BOTH),
    "intelligence-triage-sorted": (intelligence_triage_sorted, BOTH),
    "intelligence-search": (intelligence_search, BOTH),
    "intelligence-search-empty": (intelligence_search_without_results, ("en",)),
    "intelligence-report-timeline": (intelligence_report_timeline, BOTH),
    "intelligence-report-tasked": (intelligence_report_tasked, BOTH),
    "intelligence-assessment": (intelligence_assessment, BOTH),
    "intelligence-assessment-errors": (intelligence_assessment_with_errors, BOTH),
    "intelligence-grading": (intelligence_grading, BOTH),
    "intelligence-grading-errors": (intelligence_grading_with_errors, BOTH),
    "intelligence-task": (intelligence_task, BOTH),
    "intelligence-task-errors": (intelligence_task_with_errors, BOTH),
    "intelligence-taskings": (intelligence_taskings, BOTH),
    "intelligence-tasking": (_open_tasking, BOTH),
    "intelligence-tasking-errors": (intelligence_tasking_with_errors, BOTH),
    "intelligence-tasking-answered": (intelligence_tasking_answered, ("en",)),
    "intelligence-from-public": (intelligence_from_public, BOTH),
    "intelligence-sanitise": (intelligence_sanitise, BOTH),
    "intelligence-sanitise-errors": (intelligence_sanitise_with_errors, ("en",)),
    "intelligence-mention-errors": (intelligence_mention_with_errors, ("en",)),
    "intelligence-report-linked": (intelligence_report_linked, BOTH),
    "entity": (entity_page, BOTH),
    "entity-restricted": (entity_page_restricted, BOTH),
    "entity-exclusion-errors": (entity_exclusion_errors, ("en",)),
    "entity-matches": (entity_matches, BOTH),
    "entity-chart": (entity_chart, BOTH),
    "entity-match-review": (entity_match_review, BOTH),
    "entity-hits": (entity_hits, BOTH),
    "entity-hits-owners": (entity_hits_for_owners, ("en",)),
    "hotspots": (hotspots, BOTH),
    "hotspots-errors": (hotspots_with_errors, ("en",)),
    "victims": (victims, BOTH),
    "victim": (victim_page, BOTH),
    "victim-pseudonymised": (victim_page_pseudonymised, ("en",)),
    "victim-errors": (victim_form_with_errors, BOTH),
    "victim-statistics": (victim_statistics, BOTH),
    "support-referrals": (support_referrals, ("en",)),
    "victim-nrm-by-supporter": (victim_nrm_by_supporter, BOTH),
    "operations": (operations, BOTH),
    "operation": (operation_page, BOTH),
    "operation-order": (operation_order, ("en",)),
    "operation-plan-errors": (operation_plan_with_errors, BOTH),
}


def _format(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:200]}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


# Pages drawn by SQL that differs between SQLite and PostgreSQL (full-text search, entity
# correlation, hotspot and statistics aggregates). CI scans them on both databases; every
# other page reads the same on either, so its scans are marked to run on the first pass only
# (``LANTERN_SECOND_DATABASE_PASS`` in .ci/run, tests/e2e/conftest.py).
DATABASE_DEPENDENT = frozenset(
    {
        "intelligence-search",
        "intelligence-search-empty",
        "intelligence-report-linked",
        "entity",
        "entity-restricted",
        "entity-matches",
        "entity-hits",
        "entity-hits-owners",
        "hotspots",
        "victim-statistics",
    }
)


@pytest.mark.parametrize(
    ("page_name", "language"),
    [
        pytest.param(
            name,
            language,
            id=f"{name}-{language}",
            marks=() if name in DATABASE_DEPENDENT else pytest.mark.same_on_every_database,
        )
        for name, (_visit, languages) in PAGES.items()
        for language in languages
    ],
)
def test_page_has_no_serious_accessibility_violations(
    page_name: str,
    language: str,
    site: str,
    new_context: Callable[..., BrowserContext],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    open_session: Callable[..., None],
) -> None:
    page = new_context(bypass_csp=True).new_page()
    visit_page, _languages = PAGES[page_name]
    visit = Visit(
        page=page,
        prefix="/fr" if language == "fr" else "",
        site=site,
        make_user=make_user,
        make_organisation=make_organisation,
        open_session=open_session,
    )
    visit_page(visit)
    expect(page.locator("html")).to_have_attribute("lang", "fr" if language == "fr" else "en-gb")

    page.add_script_tag(path=AXE_SCRIPT)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)

    if violations:
        print(f"axe violations on {page.url}:\n{_format(violations)}")
    failing = [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]
    assert not failing, (
        f"{len(failing)} serious or critical accessibility violation(s) on {page.url}:\n"
        + _format(failing)
    )
