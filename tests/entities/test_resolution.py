"""Batch entity resolution proposes clusters of people and places for an analyst.

The person and location models are trained once, on FEBRL dataset 2 (5,000 people, a
fifth of them corrupted copies), as an analyst's first run would train them on the
partnership's own entities; the small cases then run on the saved models.
"""

import json
import logging

import pytest
from bench.febrl import load_febrl2_records

from lantern.entities.batch import SHIPPED_MODELS
from lantern.entities.resolution import (
    DEFAULT_THRESHOLD,
    TRAINED_ON_KEY,
    ProposedCluster,
    for_records,
    resolve_locations,
    resolve_people,
)


@pytest.fixture(scope="module", autouse=True)
def quiet_splink():
    logging.getLogger("splink").setLevel(logging.ERROR)


@pytest.fixture(scope="module")
def febrl():
    return load_febrl2_records()


@pytest.fixture(scope="module")
def people_model(febrl, tmp_path_factory):
    """The person model trained on FEBRL 2 and saved, with what it proposed there."""
    records, _ = febrl
    path = tmp_path_factory.mktemp("models") / "people.json"
    return path, resolve_people(records, model_path=path)


@pytest.fixture(scope="module")
def location_model(febrl, tmp_path_factory):
    records, _ = febrl
    path = tmp_path_factory.mktemp("models") / "locations.json"
    resolve_locations(records, model_path=path)
    return path


def clustered_ids(clusters: list[ProposedCluster]) -> set[frozenset[str]]:
    return {frozenset(cluster.record_ids) for cluster in clusters}


def person(unique_id, given_name, surname, date_of_birth, postcode=None, **fields):
    return {
        "unique_id": unique_id,
        "given_name": given_name,
        "surname": surname,
        "date_of_birth": date_of_birth,
        "postcode": postcode,
        **fields,
    }


def test_people_written_differently_are_proposed_as_one_and_namesakes_are_not(people_model):
    model_path, _ = people_model
    records = [
        person("a1", "Stefan", "Popescu", "1990-04-12", "LE1 5AB"),
        person("a2", "Stephan", "Popescu", "1990-04-12", "LE1 5AB"),
        person("a3", "stefan", "popesku", "1990-04-21", "LE1 5AB"),
        person("b1", "Mary", "Jones", "1975-11-02", "LE2 7QQ"),
        person("b2", " MARY ", "Jones", "1975-11-02", None),
        # Same name, another person: born 26 years later, elsewhere.
        person("c1", "Mary", "Jones", "2001-03-30", "NG7 1AA"),
        person("d1", "Ahmed", "Khan", "1985-06-15", "LE3 9XY"),
        # Names the wrong way round.
        person("e1", "John", "Smith", "1962-01-01", "LE4 1AA"),
        person("e2", "Smith", "John", "1962-01-01", "LE4 1AA"),
    ]

    clusters = resolve_people(records, model_path=model_path)

    assert clustered_ids(clusters) == {
        frozenset({"a1", "a2", "a3"}),
        frozenset({"b1", "b2"}),
        frozenset({"e1", "e2"}),
    }
    for cluster in clusters:
        assert DEFAULT_THRESHOLD <= cluster.match_probability <= 1
        assert cluster.match_probability == min(link.match_probability for link in cluster.links)
        assert {link.left_id for link in cluster.links} <= set(cluster.record_ids)


def test_the_model_finds_febrl_duplicates_without_false_proposals(febrl, people_model):
    _, true_pairs = febrl
    _, clusters = people_model
    proposed = {
        frozenset((left, right))
        for cluster in clusters
        for left in cluster.record_ids
        for right in cluster.record_ids
        if left < right
    }

    assert len(proposed & true_pairs) / len(proposed) >= 0.99
    assert len(proposed & true_pairs) / len(true_pairs) >= 0.98


def test_a_saved_model_reloaded_proposes_the_same_clusters(febrl, people_model):
    records, _ = febrl
    model_path, trained_proposals = people_model

    assert resolve_people(records, model_path=model_path) == trained_proposals


