"""Choosing organisations from a long list by keyboard: the filter above the checkboxes."""

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from lantern.core.models import Organisation, User
from lantern.intelligence.models import Tasking
from tests.e2e.conftest import AXE_SCRIPT
from tests.e2e.test_accessibility import (
    FAILING_IMPACTS,
    RUN_AXE,
    WCAG_TAGS,
    Visit,
    _format,
    intelligence_task,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COUNCILS = [
    "Blaby District Council",
    "Charnwood Borough Council",
    "Harborough District Council",
    "Hinckley and Bosworth Borough Council",
    "Melton Borough Council",
    "North West Leicestershire District Council",
    "Oadby and Wigston Borough Council",
    "Rutland County Council",
    "Leicester City Council",
    "Leicestershire County Council",
    "Société d’entraide de Loughborough",
]


def test_an_analyst_filters_the_organisations_and_tasks_by_keyboard(
    page: Page,
    page_errors: list[str],
    site: str,
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    open_session: Callable[..., None],
) -> None:
    for name in COUNCILS:
        make_organisation(name=name)
    intelligence_task(
        Visit(
            page=page,
            prefix="",
            site=site,
            make_user=make_user,
            make_organisation=make_organisation,
            open_session=open_session,
        )
    )
    boxes = page.locator("#id_organisations_choices input[type=checkbox]")
    total = boxes.count()
    assert total > 10
    status = page.locator("#id_organisations_choices-filter-status")
    expect(status).to_have_text(f"{total} of {total} shown, 0 ticked")

    search = page.get_by_label("Filter the list")
    search.fill("police")
    expect(page.locator("#id_organisations_choices .govuk-checkboxes__item:visible")).to_have_count(
        1
    )
    expect(status).to_have_text(f"1 of {total} shown, 0 ticked")
    # Enter in the filter does not send the form.
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/taskings/new/" in page.url

    # One Tab from the filter reaches the only box shown; Space ticks it.
    search.press("Tab")
    police = page.get_by_role("checkbox", name="Leicestershire Police")
    expect(police).to_be_focused()
    page.keyboard.press("Space")
    expect(police).to_be_checked()

    # Accents and case do not matter; a ticked box stays on show.
    search.fill("SOCIETE")
    expect(page.get_by_role("checkbox", name="Société d’entraide de Loughborough")).to_be_visible()
    expect(police).to_be_visible()
    expect(status).to_have_text(f"2 of {total} shown, 1 ticked")

    search.fill("")
    expect(status).to_have_text(f"{total} of {total} shown, 1 ticked")
    page.locator("[name=request_text]").fill("Visit the premises.")
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    page.locator("input[name=deadline]").fill(deadline.strftime("%d/%m/%Y"))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    assert list(Tasking.objects.values_list("organisation__name", flat=True)) == [
        "Leicestershire Police"
    ]
    assert page_errors == []


def test_the_filtered_list_passes_axe_in_french(
    new_context: Callable[..., BrowserContext],
    site: str,
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    open_session: Callable[..., None],
) -> None:
    for name in COUNCILS:
        make_organisation(name=name)
    page = new_context(bypass_csp=True).new_page()
    intelligence_task(
        Visit(
            page=page,
            prefix="/fr",
            site=site,
            make_user=make_user,
            make_organisation=make_organisation,
            open_session=open_session,
        )
    )
    page.get_by_label("Filtrer la liste").fill("conseil")
    expect(page.locator("#id_organisations_choices-filter-status")).to_contain_text("Affichés")
    page.add_script_tag(path=AXE_SCRIPT)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    failing = [violation for violation in violations if violation["impact"] in FAILING_IMPACTS]
    assert not failing, _format(failing)
