"""A partner imports intelligence from a CSV file: checked row by row, stored whole or not."""

import csv
import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.entities import selectors as entity_selectors
from lantern.entities.mentions import MentionData
from lantern.entities.models import Mention, RestrictedHit
from lantern.intelligence import csv_formats, imports
from lantern.intelligence.models import IntelligenceReport, StatusChange
from lantern.intelligence.services.mentions import add_mentions
from tests.factories import IntelligenceReportFactory, OrganisationFactory


def row(**changes: str) -> dict[str, str]:
    values = {column.name: column.example for column in csv_formats.COLUMNS}
    values.update(changes)
    return values


def csv_bytes(rows, header=csv_formats.COLUMN_NAMES, *, encoding="utf-8") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return text.getvalue().encode(encoding)


def upload(client, content: bytes, *, action="check", key=None, name="intelligence.csv"):
    return client.post(
        "/intelligence/import/",
        {
            "submission_key": str(key or uuid.uuid4()),
            "action": action,
            "file": SimpleUploadedFile(name, content, content_type="text/csv"),
        },
    )


@pytest.fixture
def contributor(signed_in):
    return signed_in(Role.PARTNER_CONTRIBUTOR)


def test_the_page_documents_every_column_and_offers_the_template(contributor):
    page = contributor.get("/intelligence/import/").content.decode()

    for name in csv_formats.COLUMN_NAMES:
        assert f"<code>{name}</code>" in page
    assert 'href="/intelligence/import/template.csv"' in page
    assert "<code>labour</code>" in page


def test_the_template_has_the_header_and_one_example_row_that_imports(contributor):
    response = contributor.get("/intelligence/import/template.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == list(csv_formats.COLUMN_NAMES)
    assert len(lines) == 2
    assert upload(contributor, response.content, action="import").status_code == 302
    assert IntelligenceReport.objects.count() == 1


def test_a_clean_file_imports_every_row_with_mentions_timeline_and_audit(contributor):
    named = OrganisationFactory(name="Open Doors Refuge")
    rows = [
        row(),
        row(
            summary="Girl seen at a takeaway late at night",
            child_involved="yes",
            exploitation_types="sexual; criminal",
            indicators="",
            handling_code="C",
            handling_conditions="Hub and the refuge only",
            shared_with="open doors refuge",
            phones="07700 900123; +44 7700 900456",
            vehicles="ab12cde",
            people="Stefan Dang",
            area="E06000016",
            postcode="",
        ),
    ]

    response = upload(contributor, csv_bytes(rows), action="import")

    assert response.status_code == 302
    assert IntelligenceReport.objects.count() == 2
    second = IntelligenceReport.objects.get(summary__startswith="Girl")
    assert second.child_involved is True
    assert second.grading == "2 / B / C"
    assert list(second.shared_with.all()) == [named]
    assert sorted(second.exploitation_types.values_list("code", flat=True)) == [
        "criminal",
        "sexual",
    ]
    assert second.area.gss_code == "E06000016"
    assert second.originating_organisation == contributor.user.organisation
    phones = second.mentions.filter(kind="phone")
    assert sorted(phones.values_list("key", flat=True)) == ["+447700900123", "+447700900456"]
    assert set(phones.values_list("role", flat=True)) == {"contact"}
    assert second.mentions.get(kind="vehicle").key == "AB12CDE"
    assert second.mentions.get(kind="person").role == "other"
    first = IntelligenceReport.objects.get(summary="Men sleeping at a hand car wash")
    assert first.area.name == "Leicester"
    assert first.mentions.get(kind="location").role == "premises"
    assert StatusChange.objects.filter(to_status="new").count() == 2
    submitted = AuditEvent.objects.filter(action=audit.Action.INTELLIGENCE_SUBMITTED)
    assert sorted(submitted.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in IntelligenceReport.objects.values_list("pk", flat=True)
    )
    (batch,) = AuditEvent.objects.filter(action=audit.Action.INTELLIGENCE_IMPORTED)
    assert batch.detail["rows"] == 2
    assert audit.verify_chain().intact


def test_a_check_stores_nothing_and_says_the_file_is_ready(contributor):
    response = upload(contributor, csv_bytes([row(), row()]))

    assert response.status_code == 200
    assert "No problems found in 2 rows" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_the_same_upload_sent_twice_makes_one_batch(contributor):
    key = uuid.uuid4()
    content = csv_bytes([row(), row(summary="Second")])

    upload(contributor, content, action="import", key=key)
    again = upload(contributor, content, action="import", key=key)

    assert again.status_code == 302
    assert IntelligenceReport.objects.count() == 2
    assert AuditEvent.objects.filter(action=audit.Action.INTELLIGENCE_IMPORTED).count() == 1
    messages = [str(message) for message in again.wsgi_request._messages]
    assert messages[-1] == "This file was already imported: 2 reports"


def test_someone_else_cannot_replay_an_import_key(contributor, make_user):
    key = uuid.uuid4()
    checked = imports.check_rows([csv_formats.Row(line=2, values=row())])
    imports.import_intelligence(actor=contributor.user, submission_key=key, rows=checked.rows)
    other = make_user(Role.PARTNER_CONTRIBUTOR)

    with pytest.raises(imports.PermissionDenied):
        imports.import_intelligence(actor=other, submission_key=key, rows=checked.rows)


FUTURE = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"summary": ""}, "summary", "Enter a summary"),
        ({"summary": "x" * 201}, "summary", "200 characters or fewer"),
        ({"occurred_on": FUTURE}, "occurred_on", "today or in the past"),
        ({"occurred_on": "2026-02-30"}, "occurred_on", "real date"),
        ({"postcode": "ABC 123"}, "postcode", "real UK postcode"),
        ({"handling_code": "C"}, "handling_conditions", "required for handling code C"),
        ({"source_evaluation": "4"}, "source_evaluation", "1, 2 or 3"),
        ({"intelligence_assessment": "F"}, "intelligence_assessment", "from A to E"),
        ({"sector": "mining"}, "sector", "from the list"),
        ({"exploitation_types": "labour;piracy"}, "exploitation_types", "“piracy”"),
        ({"indicators": "nope"}, "indicators", "“nope” is not an indicator code"),
        ({"area": "E99999999"}, "area", "“E99999999” is not the GSS code"),
        (
            {"handling_code": "C", "handling_conditions": "x", "shared_with": "Nobody Ltd"},
            "shared_with",
            "“Nobody Ltd” is not the name of a partner organisation",
        ),
        ({"child_involved": "maybe"}, "child_involved", "Enter yes or no"),
        ({"phones": "07700 900123; not a phone"}, "phones", "real phone number"),
        ({"vehicles": "!!"}, "vehicles", "vehicle registration"),
        ({"summary": '=HYPERLINK("http://evil.test","x")'}, "summary", "formula"),
        ({"narrative": "@SUM(A1:A2)"}, "narrative", "formula"),
        ({"location": "-2+3+cmd|' /C calc'!A0"}, "location", "formula"),
        ({"people": "\tJohn"}, "people", "formula"),
        ({"narrative": "Seen at night\x00"}, "narrative", "unreadable characters"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_bad_cell_is_named_by_line_and_column_and_nothing_is_stored(
    contributor, changes, column, message
):
    content = csv_bytes([row(), row(**changes), row()])

    checked = upload(contributor, content)
    imported = upload(contributor, content, action="import")

    assert checked.status_code == imported.status_code == 400
    problems = imported.context["checked"].problems
    assert {(problem.line, problem.column) for problem in problems} == {(3, column)}
    assert message in problems[0].message
    page = imported.content.decode()
    assert "There is a problem" in page and "Nothing was imported" in page
    assert not IntelligenceReport.objects.exists()
    assert not Mention.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="intelligence.").exists()


