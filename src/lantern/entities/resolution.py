"""Batch entity resolution: Splink models that propose clusters of people and of places.

``resolve_people`` and ``resolve_locations`` take plain records (a ``pyarrow.Table`` or
a list of dicts, one per entity), train a Fellegi-Sunter model on them with Splink — or
load one saved before — score candidate pairs and return the clusters of records that
look like one person or one place, each with its links and their match probabilities.
Nothing is merged: the clusters are proposals for an analyst to confirm or reject, so
this module knows nothing of Django and can run anywhere the records can be sent.

Person records carry ``unique_id`` and any of ``given_name``, ``surname``,
``date_of_birth`` (ISO ``YYYY-MM-DD``), ``postcode``, ``locality``, ``address``,
``nationality``, ``gender`` and ``identity_number`` (a passport, driving licence or
National Insurance number, when one was recorded); location records carry ``unique_id``
and any of ``postcode``, ``building``, ``street``, ``locality``. Missing columns and
empty strings are treated as unknown, which Splink scores as neither agreeing nor
disagreeing.

Why the model looks like this (see docs/entity-resolution.md for the figures):

- Candidate pairs come from several tight blocking rules rather than one loose one.
  Each rule pairs records that share two strong keys (date of birth and a name initial,
  a phonetic surname and a postcode...), so no block grows with the size of the data
  set, and the union of the rules still finds nearly every true duplicate because a
  typo rarely hits both keys of every rule at once. This is what keeps 1,000,000
  records to about 5 million candidate pairs.
- Comparisons have several levels of agreement (exact, a nickname, another word order,
  close Jaro-Winkler, distant Jaro-Winkler; dates with day and month swapped, one typing
  slip, the same month, within a year) so that a corrupted value still counts as
  evidence rather than as a disagreement.
- u probabilities are estimated by random sampling with a fixed seed and m
  probabilities by expectation maximisation on a capped number of blocked pairs, so
  training is reproducible and its cost does not grow with the data. Only fields the
  training records hold are compared, and every level ends with m and u set
  (``complete_model``): no comparison weighs on Splink's defaults.
- Two given names that differ outright keep two people apart unless more than the
  surname and the date of birth agree: twins share both.

Backends: ``backend="duckdb"`` (the default) runs embedded, in this process, in
memory; ``duckdb_config`` passes DuckDB settings such as ``memory_limit`` and
``threads``. ``backend="spark"`` runs the same settings, blocking rules and saved model
on Apache Spark through Splink's ``SparkAPI``, on the active ``SparkSession`` (created
if there is none). Spark needs ``pip install 'splink[spark]' 'pyspark>=4'`` (PySpark 4
reads the Arrow table directly; Java 17+; neither is installed by Lantern) and
Splink's similarity functions on the session's class path::

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    SparkSession.builder.config("spark.jars", similarity_jar_location()).getOrCreate()
    resolve_people(records, backend="spark", model_path="people-model.json")
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jellyfish
import pyarrow as pa
import pyarrow.compute as pc
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on

from lantern.entities import names

if TYPE_CHECKING:
    from splink.internals.database_api import DatabaseAPI

BACKENDS = ("duckdb", "spark")
# Pairs at or above this probability join a proposed cluster. Proposals go to an analyst,
# so a high bar keeps the review queue to likely matches.
DEFAULT_THRESHOLD = 0.95
# Fixed so that the same records always give the same model and the same proposals.
RANDOM_SEED = 5
# Enough random pairs for stable u estimates without sampling cost growing with the data.
U_SAMPLE_PAIRS = 500_000
# Enough blocked pairs for EM to converge; more only costs time on large data sets.
EM_MAX_PAIRS = 200_000
# Confirmed pairs from which analysts' decisions also train m: fewer say little.
MIN_LABELS = 20
# m or u of a level that training never observed on that side (see ``complete_model``).
UNSEEN_PROBABILITY = 1e-5
# Where a saved model records how many records it was trained on (Lantern's own key,
# taken out before Splink reads the model).
TRAINED_ON_KEY = "lantern_trained_on_records"

PERSON_COLUMNS = (
    "given_name",
    "surname",
    "date_of_birth",
    "postcode",
    "locality",
    "address",
    "nationality",
    "gender",
    "identity_number",
)
LOCATION_COLUMNS = ("postcode", "building", "street", "locality")


@dataclass(frozen=True)
class ProposedLink:
    """Two records the model believes are the same, and how sure it is."""

    left_id: str
    right_id: str
    match_probability: float


@dataclass(frozen=True)
class ProposedCluster:
    """Records proposed as one entity, for an analyst to confirm or reject.

    ``match_probability`` is that of the weakest link above the threshold, so one number
    says how doubtful the least certain part of the proposal is.
    """

    record_ids: tuple[str, ...]
    match_probability: float
    links: tuple[ProposedLink, ...]


def _exact_or_close(column: str, thresholds: tuple[float, ...]) -> cl.CustomComparison:
    """Null, exact, then Jaro-Winkler at each threshold: a typo is weaker evidence, not
    a disagreement."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            *(cll.JaroWinklerLevel(column, threshold) for threshold in thresholds),
            cll.ElseLevel(),
        ],
    )


