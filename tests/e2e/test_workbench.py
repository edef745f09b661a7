"""The analyst's workbench in a real browser, in English and French, on a desk (1280 px)
and a phone (375 px): five suggested matches reviewed side by side with the keyboard;
the link chart opened, a node expanded, a path found and the chart exported; and the
chart's layout timed at 500 nodes. Screenshots go to test-artifacts/.
"""

import re
from collections import Counter
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import AuditEvent, User
from lantern.core.roles import Role
from lantern.entities.mentions import MentionData
from lantern.entities.models import Entity, Match, MatchStatus
from lantern.intelligence.services.mentions import add_mentions
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_entities import check_accessibility
from tests.factories import IntelligenceReportFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SETTINGS = [("en", 1280), ("fr", 375), ("en", 375), ("fr", 1280)]


def analyst_page(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    user: User,
    language: str,
    width: int,
    errors: list[str],
) -> Page:
    context = new_context(
        viewport={"width": width, "height": 900},
        locale="fr-FR" if language == "fr" else "en-GB",
        accept_downloads=True,
    )
    # The shared test machine can be slow: a generous wait, the same assertions.
    context.set_default_timeout(60_000)
    open_session(context, user)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def prefix(language: str) -> str:
    return "/fr" if language == "fr" else ""


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize(("language", "width"), SETTINGS)
def test_five_suggestions_reviewed_side_by_side_with_the_keyboard(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    language: str,
    width: int,
) -> None:
    errors: list[str] = []
    for number in range(5):
        first, second = IntelligenceReportFactory.create_batch(2)
        name = f"Marek Kowalski{'ego' * number}"
        add_mentions(first, [MentionData(kind="person", role="suspected_exploiter", value=name)])
        add_mentions(second, [MentionData(kind="person", role="witness", value=name.upper())])
    assert Match.objects.filter(status=MatchStatus.SUGGESTED).count() == 5
    analyst = make_user(Role.HUB_ANALYST)
    page = analyst_page(new_context, open_session, analyst, language, width, errors)

    page.goto(f"{prefix(language)}/entities/matches/next/")
    expect(page.locator("table.lantern-comparison")).to_be_visible()
    check_accessibility(page)
    screenshot(page, f"match-review-{language}-{width}")
    # The shortcuts are off until turned on, by keyboard too.
    page.keyboard.press("c")
    assert Match.objects.filter(status=MatchStatus.SUGGESTED).count() == 5
    page.locator("details.govuk-details summary").last.focus()
    page.keyboard.press("Enter")
    page.locator("#review-shortcuts").focus()
    page.keyboard.press("Space")
    page.locator("h1").click()

    for key in ("c", "r", "u", "c", "r"):
        heading = page.locator("h1").inner_text()
        page.keyboard.press(key)
        expect(page.locator("h1")).not_to_have_text(heading)

    decided = Counter(Match.objects.values_list("status", flat=True))
    assert decided == {"confirmed": 2, "rejected": 2, "not_sure": 1}
    assert errors == [], errors


def chain() -> dict[str, Entity]:
    """van - phone - email - address, each link a report or two."""
    reports = IntelligenceReportFactory.create_batch(4)
    pairs = [
        (("vehicle", "FD19 XKP"), ("phone", "07700 900111")),
        (("vehicle", "FD19 XKP"), ("phone", "07700 900111")),
        (("phone", "07700 900111"), ("email", "boss@example.com")),
        (("email", "boss@example.com"), ("location", "12 High Street, Leicester LE1 5AB")),
    ]
    for report, pair in zip(reports, pairs, strict=True):
        add_mentions(
            report, [MentionData(kind=kind, role="other", value=value) for kind, value in pair]
        )
    return {entity.kind: entity for entity in Entity.objects.filter(merged_into=None)}


def node_point(page: Page, pk: int) -> dict[str, float]:
    """Where the node is drawn on the page, for a real double click, once it has stopped
    moving (the page may still be scrolling or fitting the chart when first asked)."""
    where = """(pk) => {
        const box = document.getElementById("chart-graph").getBoundingClientRect();
        const at = window.lanternChart.getElementById(`e${pk}`).renderedPosition();
        return {x: Math.round(box.left + at.x), y: Math.round(box.top + at.y)};
    }"""
    point = page.evaluate(where, pk)
    for _ in range(50):
        page.wait_for_timeout(100)
        again = page.evaluate(where, pk)
        if again == point:
            return point
        point = again
    return point


