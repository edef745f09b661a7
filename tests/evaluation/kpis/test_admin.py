"""Population estimates are data the system administrator keeps; the ledger is read only."""

from django.urls import reverse

from lantern.core.roles import Role
from lantern.evaluation.models import PublishedCell
from lantern.evaluation.services import disclosure as released


def test_the_administrator_keeps_population_estimates(signed_in):
    client = signed_in(Role.SYSTEM_ADMINISTRATOR, is_staff=True)
    response = client.get(reverse("admin:evaluation_populationestimate_changelist"))
    assert response.status_code == 200
    assert "Census 2021" in response.content.decode()


def test_the_ledger_cannot_be_changed_in_the_admin(signed_in, db):
    released.release_count(table_id="kpi:x", cell="total", period="FY2024", value=9, release="t")
    cell = PublishedCell.objects.get()
    client = signed_in(Role.SYSTEM_ADMINISTRATOR, is_staff=True)
    assert client.get(reverse("admin:evaluation_publishedcell_changelist")).status_code == 200
    change = reverse("admin:evaluation_publishedcell_change", args=[cell.pk])
    client.post(change, {"shown": "1"})
    cell.refresh_from_db()
    assert cell.shown == 9
    assert (
        client.post(
            reverse("admin:evaluation_publishedcell_delete", args=[cell.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_the_navigation_offers_kpis_to_those_who_see_them(signed_in):
    coordinator = signed_in(Role.HUB_COORDINATOR)
    assert reverse("evaluation:kpi_list") in coordinator.get(reverse("core:home")).content.decode()
    coordinator.logout()
    analyst = signed_in(Role.HUB_ANALYST)
    assert reverse("evaluation:kpi_list") not in analyst.get(reverse("core:home")).content.decode()