def _given_name_comparison() -> cl.CustomComparison:
    """Exact; the same name in another form (a nickname, a diminutive, another
    transliteration: ``names``); the name found among the other record's name words (the
    name written surname-first, "POPESCU Ion", or with a name dropped, "Nguyen Van Anh"
    for "Anh Nguyen"); then Jaro-Winkler ≥ 0.92 and ≥ 0.8."""
    return cl.CustomComparison(
        output_column_name="given_name",
        comparison_levels=[
            cll.NullLevel("given_name"),
            cll.ExactMatchLevel("given_name"),
            cll.ArrayIntersectLevel("given_variants", 1).configure(
                label_for_charts="Nickname or spelling of the same name"
            ),
            cll.CustomLevel(_AMONG_WORDS.format(column="given_name"), "In another word order"),
            cll.JaroWinklerLevel("given_name", 0.92),
            cll.JaroWinklerLevel("given_name", 0.8),
            cll.ElseLevel(),
        ],
    )


def _surname_comparison() -> cl.CustomComparison:
    """Exact; the surname found among the other record's name words (another word order,
    or a second surname dropped: "Garcia Lopez" and "Garcia"); then Jaro-Winkler."""
    return cl.CustomComparison(
        output_column_name="surname",
        comparison_levels=[
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname"),
            cll.CustomLevel(_AMONG_WORDS.format(column="surname"), "In another word order"),
            cll.JaroWinklerLevel("surname", 0.92),
            cll.JaroWinklerLevel("surname", 0.8),
            cll.ElseLevel(),
        ],
    )


# ``array_contains`` has the same name and meaning in DuckDB and Spark SQL.
_AMONG_WORDS = (
    "(array_contains(name_words_r, {column}_l) or array_contains(name_words_l, {column}_r))"
)


def _postcode_comparison() -> cl.CustomComparison:
    """Exact, then one edit apart: a mistyped or swapped character."""
    return cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode"),
            cll.LevenshteinLevel("postcode", 1),
            cll.ElseLevel(),
        ],
    )


def _date_of_birth_comparison() -> cl.CustomComparison:
    """Levels that mean what they say: exact; day and month swapped (``1984-07-03`` for
    ``1984-03-07``); one digit typed wrong, or two neighbouring digits typed the wrong
    way round; same year and month; within a year; other.

    The typing-slip level compares the eight digits place by place (an ISO date keeps its
    digits at fixed places), and a swap counts only when the two swapped digits differ
    and every other digit agrees: 1988-03-14 and 1988-05-19 share the repeated "88" but
    are two dates, not one slip. Distances use ``birth_day`` (days since 1970), computed
    once per record, because parsing both dates for every candidate pair would cost more
    than the rest of the comparisons together.
    """
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.CustomLevel(_DAY_AND_MONTH_SWAPPED, "Day and month swapped"),
            cll.CustomLevel(_TYPING_SLIP, "One digit typed wrong or two swapped"),
            cll.CustomLevel(
                "substr(date_of_birth_l, 1, 7) = substr(date_of_birth_r, 1, 7)",
                "Same year and month",
            ),
            cll.CustomLevel("abs(birth_day_l - birth_day_r) <= 366", "Within a year"),
            cll.ElseLevel(),
        ],
    )