def test_places_in_different_buildings_are_not_proposed_as_one(location_model):
    records = [
        {"unique_id": "l1", "postcode": "LE1 5AB", "building": "12", "street": "Granby Street"},
        {"unique_id": "l2", "postcode": "LE1 5AB", "building": "12", "street": "Granbey Street"},
        {"unique_id": "l3", "postcode": "LE1 5AB", "building": "14", "street": "Granby Street"},
        {
            "unique_id": "l4",
            "postcode": "NG1 2CD",
            "building": "Car Wash",
            "street": "Canal Street",
            "locality": "Nottingham",
        },
        {
            "unique_id": "l5",
            "postcode": "NG1 2CD",
            "building": "car wash",
            "street": "Canal Street",
            "locality": "Nottingham",
        },
    ]

    clusters = resolve_locations(records, model_path=location_model)

    assert clustered_ids(clusters) == {frozenset({"l1", "l2"}), frozenset({"l4", "l5"})}


def test_an_unknown_backend_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'postgres'.*duckdb, spark"):
        resolve_people([person("a1", "Ann", "Lee", "1980-01-01")], backend="postgres")


def test_records_without_ids_are_refused():
    with pytest.raises(ValueError, match="unique_id"):
        resolve_people([{"given_name": "Ann"}])


def date_of_birth_level(first: str, second: str) -> str:
    """The level of the model's date-of-birth comparison that two dates fall in, found by
    running each level's own SQL in DuckDB, first match wins (as Splink does)."""
    import duckdb

    from lantern.entities.resolution import _date_of_birth_comparison

    levels = _date_of_birth_comparison().get_comparison("duckdb").comparison_levels
    connection = duckdb.connect()
    connection.execute(
        "create table pair as select ?::varchar as date_of_birth_l, ?::varchar as "
        "date_of_birth_r, (?::date - date '1970-01-01') as birth_day_l, "
        "(?::date - date '1970-01-01') as birth_day_r",
        [first, second, first, second],
    )
    for level in levels:
        condition = level.sql_condition
        if condition == "ELSE":
            return level.label_for_charts
        if connection.execute(f"select count(*) from pair where {condition}").fetchone()[0]:
            return level.label_for_charts
    raise AssertionError("no level matched")


@pytest.mark.parametrize(
    ("first", "second", "level"),
    [
        ("1988-03-14", "1988-03-14", "Exact match on date_of_birth"),
        ("1984-03-07", "1984-07-03", "Day and month swapped"),
        ("1988-03-14", "1988-03-15", "One digit typed wrong or two swapped"),
        ("1988-03-14", "1983-03-14", "One digit typed wrong or two swapped"),
        ("1988-12-03", "1988-12-30", "One digit typed wrong or two swapped"),
        ("1978-03-14", "1987-03-14", "One digit typed wrong or two swapped"),
        # Two dates sharing the repeated "88", not one typing slip.
        ("1988-03-14", "1988-05-19", "Within a year"),
        ("1988-03-02", "1988-03-27", "Same year and month"),
        ("1988-03-14", "1988-11-30", "Within a year"),
        ("1988-03-14", "1995-03-14", "All other comparisons"),
        ("1988-03-14", None, "date_of_birth is NULL"),
    ],
)
def test_date_of_birth_levels_mean_what_they_say(first, second, level):
    assert date_of_birth_level(first, second) == level


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Ion", "Popescu"), ("Popescu", "Ion")),  # surname first: "POPESCU Ion"
        (("Nguyen Van", "Anh"), ("Anh", "Nguyen")),
        (("William", "Jones"), ("Bill", "Jones")),
        (("Mohammed", "Khan"), ("Muhammad", "Khan")),
        (("Aleksandr", "Ivanov"), ("Sasha", "Ivanov")),
        (("Maria", "Garcia Lopez"), ("Maria", "Garcia")),  # a second surname dropped
    ],
)
def test_one_person_written_in_another_order_or_form_is_proposed(people_model, first, second):
    model_path, _ = people_model
    records = [
        person("x1", *first, "1990-04-12", "LE1 5AB"),
        person("x2", *second, "1990-04-12", "LE1 5AB"),
    ]

    assert clustered_ids(resolve_people(records, model_path=model_path)) == {
        frozenset({"x1", "x2"})
    }


