"""CSV export: what a search finds, only what the user may read, audited, escaped, streamed."""

import csv
import io

import pytest

from lantern.core import access
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.intelligence import csv_formats
from tests.entities.factories import MentionFactory
from tests.factories import IntelligenceReportFactory
from tests.intelligence.test_access import MATRIX, world  # noqa: F401  (the matrix's fixture)

EXPORT = "/intelligence/export.csv"


def rows_of(response) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("role", "place", "code", "allowed"),
    MATRIX,
    ids=[f"{role.name}-{place}-{code}" for role, place, code, _allowed in MATRIX],
)
def test_access_matrix_for_the_export(client, make_user, world, role, place, code, allowed):  # noqa: F811
    organisations, reports = world
    report = reports[code]
    user = make_user(role, organisation=organisations[place])
    client.force_login(user)

    response = client.get(EXPORT)

    if access.can_read_intelligence(user):
        assert response.status_code == 200
        references = [row["reference"] for row in rows_of(response)]
        assert (report.reference in references) is allowed
    else:
        assert response.status_code == 403
        assert not AuditEvent.objects.filter(action="record.export").exists()


def test_the_export_is_a_csv_attachment_with_every_column(signed_in):
    report = IntelligenceReportFactory(handling_code="P", sector="nail_bar", postcode="LE1 5AB")
    MentionFactory(report=report, kind="phone", role="contact", value="07700 900123", key="x")
    MentionFactory(report=report, kind="vehicle", role="vehicle_used", value="AB12 CDE", key="y")
    reader = signed_in(Role.PARTNER_CONTRIBUTOR)

    response = reader.get(EXPORT)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="intelligence-')
    (row,) = rows_of(response)
    assert list(row) == list(csv_formats.EXPORT_COLUMNS)
    assert row["reference"] == report.reference
    assert row["sector"] == "nail_bar"
    assert row["phones"] == "07700 900123"
    assert row["vehicles"] == "AB12 CDE"
    assert row["child_involved"] == "no"


def test_the_export_takes_the_search_s_filters_and_audits_them(signed_in):
    IntelligenceReportFactory(handling_code="P", sector="nail_bar")
    IntelligenceReportFactory(handling_code="P", sector="agriculture")
    reader = signed_in(Role.PARTNER_CONTRIBUTOR)

    rows = rows_of(reader.get(EXPORT, {"sector": "nail_bar", "status": "bogus\x00"}))

    assert [row["sector"] for row in rows] == ["nail_bar"]
    (event,) = AuditEvent.objects.filter(action="record.export")
    assert event.actor_id == reader.user.pk
    assert event.detail["rows"] == 1
    assert event.detail["filters"] == {"sector": "nail_bar"}
    assert event.purpose == "exporting intelligence to CSV"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_that_would_run_as_formulas_are_escaped(signed_in, start):
    IntelligenceReportFactory(
        handling_code="P", summary=f'{start}HYPERLINK("http://evil.test","x")'
    )
    reader = signed_in(Role.PARTNER_CONTRIBUTOR)

    (row,) = rows_of(reader.get(EXPORT))

    assert row["summary"] == f'\'{start}HYPERLINK("http://evil.test","x")'


@pytest.mark.parametrize(
    "value", ["=1+1", "+44 7700 900123", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "'quoted", ""]
)
def test_escaping_reads_back_as_it_was(value):
    assert csv_formats.unescape_cell(csv_formats.escape_cell(value)) == value


def test_only_formulas_need_escaping():
    assert csv_formats.escape_cell("Men at a car wash") == "Men at a car wash"
    assert csv_formats.escape_cell(None) == ""
    assert csv_formats.looks_like_formula("=HYPERLINK(1)")
    assert csv_formats.looks_like_formula("-2+3+cmd|' /C calc'!A0")
    assert not csv_formats.looks_like_formula("+44 7700 900123; +44 7700 900456")
    assert not csv_formats.looks_like_formula("'=escaped")


def test_the_export_streams_rows_as_the_database_gives_them(signed_in, monkeypatch):
    monkeypatch.setattr(csv_formats, "EXPORT_CHUNK_SIZE", 2)
    for _number in range(5):
        IntelligenceReportFactory(handling_code="P")
    reader = signed_in(Role.PARTNER_CONTRIBUTOR)

    response = reader.get(EXPORT)
    lines = iter(response.streaming_content)

    assert next(lines) == b"\xef\xbb\xbf"
    assert next(lines).startswith(b"reference,submitted,")
    assert len(list(lines)) == 5


def test_the_list_offers_the_download(signed_in):
    page = signed_in(Role.PARTNER_CONTRIBUTOR).get("/intelligence/").content.decode()

    assert 'href="/intelligence/export.csv"' in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(EXPORT).status_code == 302


def test_search_results_offer_the_download_of_the_same_search(signed_in):
    IntelligenceReportFactory(handling_code="P", sector="nail_bar")
    reader = signed_in(Role.PARTNER_CONTRIBUTOR)

    page = reader.get("/intelligence/search/", {"sector": "nail_bar", "page": "1"})

    assert 'href="/intelligence/export.csv?sector=nail_bar"' in page.content.decode()