def _digit(side: str, place: int) -> str:
    return f"substr(date_of_birth_{side}, {place}, 1)"


# The places of the eight digits in ``YYYY-MM-DD``.
_DIGIT_PLACES = (1, 2, 3, 4, 6, 7, 9, 10)
_DIGITS_DIFFERING = " + ".join(
    f"(case when {_digit('l', place)} = {_digit('r', place)} then 0 else 1 end)"
    for place in _DIGIT_PLACES
)
_NEIGHBOURS_SWAPPED = " or ".join(
    f"({_digit('l', first)} = {_digit('r', second)} and {_digit('l', second)} = "
    f"{_digit('r', first)} and {_digit('l', first)} <> {_digit('l', second)})"
    for first, second in ((1, 2), (2, 3), (3, 4), (6, 7), (9, 10))
)
# Two differing digits that are two neighbours swapped: the swapped digits differ, so they
# are the two places that differ, and every other digit agrees.
_TYPING_SLIP = (
    f"({_DIGITS_DIFFERING}) = 1 or (({_DIGITS_DIFFERING}) = 2 and ({_NEIGHBOURS_SWAPPED}))"
)
_DAY_AND_MONTH_SWAPPED = (
    "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
    "and substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
    "and substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)"
)


def _categorical(column: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[cll.NullLevel(column), cll.ExactMatchLevel(column), cll.ElseLevel()],
    )


# Candidate pairs for the person model: each rule pairs records sharing two strong keys,
# so no block grows with the data; their union finds nearly every true duplicate, and no
# one field is needed by every rule (a missing or mistyped date of birth, a misspelt
# surname, names written in another order still leave rules that pair the records).
PERSON_BLOCKING_RULES = [
    block_on("identity_number"),
    # A phone co-mentioned with both: the hub's strongest link between two names.
    block_on("phones", arrays_to_explode=["phones"]),
    block_on("date_of_birth", "substr(given_name, 1, 1)"),
    block_on("date_of_birth", "substr(surname, 1, 1)"),
    block_on("date_of_birth", "postcode"),
    block_on("surname_key", "postcode"),
    block_on("given_key", "postcode"),
    block_on("given_key", "surname_key", "substr(locality, 1, 1)"),
    block_on("given_key", "surname_key", "birth_year"),
    block_on("address"),
    # Day and month of the date of birth swapped, with the same phonetic surname.
    "l.date_swapped = r.date_of_birth and l.surname_key = r.surname_key",
    # Given name and surname written the wrong way round (surname first).
    "l.given_key = r.surname_key and l.surname_key = r.given_key",
]

# The comparisons of the person model, by the record column that decides whether the
# training records can teach it anything.
_PERSON_COMPARISONS = {
    "given_name": _given_name_comparison,
    "surname": _surname_comparison,
    "date_of_birth": _date_of_birth_comparison,
    "postcode": _postcode_comparison,
    "locality": lambda: _exact_or_close("locality", (0.88,)),
    "address": lambda: _exact_or_close("address", (0.8,)),
    "identity_number": lambda: cl.LevenshteinAtThresholds("identity_number", [1, 2]),
    "nationality": lambda: _categorical("nationality"),
    "gender": lambda: _categorical("gender"),
}