def test_every_row_s_problems_are_listed_with_their_line_numbers(contributor):
    rows = [row(summary=""), row(), row(source_evaluation="9", postcode="nope")]

    problems = upload(contributor, csv_bytes(rows)).context["checked"].problems

    assert [(problem.line, problem.column) for problem in problems] == [
        (2, "summary"),
        (4, "postcode"),
        (4, "source_evaluation"),
    ]


def test_a_cell_on_several_lines_keeps_the_line_where_its_row_starts(contributor):
    rows = [row(narrative="First line\nsecond line\nthird"), row(summary="")]

    problems = upload(contributor, csv_bytes(rows)).context["checked"].problems

    assert [(problem.line, problem.column) for problem in problems] == [(5, "summary")]


def test_an_escaped_formula_imports_as_the_text_it_escapes(contributor):
    rows = [row(summary="'=not a formula", phones="+44 7700 900123", narrative="'-- see notes")]

    assert upload(contributor, csv_bytes(rows), action="import").status_code == 302

    report = IntelligenceReport.objects.get()
    assert report.summary == "=not a formula"
    assert report.narrative == "-- see notes"
    assert report.mentions.get(kind="phone").value == "+44 7700 900123"


def test_dates_as_spreadsheets_save_them_are_accepted(contributor):
    upload(contributor, csv_bytes([row(occurred_on="03/02/2026")]), action="import")

    assert IntelligenceReport.objects.get().occurred_on == datetime.date(2026, 2, 3)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The selected file is empty"),
        (b"\xef\xbb\xbf  \r\n", "The selected file is empty"),
        (b"summary,narrative\nA,B\n", "missing the columns: occurred_on"),
        (
            csv_bytes([row()], header=[*csv_formats.COLUMN_NAMES, "password"]),
            "columns the template does not: password",
        ),
        (
            csv_bytes([row()], header=[*csv_formats.COLUMN_NAMES, "summary"]),
            "repeats the columns: summary",
        ),
        (csv_bytes([row(summary="Café in Loughborough")], encoding="cp1252"), "CSV UTF-8"),
        (b"\xff\xfe" + "summary".encode("utf-16-le"), "CSV UTF-8"),
        (csv_bytes([]), "no rows of intelligence"),
        (csv_bytes([row()]) + b"too,few,cells\n", "Line 3 has 3 cells"),
        (csv_bytes([row()]) + b'"unclosed\n', "cannot be read as CSV"),
    ],
    ids=[
        "empty",
        "only a byte order mark",
        "missing columns",
        "unknown column",
        "repeated column",
        "Windows-1252",
        "UTF-16",
        "header only",
        "short row",
        "unclosed quote",
    ],
)
def test_a_file_that_is_not_the_template_is_refused_as_a_whole(contributor, content, message):
    response = upload(contributor, content, action="import")

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert "There is a problem" in response.content.decode()
    assert not IntelligenceReport.objects.exists()


