"""A partner submits intelligence: once, whole, graded, or not at all."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.intelligence.models import IntelligenceReport
from lantern.intelligence.services import submission as submission_services
from lantern.intelligence.submitted import ReportFields
from tests.factories import IntelligenceReportFactory, OrganisationFactory

SCRIPT = '<script>alert("x")</script>'


def answers(**changes) -> dict:
    data = {
        "submission_key": str(uuid.uuid4()),
        "summary": "Men sleeping at a hand car wash on Narborough Road",
        "narrative": "Our crew saw six men sleeping in the back unit.\nNo gloves or boots.",
        "occurred_on": "3/2/2026",
        "location": "Narborough Road, Leicester",
        "postcode": "le3 0aa",
        "exploitation_types": ["labour"],
        "child_involved": "",
        "indicators": ["injuries"],
        "sector": "hand_car_wash",
        "source_evaluation": "2",
        "intelligence_assessment": "B",
        "handling_code": "P",
        "handling_conditions": "",
        "mentions-TOTAL_FORMS": "4",
        "mentions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def contributor(signed_in):
    return signed_in(Role.PARTNER_CONTRIBUTOR)


def test_a_partner_submits_intelligence_and_reads_it_back(contributor):
    response = contributor.post("/intelligence/new/", answers())

    report = IntelligenceReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/intelligence/{report.reference}/"
    assert report.postcode == "LE3 0AA"
    assert report.area.name == "Leicester"
    assert report.occurred_on == datetime.date(2026, 2, 3)
    assert report.grading == "2 / B / P"
    assert report.status == "new"
    assert report.originating_organisation == contributor.user.organisation
    assert report.created_by == contributor.user
    assert [entry.code for entry in report.exploitation_types.all()] == ["labour"]
    assert [entry.code for entry in report.indicators.all()] == ["injuries"]
    page = contributor.get(response["Location"]).content.decode()
    assert "2 / B / P" in page and "Men sleeping at a hand car wash" in page
    assert AuditEvent.objects.filter(
        action="intelligence.submitted", object_id=str(report.pk)
    ).exists()


def test_c_coded_intelligence_keeps_its_conditions_and_named_organisations(contributor):
    named = OrganisationFactory(name="Named charity")

    contributor.post(
        "/intelligence/new/",
        answers(
            handling_code="C",
            handling_conditions="Only the named charity; do not approach the site.",
            shared_with=[str(named.pk)],
        ),
    )

    report = IntelligenceReport.objects.get()
    assert report.handling_code == "C"
    assert list(report.shared_with.all()) == [named]


def test_a_chosen_area_corrects_the_postcode_guess(contributor):
    from lantern.core.models import LocalAuthorityArea

    blaby = LocalAuthorityArea.objects.get(name="Blaby")

    contributor.post("/intelligence/new/", answers(area=str(blaby.pk)))

    assert IntelligenceReport.objects.get().area == blaby


def test_a_double_submission_makes_one_record(contributor):
    data = answers()

    first = contributor.post("/intelligence/new/", data)
    second = contributor.post("/intelligence/new/", data)

    assert IntelligenceReport.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_form_sent_without_its_key_still_stores_once(contributor):
    response = contributor.post("/intelligence/new/", answers(submission_key="not-a-key"))

    assert response.status_code == 302
    assert IntelligenceReport.objects.count() == 1


def test_a_refused_form_keeps_its_key_for_the_next_attempt(contributor):
    data = answers(summary="")

    page = contributor.post("/intelligence/new/", data).content.decode()

    assert f'value="{data["submission_key"]}"' in page


def test_the_service_is_idempotent_too(make_user):
    user = make_user(Role.PARTNER_CONTRIBUTOR)
    key = uuid.uuid4()
    fields = ReportFields(
        summary="Summary",
        narrative="Narrative",
        source_evaluation="1",
        intelligence_assessment="A",
        handling_code="P",
    )

    first = submission_services.submit_intelligence(actor=user, submission_key=key, fields=fields)
    second = submission_services.submit_intelligence(actor=user, submission_key=key, fields=fields)

    assert first.pk == second.pk
    assert IntelligenceReport.objects.count() == 1


FUTURE = (timezone.localdate() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"summary": ""}, "summary", "Enter a summary"),
        ({"narrative": ""}, "narrative", "Enter what you know in the narrative"),
        ({"summary": "x" * 201}, "summary", "200 characters or fewer"),
        ({"narrative": "x" * 20001}, "narrative", "20000 characters or fewer"),
        ({"occurred_on": FUTURE}, "occurred_on", "must be today or in the past"),
        ({"occurred_on": "31/2/2026"}, "occurred_on", "as a real date"),
        ({"postcode": "ABC 123"}, "postcode", "Enter a real UK postcode"),
        ({"handling_code": "C"}, "handling_conditions", "required for handling code C"),
        (
            {"handling_code": "C", "handling_conditions": "   "},
            "handling_conditions",
            "required for handling code C",
        ),
        ({"source_evaluation": "4"}, "source_evaluation", "1, 2 or 3"),
        ({"source_evaluation": None}, "source_evaluation", "1, 2 or 3"),
        ({"intelligence_assessment": "F"}, "intelligence_assessment", "from A to E"),
        ({"handling_code": "R"}, "handling_code", "P or C"),
        ({"sector": "mining"}, "sector", "Select a sector from the list"),
        ({"exploitation_types": ["piracy"]}, "exploitation_types", "from the list"),
        (
            {"handling_code": "C", "handling_conditions": "x", "shared_with": ["999999"]},
            "shared_with",
            "list of active partners",
        ),
        (
            {"handling_code": "C", "handling_conditions": "x", "shared_with": ["nope"]},
            "shared_with",
            "list of active partners",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_saved(
    contributor, changes, field, message
):
    response = contributor.post("/intelligence/new/", answers(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert not IntelligenceReport.objects.exists()


@pytest.mark.parametrize(
    "organisation",
    [
        {"name": "No agreement", "isa_signed_on": None},
        {"name": "Gone", "is_active": False},
    ],
    ids=["without ISA", "inactive"],
)
def test_only_active_partners_can_be_named_in_the_conditions(contributor, organisation):
    outsider = OrganisationFactory(**organisation)

    response = contributor.post(
        "/intelligence/new/",
        answers(handling_code="C", handling_conditions="x", shared_with=[str(outsider.pk)]),
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["shared_with"]
    assert not IntelligenceReport.objects.exists()


def test_the_database_refuses_c_without_conditions(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntelligenceReportFactory(handling_code="C", handling_conditions="")


def test_the_database_refuses_grading_outside_the_scheme(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        IntelligenceReportFactory(source_evaluation="5")


def test_the_service_refuses_a_future_date(make_user):
    user = make_user(Role.PARTNER_CONTRIBUTOR)

    with pytest.raises(ValidationError) as refused:
        submission_services.submit_intelligence(
            actor=user,
            submission_key=uuid.uuid4(),
            fields=ReportFields(
                summary="s",
                narrative="n",
                source_evaluation="1",
                intelligence_assessment="A",
                handling_code="P",
                occurred_on=timezone.localdate() + datetime.timedelta(days=1),
            ),
        )

    assert "occurred_on" in refused.value.message_dict
    assert not IntelligenceReport.objects.exists()


@pytest.mark.parametrize(
    "role",
    [Role.HUB_COORDINATOR, Role.OUTREACH_OFFICER, Role.BOARD_VIEWER, Role.SYSTEM_ADMINISTRATOR],
    ids=lambda role: role.name,
)
def test_roles_that_do_not_submit_are_refused(signed_in, role):
    other = signed_in(role)

    assert other.get("/intelligence/new/").status_code == 403
    assert other.post("/intelligence/new/", answers()).status_code == 403
    assert not IntelligenceReport.objects.exists()


def test_a_partner_outside_the_sharing_cannot_submit(signed_in):
    outside = signed_in(
        Role.PARTNER_CONTRIBUTOR, organisation=OrganisationFactory(isa_signed_on=None)
    )

    assert outside.post("/intelligence/new/", answers()).status_code == 403
    assert not IntelligenceReport.objects.exists()


def test_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/intelligence/").status_code == 302
    assert client.get("/intelligence/new/").status_code == 302


def test_script_in_intelligence_is_shown_as_text(contributor):
    contributor.post(
        "/intelligence/new/",
        answers(summary=f"Summary {SCRIPT}", narrative=f"Narrative {SCRIPT}"),
    )
    reference = IntelligenceReport.objects.get().reference

    for page in (
        contributor.get(f"/intelligence/{reference}/").content.decode(),
        contributor.get("/intelligence/").content.decode(),
    ):
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_form_works_in_french(contributor):
    page = contributor.get("/fr/intelligence/new/")

    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()


def mention_row(number: int, kind: str, role: str, value: str, details: str = "") -> dict:
    prefix = f"mentions-{number}"
    return {
        f"{prefix}-kind": kind,
        f"{prefix}-role": role,
        f"{prefix}-value": value,
        f"{prefix}-details": details,
    }


def test_mentions_are_stored_with_their_roles_and_matching_keys(contributor):
    data = answers(
        **mention_row(0, "phone", "contact", "07700 900123"),
        **mention_row(1, "vehicle", "vehicle_used", "ab12 cde", "White Transit van"),
        **mention_row(3, "location", "premises", "Unit 4, 12 Mill Lane, le3 0aa"),
    )

    response = contributor.post("/intelligence/new/", data)

    report = IntelligenceReport.objects.get()
    assert response.status_code == 302
    assert [(m.kind, m.role, m.value, m.key, m.details) for m in report.mentions.all()] == [
        ("phone", "contact", "07700 900123", "+447700900123", ""),
        ("vehicle", "vehicle_used", "ab12 cde", "AB12CDE", "White Transit van"),
        (
            "location",
            "premises",
            "Unit 4, 12 Mill Lane, le3 0aa",
            "LE3 0AA unit 4 12 mill ln",
            "",
        ),
    ]
    page = contributor.get(response["Location"]).content.decode()
    assert "07700 900123" in page
    assert "Vehicle used" in page


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (mention_row(1, "phone", "contact", "call me"), "Enter a real phone number"),
        (mention_row(1, "", "contact", "07700 900123"), "Select what it is"),
        (mention_row(1, "phone", "", "07700 900123"), "Select its role"),
        (mention_row(1, "phone", "boss", "07700 900123"), "Select its role from the list"),
        (mention_row(1, "person", "witness", ""), "Enter the name, number or address"),
        (
            mention_row(1, "bank_account", "payment", "12345678"),
            "Enter only the last 4 digits of the bank account",
        ),
        (mention_row(1, "person", "witness", "x" * 301), "300 characters or fewer"),
    ],
)
def test_a_bad_mention_is_named_by_its_row_and_nothing_is_saved(contributor, row, message):
    response = contributor.post("/intelligence/new/", answers(**row))

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'href="#id_mentions-1-' in page
    assert "Mention 2:" in page
    assert not IntelligenceReport.objects.exists()


def test_the_service_refuses_a_mention_it_cannot_key(make_user):
    user = make_user(Role.PARTNER_CONTRIBUTOR)
    bad = MentionData(kind="vehicle", role="vehicle_used", value="!!")

    with pytest.raises(ValidationError) as refused:
        submission_services.submit_intelligence(
            actor=user,
            submission_key=uuid.uuid4(),
            fields=ReportFields(
                summary="s",
                narrative="n",
                source_evaluation="2",
                intelligence_assessment="B",
                handling_code="P",
                mentions=[MentionData("phone", "contact", "07700 900123"), bad],
            ),
        )

    assert refused.value.message_dict == {
        "mentions": ["Mention 2: Enter a vehicle registration of 2 to 8 letters and numbers"]
    }
    assert not IntelligenceReport.objects.exists()


def test_a_postcode_written_with_a_hyphen_is_accepted(contributor):
    response = contributor.post("/intelligence/new/", answers(postcode="LE15-6RB"))

    assert response.status_code == 302
    assert IntelligenceReport.objects.get().postcode == "LE15 6RB"