def person_settings(columns: Iterable[str] = PERSON_COLUMNS) -> SettingsCreator:
    """The person model, before training, comparing ``columns`` (all by default).

    Training keeps only the columns its records hold values for: a comparison the data
    cannot train would fall back on Splink's defaults (+10 bits for agreeing), which let
    two strangers of one nationality born the same day score 0.998.
    """
    wanted = set(columns)
    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=PERSON_BLOCKING_RULES,
        comparisons=[
            comparison() for column, comparison in _PERSON_COMPARISONS.items() if column in wanted
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def location_settings() -> SettingsCreator:
    """The location model: blocking rules and comparisons, before training."""
    return SettingsCreator(
        link_type="dedupe_only",
        # Two buildings in one street are two places, however alike the rest: records are
        # only paired when their buildings agree or one of them has none.
        blocking_rules_to_generate_predictions=[
            block_on("postcode", "building"),
            block_on("street_key", "building", "locality"),
            "l.postcode = r.postcode and l.street_key = r.street_key "
            "and (l.building is null or r.building is null)",
        ],
        comparisons=[
            _postcode_comparison(),
            _exact_or_close("building", (0.88,)),
            _exact_or_close("street", (0.92, 0.8)),
            _exact_or_close("locality", (0.88,)),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _as_table(
    records: pa.Table | Iterable[Mapping[str, Any]],
    columns: tuple[str, ...],
    list_columns: tuple[str, ...] = (),
) -> pa.Table:
    """Records as an Arrow table of trimmed, lower-case strings, ``None`` for unknown;
    ``list_columns`` as lists of such strings (a person's phones)."""
    table = records if isinstance(records, pa.Table) else pa.Table.from_pylist(list(records))
    if "unique_id" not in table.column_names:
        raise ValueError("Every record needs a unique_id.")
    arrays = {"unique_id": pc.cast(table["unique_id"], pa.string())}
    for column in columns:
        if column in table.column_names and table.num_rows:
            values = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(table[column], pa.string())))
            arrays[column] = pc.if_else(pc.equal(values, ""), None, values)
        else:
            arrays[column] = pa.nulls(table.num_rows, pa.string())
    for column in list_columns:
        if column not in table.column_names:
            arrays[column] = pa.nulls(table.num_rows, pa.list_(pa.string()))
            continue
        arrays[column] = pa.array(
            [
                sorted({str(value).strip().lower() for value in found or () if value}) or None
                for found in table[column].to_pylist()
            ],
            pa.list_(pa.string()),
        )
    return pa.table(arrays)


def _phonetic_key(values: pa.ChunkedArray) -> pa.Array:
    """Metaphone of each value, computed once per distinct value (names repeat a lot)."""
    encoded = pc.dictionary_encode(values).combine_chunks()
    keys = pa.array(
        [jellyfish.metaphone(value) or None for value in encoded.dictionary.to_pylist()],
        pa.string(),
    )
    return pc.take(keys, encoded.indices)


def _database(backend: str, duckdb_config: Mapping[str, Any] | None) -> DatabaseAPI:
    if backend == "duckdb":
        import duckdb
        from splink.backends.duckdb import DuckDBAPI

        config = {key: str(value) for key, value in (duckdb_config or {}).items()}
        connection = duckdb.connect(config=config)
        # No progress bars on stderr: this runs from a command or a job, not a notebook.
        connection.execute("SET enable_progress_bar = false")
        return DuckDBAPI(connection=connection)
    if backend == "spark":
        from pyspark.sql import SparkSession
        from splink.backends.spark import SparkAPI

        return SparkAPI(spark_session=SparkSession.builder.getOrCreate())
    raise ValueError(
        f"Unknown entity resolution backend {backend!r}: choose one of {', '.join(BACKENDS)}."
    )


def _train_people(linker: Linker, labels: pa.Table | None = None) -> None:
    """Prior, u by random sampling, m by EM on rules that each leave the comparisons they
    do not block on free to be estimated, then m again from analysts' confirmed pairs."""
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [
            block_on("given_name", "surname", "date_of_birth"),
            block_on("identity_number", "date_of_birth"),
        ],
        recall=0.8,
    )
    training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=RANDOM_SEED)
    # Blocked on the date of birth, EM estimates the names, postcode and the rest; blocked
    # on surname sound and postcode, it estimates the date of birth and the given name.
    # Where dates of birth or postcodes are rarely recorded, the names' own sessions
    # stand in.
    _expectation_maximisation(
        linker,
        [block_on("date_of_birth"), block_on("surname_key", "postcode")],
        fallbacks=[block_on("surname_key"), block_on("given_name")],
    )
    if labels is not None and labels.num_rows >= MIN_LABELS:
        # Pairs analysts confirmed are matches by definition: their levels are m's best
        # estimate where the hub has them.
        table = linker.table_management.register_table(
            labels, "__lantern_confirmed_pairs", overwrite=True
        )
        training.estimate_m_from_pairwise_labels(table.physical_name)