def test_utf8_with_a_byte_order_mark_is_read(contributor):
    content = "\ufeff".encode() + csv_bytes([row(summary="Café in Loughborough")])

    assert upload(contributor, content, action="import").status_code == 302
    assert IntelligenceReport.objects.get().summary == "Café in Loughborough"


def test_more_rows_than_the_limit_are_refused(contributor, monkeypatch):
    monkeypatch.setattr(csv_formats, "MAX_ROWS", 3)

    response = upload(contributor, csv_bytes([row()] * 4), action="import")

    assert "more than 3 rows" in " ".join(response.context["form"].errors["file"])
    assert not IntelligenceReport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(contributor, monkeypatch):
    monkeypatch.setattr(csv_formats, "MAX_FILE_BYTES", 1024)

    response = upload(contributor, csv_bytes([row()] * 20), action="import")

    assert "larger than" in " ".join(response.context["form"].errors["file"])
    assert not IntelligenceReport.objects.exists()


def test_an_import_that_fails_while_storing_leaves_nothing_behind(contributor, monkeypatch):
    checked = imports.check_rows(
        [csv_formats.Row(line=line, values=row()) for line in range(2, 12)]
    )

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports.audit, "record_each", broken)
    with pytest.raises(RuntimeError):
        imports.import_intelligence(
            actor=contributor.user, submission_key=uuid.uuid4(), rows=checked.rows
        )

    assert not IntelligenceReport.objects.exists()
    assert not Mention.objects.exists()
    assert not StatusChange.objects.exists()


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.HUB_COORDINATOR, Role.OUTREACH_OFFICER])
def test_only_those_who_submit_intelligence_import_it(signed_in, role):
    client = signed_in(role)

    assert client.get("/intelligence/import/").status_code == 403
    assert client.get("/intelligence/import/template.csv").status_code == 403
    assert upload(client, csv_bytes([row()]), action="import").status_code == 403
    assert not IntelligenceReport.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/intelligence/import/").status_code == 302


def test_imported_reports_are_found_by_search(contributor):
    upload(
        contributor,
        csv_bytes([row(narrative="Workers sleeping in the launderette")]),
        action="import",
    )

    page = contributor.get("/intelligence/search/", {"q": "launderette"})

    assert IntelligenceReport.objects.get().reference in page.content.decode()


def test_a_small_import_links_its_mentions_to_entities_at_once(contributor):
    upload(contributor, csv_bytes([row(), row(summary="Second")]), action="import")

    mentions = Mention.objects.exclude(key="")
    assert mentions.exists()
    assert not mentions.filter(entity__isnull=True).exists()
    phones = {mention.entity_id for mention in mentions.filter(kind="phone")}
    assert len(phones) == 1


def test_a_large_import_is_linked_by_the_worker_in_the_background(
    contributor, monkeypatch, run_jobs
):
    monkeypatch.setattr(imports, "INLINE_CORRELATION_LIMIT", 0)

    response = upload(contributor, csv_bytes([row()]), action="import")

    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("linked to other intelligence in the background" in m for m in messages)
    mentions = Mention.objects.exclude(key="")
    assert mentions.filter(entity__isnull=True).exists()
    job = DBTaskResult.objects.get()
    assert job.task_path == "lantern.entities.tasks.correlate_unresolved"

    assert run_jobs() == 1

    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert job.return_value == {"resolved": mentions.count()}
    assert not mentions.filter(entity__isnull=True).exists()


def test_an_import_touching_restricted_intelligence_is_told_so_and_the_hub_too(
    contributor, monkeypatch
):
    monkeypatch.setattr(entity_selectors, "_KEYS_PER_READ", 1)  # read over several chunks
    police = OrganisationFactory(name="Leicestershire Police")
    secret = IntelligenceReportFactory(originating_organisation=police, restricted=True)
    example_phone = row()["phones"].split(";")[0]
    add_mentions(secret, [MentionData(kind="phone", role="contact", value=example_phone)])

    response = upload(contributor, csv_bytes([row(), row(summary="Second")]), action="import")

    messages = " ".join(str(message) for message in response.wsgi_request._messages)
    hit = RestrictedHit.objects.get()
    assert "appears in intelligence you cannot read" in messages
    assert (hit.user, hit.context) == (contributor.user, "submission")
    assert secret.reference not in messages and "Nightjar" not in messages
