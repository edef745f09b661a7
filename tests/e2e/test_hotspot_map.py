"""The hotspot map in French and by keyboard: translated zoom buttons, focusable circles."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lantern.core.models import Organisation, User
from tests.e2e.test_accessibility import Visit, hotspots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_map_speaks_french_and_its_circles_open_by_keyboard(
    page: Page,
    page_errors: list[str],
    site: str,
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    open_session: Callable[..., None],
) -> None:
    hotspots(
        Visit(
            page=page,
            prefix="/fr",
            site=site,
            make_user=make_user,
            make_organisation=make_organisation,
            open_session=open_session,
        )
    )
    expect(page.get_by_role("button", name="Zoom avant")).to_be_visible()
    expect(page.get_by_role("button", name="Zoom arrière")).to_be_visible()
    expect(page.get_by_role("button", name="Zoom in")).to_have_count(0)

    circles = page.locator("#hotspot-map path.leaflet-interactive")
    assert circles.count() > 0
    first = circles.first
    expect(first).to_have_attribute("tabindex", "0")
    expect(first).to_have_attribute("role", "button")
    name = first.get_attribute("aria-label")
    assert name and re.search(r"\d", name), name

    first.focus()
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup")).to_contain_text(name.split(":")[0].strip())
    assert page_errors == []