def _train_locations(linker: Linker) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("postcode", "building", "street")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=RANDOM_SEED)
    _expectation_maximisation(linker, [block_on("postcode"), block_on("street_key")])


def _expectation_maximisation(
    linker: Linker, rules: list[Any], *, fallbacks: list[Any] | None = None
) -> None:
    """Run an EM session per blocking rule, skipping a rule that pairs no records (a field
    never recorded); if any was skipped, run the fallbacks too. Refuses clearly when no
    session could run at all."""
    trained = sum(_session(linker, rule) for rule in rules)
    if trained < len(rules):
        trained += sum(_session(linker, rule) for rule in fallbacks or [])
    if not trained:
        raise ValueError(
            "Too few records share a date of birth, postcode or name to train the model; "
            "train it on more records or pass a saved model."
        )


def _session(linker: Linker, rule: Any) -> int:
    """1 if an EM session ran on ``rule``; 0 if the rule paired no records, or only
    records so alike that no probability can be estimated (Splink then takes the log of 0)."""
    from splink.internals.exceptions import EMTrainingException

    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, max_pairs=EM_MAX_PAIRS
        )
    except (EMTrainingException, ValueError):
        return 0
    return 1


def _resolve(
    table: pa.Table,
    settings: SettingsCreator,
    train: Any,
    *,
    backend: str,
    model_path: str | Path | None,
    threshold: float,
    duckdb_config: Mapping[str, Any] | None,
    distinct_given_names: bool = False,
) -> list[ProposedCluster]:
    database = _database(backend, duckdb_config)
    model_file = Path(model_path) if model_path is not None else None
    if model_file is not None and model_file.exists():
        model = json.loads(model_file.read_text(encoding="utf-8"))
    else:
        training_linker = Linker(database.register(table), settings, log_level=None)
        train(training_linker)
        model = complete_model(training_linker.misc.save_model_to_json(), table.num_rows)
        if model_file is not None:
            model_file.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    linker = Linker(database.register(table), for_records(model, table.num_rows), log_level=None)
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    # Table names are Splink's own, never user input.
    edges = linker.misc.query_sql(
        f"select unique_id_l, unique_id_r, match_probability from {predictions.physical_name}",  # noqa: S608
        output_type="splink_df",
    ).as_pyarrow_table()
    links = [
        ProposedLink(left, right, probability)
        for left, right, probability in zip(
            edges["unique_id_l"].to_pylist(),
            edges["unique_id_r"].to_pylist(),
            edges["match_probability"].to_pylist(),
            strict=True,
        )
    ]
    if distinct_given_names:
        links = _without_different_given_names(table, links)
    return _proposals(links)


# Fields whose agreement is evidence beyond a shared surname and date of birth.
_CORROBORATING = ("postcode", "address", "identity_number", "phones")


def _without_different_given_names(
    table: pa.Table, links: list[ProposedLink]
) -> list[ProposedLink]:
    """Twins share a surname and a date of birth: two given names that differ outright
    (``names.given_names_differ``) keep two people apart unless something beyond the
    date and the surname also agrees (the postcode, the address, an identity number, a
    phone): a name replaced by another in one report is then still found, but the date
    alone never merges two people. Links are few (only those above the threshold), so
    this runs in Python."""
    linked = {record_id for link in links for record_id in (link.left_id, link.right_id)}
    columns = ["given_name", "name_words", *_CORROBORATING]
    rows = {
        record_id: row
        for record_id, *row in zip(
            table["unique_id"].to_pylist(),
            *(table[column].to_pylist() for column in columns),
            strict=True,
        )
        if record_id in linked
    }
    kept = []
    for link in links:
        left, right = rows[link.left_id], rows[link.right_id]
        if not names.given_names_differ(left[0], left[1] or (), right[0], right[1] or ()) or any(
            one is not None and other is not None and _agree(one, other)
            for one, other in zip(left[2:], right[2:], strict=True)
        ):
            kept.append(link)
    return kept


def _agree(one: str | list[str], other: str | list[str]) -> bool:
    if isinstance(one, list):
        return not set(one).isdisjoint(other)
    return one == other


