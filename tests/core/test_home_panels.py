"""Apps above core add panels to the home page through core.home, for the users they concern."""

import copy

import pytest
from django.urls import reverse

from lantern.core import access, home
from lantern.core.roles import Role


@pytest.fixture
def panel_registry(monkeypatch):
    monkeypatch.setattr(home, "_panels", [])
    return home


def test_panels_are_shown_only_to_the_users_they_concern(panel_registry, make_user):
    panel_registry.register(
        template="coordinator.html",
        context=lambda user: {"n": 1} if access.has_role(user, Role.HUB_COORDINATOR) else None,
        order=20,
    )
    panel_registry.register(template="everyone.html", context=lambda user: {}, order=10)
    coordinator = make_user(Role.HUB_COORDINATOR)
    contributor = make_user(Role.PARTNER_CONTRIBUTOR)

    assert [p.template for p in panel_registry.panels_for(coordinator)] == [
        "everyone.html",
        "coordinator.html",
    ]
    assert [p.template for p in panel_registry.panels_for(contributor)] == ["everyone.html"]


def test_registering_a_template_again_replaces_it(panel_registry, make_user):
    panel_registry.register(template="a.html", context=lambda user: {"v": 1})
    panel_registry.register(template="a.html", context=lambda user: {"v": 2})
    rendered = panel_registry.panels_for(make_user(Role.BOARD_VIEWER))
    assert [(p.template, p.context) for p in rendered] == [("a.html", {"v": 2})]


def test_the_home_page_renders_each_panel_with_its_context(
    panel_registry, signed_in, tmp_path, settings
):
    (tmp_path / "panel.html").write_text("<p id='panel'>Panel for {{ panel.name }}</p>")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path]
    settings.TEMPLATES = templates  # a new value, so Django drops its cached loaders
    panel_registry.register(template="panel.html", context=lambda user: {"name": user.email})
    client = signed_in(Role.OUTREACH_OFFICER)

    page = client.get(reverse("core:home")).content.decode()

    assert f"Panel for {client.user.email}" in page
