"""The coordinator adds KPIs from the registered measures and sets baselines and targets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core import audit
from lantern.core.models import AuditEvent
from lantern.core.roles import Role
from lantern.evaluation.models import Kpi
from lantern.evaluation.services import kpis as services

NEW_KPI = {
    "code": "children-identified",
    "name": "Children identified",
    "name_fr": "Enfants identifiés",
    "measure": "victims_identified",
    "statistic": "count",
    "denominator": "",
    "direction": "up",
    "note": "",
    "note_fr": "",
    "baseline_year": "2023",
    "target": "40",
}


def test_the_coordinator_adds_a_kpi_once(signed_in):
    client = signed_in(Role.HUB_COORDINATOR)
    url = reverse("evaluation:kpi_create")
    assert client.get(url).status_code == 200
    first = client.post(url, NEW_KPI)
    assert first.status_code == 302
    assert first["Location"] == reverse("evaluation:kpi_detail", args=["children-identified"])
    # A double submit makes one KPI, and one audit record.
    assert client.post(url, NEW_KPI).status_code == 302
    kpi = Kpi.objects.get(code="children-identified")
    assert kpi.baseline_year == 2023 and kpi.target == Decimal("40")
    assert AuditEvent.objects.filter(action="evaluation.kpi_added").count() == 1


def test_a_code_taken_by_another_definition_is_refused(signed_in):
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.post(reverse("evaluation:kpi_create"), {**NEW_KPI, "code": "public-reports"})
    assert response.status_code == 400
    assert "A KPI with this code already exists." in response.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"statistic": "percent"}, "A percentage needs the records it is a share of."),
        ({"statistic": "median"}, "A median or percentile needs a time measure"),
        ({"measure": "time_to_triage"}, "A time measure is shown as a median"),
        ({"denominator": "nrm_referrals"}, "Only a percentage is counted out of something."),
        ({"measure": "names_of_victims"}, "Choose what is counted from the list."),
        ({"baseline_year": "1999"}, "Choose a baseline year from the list."),
        ({"target": "-3"}, "greater than or equal to 0"),
    ],
)
def test_a_definition_that_does_not_fit_is_refused(signed_in, change, message):
    client = signed_in(Role.HUB_COORDINATOR)
    response = client.post(reverse("evaluation:kpi_create"), {**NEW_KPI, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Kpi.objects.filter(code="children-identified").exists()


def test_setting_a_baseline_and_target_is_audited(signed_in, victims_kpi):
    client = signed_in(Role.HUB_COORDINATOR)
    url = reverse("evaluation:kpi_edit", args=[victims_kpi.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"baseline_year": "2022", "target": "55.5", "is_headline": "on"})
    assert response.status_code == 302
    victims_kpi.refresh_from_db()
    assert victims_kpi.baseline_year == 2022 and victims_kpi.target == Decimal("55.5")
    event = AuditEvent.objects.get(action="evaluation.kpi_changed")
    assert event.detail["before"]["baseline_year"] == 2023
    assert event.detail["after"]["target"] == "55.5"


@pytest.mark.parametrize("role", [Role.BOARD_VIEWER, Role.HUB_ANALYST, Role.OUTREACH_OFFICER])
def test_only_the_coordinator_manages_kpis(signed_in, victims_kpi, role):
    client = signed_in(role)
    assert client.get(reverse("evaluation:kpi_create")).status_code == 404
    assert client.post(reverse("evaluation:kpi_create"), NEW_KPI).status_code == 404
    edit = reverse("evaluation:kpi_edit", args=[victims_kpi.code])
    assert client.post(edit, {"baseline_year": "2022"}).status_code == 404
    assert not Kpi.objects.filter(code="children-identified").exists()
    with pytest.raises(PermissionError):
        services.add_kpi(actor=client.user, **{**NEW_KPI, "baseline_year": 2023})


def test_the_service_runs_without_a_request(coordinator):
    """A task or the CLI passes a system context: the actor is audited, with no address."""
    kpi = services.add_kpi(
        actor=coordinator,
        code="dtn-share",
        name="DtN",
        name_fr="DtN",
        measure="duty_to_notify",
        context=audit.AuditContext.system("KPIs loaded for the new year", actor=coordinator),
    )
    assert kpi.pk
    event = AuditEvent.objects.get(action="evaluation.kpi_added", object_id=str(kpi.pk))
    assert (event.actor_id, event.ip_address, event.purpose) == (
        coordinator.pk,
        None,
        "KPIs loaded for the new year",
    )
    with pytest.raises(ValidationError):
        services.add_kpi(
            actor=coordinator,
            code="x",
            name="x",
            name_fr="x",
            measure="rg_positive",
            statistic="percent",
            denominator="time_to_triage",
        )


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            key: st.one_of(st.text(max_size=40), st.integers(-(10**20), 10**20).map(str))
            for key in [*NEW_KPI, "is_headline"]
        },
    )
)
def test_no_kpi_form_input_causes_a_server_error(client, make_user, data):
    client.force_login(make_user(Role.HUB_COORDINATOR))
    response = client.post(reverse("evaluation:kpi_create"), data)
    assert response.status_code in {200, 302, 400}