def test_twins_and_strangers_born_the_same_day_are_not_proposed(people_model):
    model_path, _ = people_model
    records = [
        # Twins: one surname and date of birth, different given names, nothing else shared.
        person("t1", "Andrei", "Popa", "2001-06-02", None),
        person("t2", "Mihai", "Popa", "2001-06-02", None),
        person("t3", "Elena", "Popa", "2001-06-02", "LE2 1AA"),
        person("t4", "Ioana", "Popa", "2001-06-02", "LE3 9ZZ"),
        # Strangers of one nationality born the same day.
        person("s1", "Ion", "Popescu", "1979-01-15", nationality="romanian"),
        person("s2", "Ilie", "Petrescu", "1979-01-15", nationality="romanian"),
    ]

    assert resolve_people(records, model_path=model_path) == []


@pytest.fixture(params=["trained here", "shipped"])
def saved_model(request, people_model):
    if request.param == "shipped":
        return SHIPPED_MODELS / "people-model.json"
    return people_model[0]


def test_every_comparison_a_model_uses_has_trained_parameters(saved_model):
    model = json.loads(saved_model.read_text(encoding="utf-8"))

    assert model["comparisons"], "the model compares nothing"
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            name = f"{comparison['output_column_name']}: {level.get('label_for_charts')}"
            assert 0 < (level.get("m_probability") or 0) <= 1, f"no trained m for {name}"
            assert 0 < (level.get("u_probability") or 0) <= 1, f"no trained u for {name}"


def test_a_comparison_the_records_cannot_train_is_left_out_of_the_model(people_model):
    model = json.loads(people_model[0].read_text(encoding="utf-8"))

    # FEBRL has no nationality, gender or identity number: nothing to learn them from.
    compared = {comparison["output_column_name"] for comparison in model["comparisons"]}
    assert compared == {
        "given_name",
        "surname",
        "date_of_birth",
        "postcode",
        "locality",
        "address",
    }


def test_the_prior_is_rescaled_to_the_number_of_records_compared(people_model):
    model = json.loads(people_model[0].read_text(encoding="utf-8"))
    prior = model["probability_two_random_records_match"]

    assert model[TRAINED_ON_KEY] == 5000
    assert for_records(model, 5000)["probability_two_random_records_match"] == prior
    at_a_million = for_records(model, 1_000_000)
    assert at_a_million["probability_two_random_records_match"] == pytest.approx(
        prior * 4999 / 999_999
    )
    assert TRAINED_ON_KEY not in at_a_million


def test_pairs_analysts_confirmed_train_the_model_too(febrl, people_model, tmp_path):
    records, true_pairs = febrl
    confirmed = sorted(tuple(sorted(pair)) for pair in true_pairs)[:200]
    with_labels = tmp_path / "labelled.json"

    resolve_people(records, model_path=with_labels, confirmed_pairs=confirmed)

    def m_probabilities(path):
        model = json.loads(path.read_text(encoding="utf-8"))
        return [
            level.get("m_probability")
            for comparison in model["comparisons"]
            for level in comparison["comparison_levels"]
        ]

    assert m_probabilities(with_labels) != m_probabilities(people_model[0])


def test_odd_records_are_resolved_without_failing():
    records = [
        person("o1", None, None, None),
        person("o2", "x" * 10_000, "y" * 10_000, "1700-01-01"),
        person("o3", "Ann", "Lee", "2999-12-31"),
        person("o4", "Ann", "Lee", "not a date"),
        person("o5", "...", "!!", "1990-02-30"),
        {"unique_id": "o6", "phones": ["+447700900123", None, ""]},
        {"unique_id": "o7", "phones": ["+447700900123"]},
    ]

    clusters = resolve_people(records, model_path=SHIPPED_MODELS / "people-model.json")

    assert all(set(cluster.record_ids) <= {r["unique_id"] for r in records} for cluster in clusters)
    assert "o1" not in {record_id for cluster in clusters for record_id in cluster.record_ids}
