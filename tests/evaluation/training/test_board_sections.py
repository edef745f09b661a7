"""The board pack's "Training in the year" section: sessions held, staff trained by sector
and the knowledge uplift by topic, through disclosure control, in the PDF's HTML and the
workbook, in English and French."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from lantern.core.roles import Role
from lantern.evaluation import pack_sections, periods
from lantern.evaluation.presenters import board_sections as presenters
from lantern.evaluation.selectors import board_sections as selectors
from lantern.evaluation.services import board_pack
from tests.evaluation.training.conftest import at_noon, pairs, session_on
from tests.outreach.training.factories import BookingFactory, SessionFactory

YEAR = periods.FinancialYear(2024)
OCTOBER = datetime.date(2024, 10, 18)


@pytest.fixture
def trained(police, hospital):
    """One October session: 30 police officers and 2 nurses attended; 6 attendees went from
    1 NRM item of 2 right (50%) to 2 of 2 (100%): +100%."""
    session = session_on(OCTOBER)
    BookingFactory(session=session, organisation=police, attended=30)
    BookingFactory(session=session, organisation=hospital, attended=2)
    pairs(session, 6, before=1, after=2)
    # Outside the financial year (March 2024 is 2023-24): neither counted nor compared.
    earlier = session_on(datetime.date(2024, 3, 20))
    BookingFactory(session=earlier, organisation=police, attended=50)
    pairs(earlier, 5, before=0, after=2)
    return session


def test_the_training_section_follows_the_campaigns():
    codes = [section.code for section in pack_sections.sections()]
    assert codes.index("campaigns") < codes.index("training")


def test_the_year_s_sessions_staff_by_sector_and_uplift_by_topic(coordinator, trained):
    training = selectors.training_in_year(coordinator, YEAR, release="test")

    assert training.sessions == 1
    by_sector = dict(training.trained_by_sector)
    # 2 nurses are too few to show, and so the 30 police officers (or the total tells).
    assert by_sector == {"Police": None, "NHS and health": None}
    assert training.trained == 32
    [nrm] = training.uplift
    assert nrm.topic == "The NRM and Duty to Notify"
    assert nrm.pairs == 6
    assert nrm.knowledge.mean_pre == pytest.approx(50)
    assert nrm.knowledge.mean_post == pytest.approx(100)
    assert nrm.knowledge.relative_change == pytest.approx(1.0)
    assert nrm.confidence.mean_pre == pytest.approx(0)


def test_the_html_shows_the_uplift_and_withholds_small_counts(coordinator, trained):
    html = presenters.training_html(coordinator, YEAR)
    assert "Training in 2024/25" in html
    assert "The NRM and Duty to Notify" in html
    assert ">50%<" in html and ">100%<" in html and ">+100%<" in html
    assert "withheld" in html
    assert ">2<" not in html and ">30<" not in html


def test_a_topic_with_too_few_pairs_shows_no_means(coordinator, police):
    session = session_on(OCTOBER)
    BookingFactory(session=session, organisation=police, attended=12)
    pairs(session, 3, before=0, after=2)

    [nrm] = selectors.training_in_year(coordinator, YEAR, release="test").uplift

    assert nrm.knowledge is None and nrm.confidence is None
    html = presenters.training_html(coordinator, YEAR)
    assert "+" not in html.split("The NRM and Duty to Notify", 1)[1].split("</tr>", 1)[0]


def test_a_board_viewer_gets_the_same_controlled_totals(board_viewer, trained):
    training = selectors.training_in_year(board_viewer, YEAR, release="test")
    assert training.trained == 32
    assert dict(training.trained_by_sector)["NHS and health"] is None
    html = presenters.training_html(board_viewer, YEAR)
    assert "The NRM and Duty to Notify" in html


def test_someone_who_may_not_see_training_totals_gets_nothing(make_user, trained):
    analyst = make_user(Role.HUB_ANALYST)
    assert selectors.training_in_year(analyst, YEAR, release="test") is None
    assert presenters.training_html(analyst, YEAR) == ""
    assert presenters.training_table(analyst, YEAR) is None
    partner = make_user(Role.PARTNER_CONTRIBUTOR)
    assert presenters.training_table(partner, YEAR) is None


def test_a_year_without_training_says_so(coordinator):
    SessionFactory(starts_at=at_noon(datetime.date(2022, 6, 1)))
    html = presenters.training_html(coordinator, YEAR)
    assert "No attendee took both tests in this year." in html
    table = presenters.training_table(coordinator, YEAR)
    assert table.rows[-1] == ["Staff trained in all", 0]


def test_the_section_in_french(coordinator, trained):
    with translation.override("fr"):
        html = presenters.training_html(coordinator, YEAR)
        assert "Formation en 2024/25" in html
        assert "Le NRM et l&#x27;obligation de signalement" in html
        table = presenters.training_table(coordinator, YEAR)
        assert table.title == "Formation"


def test_the_workbook_and_pdf_carry_the_section(coordinator, trained):
    pack = board_pack.generate_board_pack(
        actor=coordinator, year=YEAR, format=board_pack.XLSX, language="en-gb"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(pack.content))
    sheet = workbook["Training"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Staff trained: Police"] == "withheld"
    assert rows["Staff trained in all"] == 32
    texts = [str(row[0]) for row in sheet.iter_rows(values_only=True)]
    assert any(text.startswith("The NRM and Duty to Notify: 6 attendees") for text in texts)
    assert any("+100" in text for text in texts)

    pdf = board_pack.generate_board_pack(
        actor=coordinator, year=YEAR, format=board_pack.PDF, language="fr"
    )
    assert pdf.content.startswith(b"%PDF")
