"""Every form of every app, fuzzed: whatever is posted, the answer is never a server error.

Each write route is reached with real records (a report, a victim, an operation the user
may work on) and sent any mix of every form field name Lantern has, with the values an
attacker would try: any text, integers beyond 64 bits, very long values, and the same
value hundreds of times.
"""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.core.forms import add_refusal, saved
from lantern.core.roles import Role
from tests import strategies
from tests.core.test_caching import routes
from tests.factories import IntelligenceReportFactory
from tests.operations.factories import OperationFactory
from tests.safeguarding.factories import FirstResponderFactory, VictimFactory


def _lantern_forms(kind: type = forms.BaseForm) -> set[type]:
    found = set()
    for subclass in kind.__subclasses__():
        if subclass.__module__.startswith("lantern."):
            found.add(subclass)
        found |= _lantern_forms(subclass)
    return found


FORMS = _lantern_forms()
FIELD_NAMES = sorted(
    {name for form in FORMS for name in form.base_fields}
    | {"action", "mentions-TOTAL_FORMS", "mentions-INITIAL_FORMS", "mentions-0-value"}
)
# The routes that take a posted form, from the project's own URL patterns.
WRITE_ROUTES = [
    route
    for route in routes({"int": "1", "reference": "{ref}", "slug": "x", "str": "x"})
    if route.startswith(("intelligence/", "safeguarding/", "operations/", "entities/"))
    and not route.endswith((".csv", "order/"))
]


def test_the_fuzzing_reaches_every_app_s_forms():
    assert len(FORMS) > 30
    assert {"shared_with", "organisations", "summary", "people"} <= set(FIELD_NAMES)
    assert "intelligence/{ref}/grading/" in WRITE_ROUTES
    assert "safeguarding/victims/{ref}/outcome/" in WRITE_ROUTES
    assert "operations/{ref}/targets/new/" in WRITE_ROUTES


@pytest.fixture
def world(make_user):
    organisation = FirstResponderFactory()
    user = make_user(*Role, organisation=organisation)
    client = Client()
    client.force_login(user)
    references = {
        "intelligence/": IntelligenceReportFactory(
            originating_organisation=organisation, status="under_assessment"
        ).reference,
        "safeguarding/": VictimFactory(identified_by=organisation).reference,
        "operations/": OperationFactory(lead_organisation=organisation).reference,
        "entities/": "",
    }
    return client, references


@pytest.mark.parametrize("route", WRITE_ROUTES)
@hypothesis_settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.dictionaries(st.sampled_from(FIELD_NAMES), strategies.form_values, max_size=8))
@example(data={"shared_with": [str(2**64)], "organisations": [str(2**64)]})
@example(data={"organisation": str(2**70), "area": str(-(2**70)), "operation": str(2**64)})
def test_no_form_input_causes_a_server_error(world, route, data):
    client, references = world
    prefix = next(prefix for prefix in references if route.startswith(prefix))
    path = "/" + route.replace("{ref}", references[prefix])

    # A server error raises here: the test client re-raises it.
    response = client.post(path, data)

    assert response.status_code < 500


QUERY_NAMES = sorted(
    set(FIELD_NAMES)
    | {"page", "q", "organisation", "area", "type", "status", "sort", "direction", "age"}
    | {"months", "end_day", "end_month", "end_year", "entity", "intelligence", "change"}
)
READ_ROUTES = [
    route
    for route in routes({"int": "1", "reference": "X", "slug": "x", "str": "x"})
    if not any(part in route for part in ("/1/", "/X/", "/x/"))
    and not route.startswith(("admin/", "api/", "sign-"))
]


def test_the_query_fuzzing_reaches_every_list():
    assert {"intelligence/search/", "hotspots/", "safeguarding/victims/"} <= set(READ_ROUTES)


@pytest.mark.parametrize("route", READ_ROUTES)
@hypothesis_settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(query=st.dictionaries(st.sampled_from(QUERY_NAMES), strategies.form_values, max_size=6))
@example(query={"page": str(2**64), "organisation": str(2**70), "area": str(-(2**64))})
def test_no_query_string_causes_a_server_error(world, route, query):
    client, _references = world

    # A server error raises here: the test client re-raises it.
    response = client.get(f"/{route}", query)

    assert response.status_code < 500


# A service's refusal shown on the form: on the field it names, else above the form, and
# never a crash when it names a field the form does not have.


class NameForm(forms.Form):
    name = forms.CharField()


def test_a_refusal_naming_a_field_lands_on_it():
    form = NameForm({"name": "Ann"})
    form.is_valid()

    add_refusal(form, ValidationError({"name": "Enter another name"}))

    assert form.errors == {"name": ["Enter another name"]}


def test_a_refusal_naming_a_field_the_form_lacks_lands_above_the_form():
    form = NameForm({"name": "Ann"})
    form.is_valid()

    add_refusal(form, ValidationError({"postcode": "Enter a postcode"}))

    assert form.non_field_errors() == ["Enter a postcode"]
    assert "name" not in form.errors


def test_a_refusal_naming_no_field_lands_above_the_form():
    form = NameForm({"name": "Ann"})
    form.is_valid()

    add_refusal(form, ValidationError("This record is closed"))

    assert form.non_field_errors() == ["This record is closed"]


def test_saved_runs_the_service_only_for_a_valid_form_and_reports_its_refusal():
    calls = []

    def refuse(data):
        calls.append(data)
        raise ValidationError({"name": "Taken"})

    assert saved(NameForm({"name": ""}), refuse) is False
    assert calls == []
    refused = NameForm({"name": "Ann"})
    assert saved(refused, refuse) is False
    assert refused.errors == {"name": ["Taken"]}
    assert saved(NameForm({"name": "Bo"}), calls.append) is True
    assert calls[-1] == {"name": "Bo"}