def _compares(model: Mapping[str, Any], column: str) -> bool:
    return any(
        comparison.get("output_column_name") == column for comparison in model["comparisons"]
    )


def complete_model(model: dict[str, Any], records: int) -> dict[str, Any]:
    """A trained model as saved: every level's m and u set, and the number of records it
    was trained on (for ``for_records``).

    EM leaves m unset for a level no matched pair showed, and sampling leaves u unset for
    a level no random pair showed; Splink would then fall back on defaults that weigh as
    much as an exact match. Such a level was observed zero times, so it gets a floor of
    ``UNSEEN_PROBABILITY`` instead: it almost never happens on that side.
    """
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            for parameter in ("m_probability", "u_probability"):
                if level.get(parameter) is None:
                    level[parameter] = UNSEEN_PROBABILITY
    model[TRAINED_ON_KEY] = records
    return model


def for_records(model: Mapping[str, Any], records: int) -> dict[str, Any]:
    """The saved model, its prior rescaled from the records it was trained on to
    ``records``: the share of pairs that match falls as the number of records grows (each
    person has a few duplicates, not a fixed share of everyone), so a prior learnt on
    5,000 records would overstate it a thousandfold at 5,000,000."""
    settings = {key: value for key, value in model.items() if key != TRAINED_ON_KEY}
    trained_on = model.get(TRAINED_ON_KEY)
    if trained_on and records > 1:
        prior = settings["probability_two_random_records_match"]
        settings["probability_two_random_records_match"] = min(
            prior * (trained_on - 1) / (records - 1), 0.5
        )
    return settings


def _proposals(links: list[ProposedLink]) -> list[ProposedCluster]:
    """The connected components of the links, each with its links."""
    parent: dict[str, str] = {}

    def root(record_id: str) -> str:
        parent.setdefault(record_id, record_id)
        while parent[record_id] != record_id:
            parent[record_id] = parent[parent[record_id]]
            record_id = parent[record_id]
        return record_id

    for link in links:
        left, right = root(link.left_id), root(link.right_id)
        if left != right:
            parent[max(left, right)] = min(left, right)
    record_ids: dict[str, list[str]] = defaultdict(list)
    for record_id in list(parent):
        record_ids[root(record_id)].append(record_id)
    cluster_links: dict[str, list[ProposedLink]] = defaultdict(list)
    for link in links:
        cluster_links[root(link.left_id)].append(link)
    return sorted(
        (
            ProposedCluster(
                record_ids=tuple(sorted(ids)),
                match_probability=min(link.match_probability for link in cluster_links[key]),
                links=tuple(
                    sorted(cluster_links[key], key=lambda link: (link.left_id, link.right_id))
                ),
            )
            for key, ids in record_ids.items()
        ),
        key=lambda cluster: cluster.record_ids,
    )


def resolve_people(
    records: pa.Table | Iterable[Mapping[str, Any]],
    *,
    backend: str = "duckdb",
    model_path: str | Path | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    duckdb_config: Mapping[str, Any] | None = None,
    confirmed_pairs: Iterable[tuple[str, str]] = (),
) -> list[ProposedCluster]:
    """Propose clusters of person records that appear to be the same person.

    With ``model_path`` naming an existing file, that saved model is used as it is (its
    prior rescaled to the number of records); otherwise a model is trained on
    ``records`` — comparing only the fields they hold values for, and learning from
    ``confirmed_pairs`` (ids of records analysts confirmed as one person) too — and,
    when ``model_path`` is given, saved there as JSON for the next run (and for Spark).
    Only clusters of two or more records are returned, sorted by their record ids.
    """
    table = person_table(records)
    known = [column for column in PERSON_COLUMNS if table[column].null_count < table.num_rows]
    pairs = [(str(left), str(right)) for left, right in confirmed_pairs]
    labels = pa.table(
        {
            "unique_id_l": pa.array([left for left, _ in pairs], pa.string()),
            "unique_id_r": pa.array([right for _, right in pairs], pa.string()),
        }
    )
    return _resolve(
        table,
        person_settings(known),
        lambda linker: _train_people(linker, labels),
        backend=backend,
        model_path=model_path,
        threshold=threshold,
        duckdb_config=duckdb_config,
        distinct_given_names=True,
    )


