"""KPI pages, home panels and board packs, for every role, as an attacker would try them."""

import io
from urllib.parse import quote, urlencode

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.evaluation.models import PublishedCell
from tests.evaluation.kpis.factories import day_in, victims

OTHER_ROLES = [
    Role.HUB_ANALYST,
    Role.PARTNER_CONTRIBUTOR,
    Role.OUTREACH_OFFICER,
    Role.SAFEGUARDING_LEAD,
    Role.OPERATIONS_LEAD,
    Role.SYSTEM_ADMINISTRATOR,
]


@pytest.fixture
def records(db):
    victims(3, on=day_in(2024, 1), area="Leicester")
    victims(12, on=day_in(2024, 2), area="Leicester")
    victims(7, on=day_in(2024, 3), area="Charnwood")
    victims(9, on=day_in(2024, 4, day=20), area="Charnwood")
    victims(10, on=day_in(2023, 2), area="Leicester")


def _query(parameters) -> str:
    """A query string as a client would send it, lone surrogates as their UTF-8 bytes."""
    return urlencode(parameters, encoding="utf-8", errors="surrogatepass")


def _pages(kpi):
    return [
        reverse("evaluation:kpi_list"),
        reverse("evaluation:kpi_detail", args=[kpi.code]),
        reverse("evaluation:board_pack"),
    ]


def test_anonymous_visitors_are_asked_to_sign_in(client, victims_kpi):
    for url in _pages(victims_kpi):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("core:login") in response["Location"]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_find_nothing(signed_in, victims_kpi, records, role):
    client = signed_in(role)
    for url in _pages(victims_kpi):
        assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("evaluation:board_pack"), {"year": 2024, "format": "xlsx", "language": "en-gb"}
        ).status_code
        == 404
    )
    home = client.get(reverse("core:home")).content.decode()
    assert "Headline figures" not in home


def test_a_missing_kpi_is_the_same_404(signed_in, victims_kpi):
    client = signed_in(Role.HUB_COORDINATOR)
    assert client.get(reverse("evaluation:kpi_detail", args=["no-such-kpi"])).status_code == 404