@pytest.mark.parametrize(("language", "width"), SETTINGS)
def test_the_link_chart_expands_finds_a_path_and_exports(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    language: str,
    width: int,
) -> None:
    errors: list[str] = []
    found = chain()
    analyst = make_user(Role.HUB_ANALYST)
    page = analyst_page(new_context, open_session, analyst, language, width, errors)

    page.goto(f"{prefix(language)}/entities/chart/?entity={found['vehicle'].pk}")
    graph = page.locator("#chart-graph")
    expect(graph.locator("canvas").first).to_be_attached()
    expect(graph).to_have_attribute("data-layout-ms", re.compile(r"^\d+$"))
    assert page.evaluate("window.lanternChart.nodes('[kind]').length") == 2

    # Expand the phone with a double click: the email appears.
    graph.scroll_into_view_if_needed()
    point = node_point(page, found["phone"].pk)
    page.mouse.dblclick(point["x"], point["y"])
    expect(graph).to_have_attribute("data-expanded", "1")
    assert page.evaluate("window.lanternChart.nodes('[kind]').length") == 3

    # Expand the email from the tools (select it, then the button): the address appears.
    page.evaluate(
        "(pk) => window.lanternChart.getElementById(`e${pk}`).select()", found["email"].pk
    )
    page.locator("[data-chart-action=expand]").click()
    expect(graph).to_have_attribute("data-expanded", "2")

    # The path from the van to the address, three reports long, found on the server.
    page.select_option("#path-from", str(found["vehicle"].pk))
    page.select_option("#path-to", str(found["location"].pk))
    page.locator("#chart-path button[type=submit]").click()
    expect(page.locator("#path-result li")).to_have_count(4)
    assert page.evaluate("window.lanternChart.$('.on-path').length") == 7
    check_accessibility(page)
    screenshot(page, f"link-chart-{language}-{width}")

    # Exports: the files, each recorded in the audit log.
    with page.expect_download() as graphml:
        page.locator("#export-graphml").click()
    assert "boss@example.com" in graphml.value.path().read_text()
    with page.expect_download() as picture:
        page.locator("#chart-drawn-exports [data-chart-action=png]").click()
    assert picture.value.path().read_bytes()[:4] == b"\x89PNG"
    with page.expect_download() as drawing:
        page.locator("#chart-drawn-exports [data-chart-action=svg]").click()
    assert "FD19 XKP" in drawing.value.path().read_text()
    assert AuditEvent.objects.filter(action="record.export").count() == 3
    assert errors == [], errors


def test_the_chart_lays_out_500_neighbours(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
) -> None:
    errors: list[str] = []
    for batch in range(5):
        report = IntelligenceReportFactory()
        add_mentions(
            report,
            [MentionData(kind="vehicle", role="vehicle_used", value="FD19 XKP")]
            + [
                MentionData(kind="phone", role="contact", value=f"07700 9{batch}{n:04d}")
                for n in range(100)
            ],
        )
    van = Entity.objects.get(kind="vehicle")
    analyst = make_user(Role.HUB_ANALYST)
    page = analyst_page(new_context, open_session, analyst, "en", 1280, errors)

    page.goto(f"/entities/chart/?entity={van.pk}")
    expect(page.locator("#chart-graph")).to_have_attribute(
        "data-layout-ms", re.compile(r"^\d+$"), timeout=120_000
    )
    nodes = page.evaluate("window.lanternChart.nodes('[kind]').length")
    layout_ms = int(page.evaluate("document.getElementById('chart-graph').dataset.layoutMs"))
    frame_ms = page.evaluate(
        """async () => {
            const times = [];
            let last = performance.now();
            for (let i = 0; i < 30; i++) {
                window.lanternChart.panBy({x: 4, y: 2});
                await new Promise((resolve) => requestAnimationFrame(resolve));
                const now = performance.now();
                times.push(now - last);
                last = now;
            }
            times.sort((a, b) => a - b);
            return times[Math.floor(times.length * 0.95) - 1];
        }"""
    )
    screenshot(page, "link-chart-500")
    print(f"link chart: {nodes} nodes, layout {layout_ms} ms, p95 frame {frame_ms:.1f} ms")

    assert nodes == 501
    # Two shared cores in CI: generous bounds that still catch a layout gone quadratic.
    assert layout_ms < 15_000
    assert frame_ms < 500
    assert errors == [], errors
