"""The action plan in a real browser: the coordinator adds an action, the owning partner
reports progress in French, the board viewer reads it; every page scanned with axe-core."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from lantern.core.models import Organisation, User
from lantern.core.roles import Role
from lantern.evaluation.models import Action, Objective
from tests.e2e.test_entities import check_accessibility
from tests.e2e.test_intelligence import expect_success, press, signed_in_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_action_from_the_coordinator_to_the_owner_and_the_board(
    new_context: Callable[..., BrowserContext],
    open_session: Callable[..., None],
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
    site: str,
    artifacts: Path,
) -> None:
    errors: list[str] = []
    hub = make_organisation(name="Office of the Police and Crime Commissioner")
    council = make_organisation(name="Charnwood Borough Council")
    coordinator = make_user(Role.HUB_COORDINATOR, organisation=hub)
    partner = make_user(Role.PARTNER_CONTRIBUTOR, organisation=council, full_name="Chris Charnwood")
    board = make_user(Role.BOARD_VIEWER, organisation=hub)
    Objective.objects.create(
        submission_key="6a0d7c1e-1111-4c55-9d3e-2b7f0e5a9c41",
        pillar="prevent",
        title="Help the public recognise the signs",
        created_by=coordinator,
    )

    # The coordinator adds an action owned by the council.
    page = signed_in_page(new_context, open_session, coordinator, errors)
    page.goto("/action-plan/")
    check_accessibility(page)
    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("Objective", exact=True).select_option(
        label="Prevent: Help the public recognise the signs"
    )
    page.get_by_label("Action", exact=True).fill("Train licensed taxi drivers in the signs")
    page.get_by_label("Owner organisation").select_option(label="Charnwood Borough Council")
    page.get_by_label("Lead (optional)").fill("Licensing manager")
    page.get_by_label("Due date").fill("2027-03-31")
    check_accessibility(page)
    press(page, "Add the action")
    expect_success(page, "added")
    action = Action.objects.get()
    assert action.owner == council

    # The council's partner updates it, in French, with an error first.
    partner_page = signed_in_page(new_context, open_session, partner, errors)
    partner_page.goto("/fr/")
    partner_page.get_by_role("link", name="Train licensed taxi drivers in the signs").click()
    partner_page.get_by_role("link", name="Mettre à jour l’avancement").click()
    partner_page.get_by_role("radio", name="En cours").check()
    partner_page.get_by_role("radio", name="Rouge").check()
    press(partner_page, "Enregistrer la mise à jour")
    expect(partner_page.locator(".govuk-error-summary")).to_be_visible()
    check_accessibility(partner_page)
    partner_page.get_by_label("Motif de l’état RAG (obligatoire pour orange et rouge)").fill(
        "Pas de salle pour les sessions"
    )
    partner_page.get_by_label("Point d’avancement").fill("Deux sessions sur cinq.")
    press(partner_page, "Enregistrer la mise à jour")
    expect_success(partner_page, "Avancement enregistré")
    expect(partner_page.locator(".moj-timeline")).to_contain_text("Pas de salle pour les sessions")
    check_accessibility(partner_page)
    partner_page.screenshot(path=artifacts / "action-plan-action-fr.png", full_page=True)
    action.refresh_from_db()
    assert (action.status, action.rag) == ("in_progress", "red")

    # The board viewer reads the plan and the action, and cannot update it.
    board_page = signed_in_page(new_context, open_session, board, errors)
    board_page.goto("/")
    expect(board_page.locator("main")).to_contain_text("Action plan")
    board_page.goto("/action-plan/")
    expect(board_page.locator("main")).to_contain_text("Train licensed taxi drivers in the signs")
    check_accessibility(board_page)
    board_page.screenshot(path=artifacts / "action-plan-board.png", full_page=True)
    board_page.get_by_role("link", name="Train licensed taxi drivers in the signs").click()
    expect(board_page.locator("main")).to_contain_text("Red")
    expect(board_page.get_by_role("link", name="Update progress")).to_have_count(0)
    check_accessibility(board_page)
    board_page.goto("/fr/action-plan/")
    check_accessibility(board_page)

    assert [error for error in errors if "400 (Bad Request)" not in error] == []