def person_table(records: pa.Table | Iterable[Mapping[str, Any]]) -> pa.Table:
    """Person records as the model reads them, with the keys computed once per record:
    phonetic names, the name's words, the given name's nickname groups, year of birth,
    the date with day and month swapped, days since 1970."""
    table = _as_table(records, PERSON_COLUMNS, ("phones",))
    birth_date = pc.strptime(table["date_of_birth"], "%Y-%m-%d", "s", error_is_null=True)
    date_of_birth = pc.if_else(pc.is_null(birth_date), None, table["date_of_birth"])
    table = table.set_column(
        table.column_names.index("date_of_birth"), "date_of_birth", date_of_birth
    )
    words = pa.array(
        [
            f"{given or ''} {surname or ''}".split() or None
            for given, surname in zip(
                table["given_name"].to_pylist(), table["surname"].to_pylist(), strict=True
            )
        ],
        pa.list_(pa.string()),
    )
    given_first = pc.list_element(pc.utf8_split_whitespace(table["given_name"]), 0)
    return (
        table.append_column("birth_day", pc.cast(pc.cast(birth_date, pa.date32()), pa.int32()))
        .append_column("birth_year", pc.utf8_slice_codeunits(date_of_birth, 0, 4))
        .append_column("date_swapped", _per_value(date_of_birth, _swapped, pa.string()))
        .append_column("given_key", _phonetic_key(table["given_name"]))
        .append_column("surname_key", _phonetic_key(table["surname"]))
        .append_column("name_words", words)
        .append_column("given_variants", _per_value(given_first, _variants, pa.list_(pa.string())))
    )


def _swapped(date_of_birth: str) -> str | None:
    """``YYYY-DD-MM`` when that is a date too and not the same one."""
    year, month, day = date_of_birth.split("-")
    if month == day or int(day) > 12:
        return None
    return f"{year}-{day}-{month}"


def _variants(given_name: str) -> list[str] | None:
    return sorted(names.given_name_groups(given_name)) or None


def _per_value(values: Any, function: Any, type_: pa.DataType) -> pa.Array:
    """``function`` of each value, computed once per distinct value (null stays null)."""
    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    results = pa.array([function(value) for value in encoded.dictionary.to_pylist()], type_)
    return pc.take(results, encoded.indices)


def resolve_locations(
    records: pa.Table | Iterable[Mapping[str, Any]],
    *,
    backend: str = "duckdb",
    model_path: str | Path | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    duckdb_config: Mapping[str, Any] | None = None,
) -> list[ProposedCluster]:
    """Propose clusters of location records that appear to be the same place.

    Same contract as ``resolve_people``; ``street`` is also compared through a phonetic
    key so that ``Forbes Street`` and ``Fobres Street`` still meet in one block.
    """
    table = _as_table(records, LOCATION_COLUMNS)
    table = table.append_column("street_key", _phonetic_key(table["street"]))
    return _resolve(
        table,
        location_settings(),
        _train_locations,
        backend=backend,
        model_path=model_path,
        threshold=threshold,
        duckdb_config=duckdb_config,
    )


def candidate_pairs(
    records: pa.Table | Iterable[Mapping[str, Any]],
    *,
    model_path: str | Path,
    duckdb_config: Mapping[str, Any] | None = None,
) -> set[frozenset[str]]:
    """Every pair of person records the saved model's blocking rules compare, scored or
    not: what blocking recall (the share of true pairs ever compared) is measured on."""
    table = person_table(records)
    model = json.loads(Path(model_path).read_text(encoding="utf-8"))
    linker = Linker(
        _database("duckdb", duckdb_config).register(table),
        for_records(model, table.num_rows),
        log_level=None,
    )
    pairs = linker.inference.predict(warning_mode="never")
    # Table names are Splink's own, never user input.
    found = linker.misc.query_sql(
        f"select unique_id_l, unique_id_r from {pairs.physical_name}",  # noqa: S608
        output_type="splink_df",
    ).as_pyarrow_table()
    return {
        frozenset(pair)
        for pair in zip(
            found["unique_id_l"].to_pylist(), found["unique_id_r"].to_pylist(), strict=True
        )
    }