def test_the_coordinator_reads_true_figures_and_the_records(signed_in, victims_kpi, records):
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.get(
        reverse("evaluation:kpi_detail", args=[victims_kpi.code]),
        {"year": 2024, "baseline": 2023, "by": "quarter", "breakdown": "area"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Victims found rose by 21 (+210.0%) in 2024/25 against 2023/24" in page
    assert "<svg" in page and 'role="img"' in page
    # The chart's table is in the page, quarter by quarter, and the small quarter shows.
    assert "Apr–Jun 2024" in page
    assert "withheld" not in page
    assert reverse("safeguarding:victim_list") in page
    assert "How this is counted" in page


def test_a_board_viewer_sees_only_controlled_figures(signed_in, victims_kpi, records):
    client = signed_in(Role.BOARD_VIEWER)
    response = client.get(
        reverse("evaluation:kpi_detail", args=[victims_kpi.code]),
        {"year": 2024, "baseline": 2023, "breakdown": "area"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "withheld" in page
    assert reverse("safeguarding:victim_list") not in page
    assert reverse("intelligence:search") not in page
    # The quarter of 3 never appears as a figure.
    trend = response.context["result"].trend_rows
    assert [row.value for row in trend] == ["withheld", "12", "withheld", "9"]
    assert PublishedCell.objects.filter(table_id=f"kpi:{victims_kpi.code}:count").exists()


def test_a_board_viewer_cannot_ask_for_months(signed_in, victims_kpi, records):
    client = signed_in(Role.BOARD_VIEWER)
    response = client.get(
        reverse("evaluation:kpi_detail", args=[victims_kpi.code]), {"year": 2024, "by": "month"}
    )
    assert response.status_code == 400
    assert "Choose quarter or month." in response.content.decode()


def test_home_panels(signed_in, victims_kpi, records):
    coordinator = signed_in(Role.HUB_COORDINATOR)
    page = coordinator.get(reverse("core:home")).content.decode()
    assert "Headline figures" in page and "Victims found" in page
    coordinator.logout()
    board = signed_in(Role.BOARD_VIEWER)
    page = board.get(reverse("core:home")).content.decode()
    assert "Headline figures" in page
    assert "published through disclosure control" in page


def test_the_list_page(signed_in, victims_kpi, records):
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.get(reverse("evaluation:kpi_list"), {"year": 2024})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Victims found" in page
    assert "Concerns reported by the public" in page
    assert "not more slavery" in page


def test_french(signed_in, victims_kpi, records):
    client = signed_in(Role.BOARD_VIEWER)
    response = client.get(f"/fr/evaluation/kpis/{victims_kpi.code}/", {"year": 2024})
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    listing = client.get("/fr/evaluation/kpis/").content.decode()
    assert "Signalements du public" in listing


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": 2023, "baseline": 2024}, "The baseline year must be before the year shown."),
        ({"year": 2023, "baseline": 2023}, "The baseline year must be before the year shown."),
        ({"year": "99999999999999999999"}, "Choose a year from the list."),
        ({"year": "\ud800"}, "Choose a year from the list."),
        ({"breakdown": "nationality"}, "Choose a breakdown from the list."),
    ],
)
def test_bad_input_gets_a_clear_message(signed_in, victims_kpi, query, message):
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.get(
        reverse("evaluation:kpi_detail", args=[victims_kpi.code]) + "?" + _query(query)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parameters=st.dictionaries(
        st.sampled_from(["year", "baseline", "by", "breakdown", "format", "language"]),
        st.one_of(
            st.text(max_size=30),
            st.integers(min_value=-(10**20), max_value=10**20).map(str),
            st.sampled_from(["2024", "2023", "quarter", "month", "area", "pdf", "xlsx", "fr"]),
        ),
    ),
    code=st.one_of(st.text(max_size=70), st.sampled_from(["victims-test", "public-reports"])),
)
@example(parameters={"year": "\ud800"}, code="victims-test")
@example(parameters={"year": "2024", "format": "\x00"}, code="\ud800")
def test_no_input_causes_a_server_error(client, make_user, victims_kpi, parameters, code):
    user = make_user(Role.HUB_COORDINATOR)
    client.force_login(user)
    query = _query(parameters)
    for url in (
        reverse("evaluation:kpi_list"),
        reverse("evaluation:board_pack"),
        reverse("evaluation:outcome_chain"),
        reverse("evaluation:statistics"),
        reverse("evaluation:statistics_csv"),
    ):
        assert client.get(f"{url}?{query}").status_code in {200, 400}
    path = quote(code.encode("utf-8", "surrogatepass"), safe="")
    assert client.get(f"/evaluation/kpis/{path}/?{query}").status_code in {200, 400, 404}


def test_a_board_pack_pdf_is_audited(signed_in, victims_kpi, records):
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.get(
        reverse("evaluation:board_pack"), {"year": 2024, "format": "pdf", "language": "en-gb"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="evaluation.board_pack_generated")
    assert event.actor_id == client.user.pk
    assert event.detail["year"] == "FY2024" and event.detail["format"] == "pdf"


def test_a_board_pack_workbook_goes_through_disclosure_control(signed_in, victims_kpi, records):
    # Even the coordinator's pack withholds small numbers: it is for the board.
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.get(
        reverse("evaluation:board_pack"), {"year": 2024, "format": "xlsx", "language": "fr"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["Couverture", "Notes", "Indicateurs principaux"]
    sheet = next(s for s in workbook.worksheets if s.title.startswith("Victimes trouvées"))
    values = [sheet.cell(row=row, column=2).value for row in range(4, 8)]
    assert values == ["masqué", 12, "masqué", 9]
    headline = {
        row[0]: row for row in workbook["Indicateurs principaux"].iter_rows(values_only=True)
    }
    # The year's total and its baseline are numbers a reader can compute with.
    assert headline["Victimes trouvées"][2:5] == (31, "2023/24", 10)
    assert AuditEvent.objects.filter(action="evaluation.board_pack_generated").count() == 1


def test_a_board_pack_form_refuses_bad_input(signed_in, victims_kpi):
    client = signed_in(Role.BOARD_VIEWER)
    assert client.get(reverse("evaluation:board_pack")).status_code == 200
    response = client.get(
        reverse("evaluation:board_pack"), {"year": 2024, "format": "docx", "language": "en-gb"}
    )
    assert response.status_code == 400
    assert "Choose PDF or Excel." in response.content.decode()
    assert not AuditEvent.objects.filter(action="evaluation.board_pack_generated").exists()
