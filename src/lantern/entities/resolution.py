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
- Comparisons have several levels of agreement (exact, close Jaro-Winkler, distant
  Jaro-Winkler; dates within a typo, a month, a year) so that a corrupted value still
  counts as evidence rather than as a disagreement.
- u probabilities are estimated by random sampling with a fixed seed and m
  probabilities by expectation maximisation on a capped number of blocked pairs, so
  training is reproducible and its cost does not grow with the data.

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


def _name_comparison(column: str, other_name: str) -> cl.CustomComparison:
    """Like ``_exact_or_close``, plus a level for the two names written the wrong way
    round (given name in the surname's place and the other way), which a form filled in
    a hurry or a family-name-first naming order produces. Only one of the two name
    comparisons may carry it: on both, a swap would count twice and outweigh a date of
    birth and an address that disagree."""
    swapped = f"{column}_l = {other_name}_r and {other_name}_l = {column}_r"
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            cll.CustomLevel(swapped, "Names swapped"),
            cll.JaroWinklerLevel(column, 0.92),
            cll.JaroWinklerLevel(column, 0.8),
            cll.ElseLevel(),
        ],
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
    """Exact, one slip of a digit (``1930-02-13`` for ``1930-02-31``), then within a
    month, a year and ten years. Distances use ``birth_day`` (days since 1970), computed
    once per record, because parsing both dates for every candidate pair would cost more
    than the rest of the comparisons together."""
    days_apart = "abs(birth_day_l - birth_day_r)"
    # ISO dates have their digits at fixed places: count the places that differ.
    digits_differing = " + ".join(
        f"case when substr(date_of_birth_l, {place}, 1) = substr(date_of_birth_r, {place}, 1) "
        "then 0 else 1 end"
        for place in (1, 2, 3, 4, 6, 7, 9, 10)
    )
    swapped = " or ".join(
        f"(substr(date_of_birth_l, {first}, 1) = substr(date_of_birth_r, {second}, 1) "
        f"and substr(date_of_birth_l, {second}, 1) = substr(date_of_birth_r, {first}, 1))"
        for first, second in ((1, 2), (2, 3), (3, 4), (6, 7), (9, 10))
    )
    return cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.CustomLevel(
                f"{digits_differing} <= 1 or ({digits_differing} = 2 and ({swapped}))",
                "One digit mistyped or two swapped",
            ),
            cll.CustomLevel(f"{days_apart} <= 31", "Within a month"),
            cll.CustomLevel(f"{days_apart} <= 366", "Within a year"),
            cll.CustomLevel(f"{days_apart} <= 3653", "Within ten years"),
            cll.ElseLevel(),
        ],
    )


def _categorical(column: str) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[cll.NullLevel(column), cll.ExactMatchLevel(column), cll.ElseLevel()],
    )


# Candidate pairs for the person model: each rule pairs records sharing two strong keys,
# so no block grows with the data; their union finds nearly every true duplicate.
PERSON_BLOCKING_RULES = [
    block_on("identity_number"),
    block_on("date_of_birth", "substr(given_name, 1, 1)"),
    block_on("date_of_birth", "substr(surname, 1, 1)"),
    block_on("date_of_birth", "postcode"),
    block_on("surname_key", "postcode"),
    block_on("given_key", "postcode"),
    block_on("given_key", "surname_key", "substr(locality, 1, 1)"),
    block_on("address"),
    # Given name and surname written the wrong way round.
    "l.given_key = r.surname_key and l.surname_key = r.given_key",
]


def person_settings() -> SettingsCreator:
    """The person model: blocking rules and comparisons, before training."""
    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=PERSON_BLOCKING_RULES,
        comparisons=[
            _name_comparison("given_name", "surname"),
            _exact_or_close("surname", (0.92, 0.8)),
            _date_of_birth_comparison(),
            _postcode_comparison(),
            _exact_or_close("locality", (0.88,)),
            _exact_or_close("address", (0.8,)),
            cl.LevenshteinAtThresholds("identity_number", [1, 2]),
            _categorical("nationality"),
            _categorical("gender"),
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
    records: pa.Table | Iterable[Mapping[str, Any]], columns: tuple[str, ...]
) -> pa.Table:
    """Records as an Arrow table of trimmed, lower-case strings, ``None`` for unknown."""
    table = records if isinstance(records, pa.Table) else pa.Table.from_pylist(list(records))
    if "unique_id" not in table.column_names:
        raise ValueError("Every record needs a unique_id.")
    arrays = {"unique_id": pc.cast(table["unique_id"], pa.string())}
    for column in columns:
        if column in table.column_names:
            values = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(table[column], pa.string())))
            arrays[column] = pc.if_else(pc.equal(values, ""), None, values)
        else:
            arrays[column] = pa.nulls(table.num_rows, pa.string())
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


def _train_people(linker: Linker) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [
            block_on("given_name", "surname", "date_of_birth"),
            block_on("identity_number", "date_of_birth"),
        ],
        recall=0.8,
    )
    training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=RANDOM_SEED)
    # Each session estimates every comparison but the ones its blocking rule fixes. Where
    # dates of birth or postcodes are rarely recorded, the names' own sessions stand in.
    _expectation_maximisation(
        linker,
        [block_on("date_of_birth"), block_on("surname_key", "postcode")],
        fallbacks=[block_on("surname_key"), block_on("given_name")],
    )


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
) -> list[ProposedCluster]:
    database = _database(backend, duckdb_config)
    model_file = Path(model_path) if model_path is not None else None
    trained = model_file is not None and model_file.exists()
    model = json.loads(model_file.read_text(encoding="utf-8")) if trained else settings
    linker = Linker(database.register(table), model, log_level=None)
    if not trained:
        train(linker)
        if model_file is not None:
            linker.misc.save_model_to_json(str(model_file), overwrite=True)
    predictions = linker.inference.predict(
        threshold_match_probability=threshold, warning_mode="never"
    )
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    # Table names are Splink's own, never user input.
    edges = linker.misc.query_sql(
        f"select unique_id_l, unique_id_r, match_probability from {predictions.physical_name}",  # noqa: S608
        output_type="splink_df",
    ).as_pyarrow_table()
    members = linker.misc.query_sql(
        f"select cluster_id, unique_id from {clusters.physical_name} where cluster_id in ("  # noqa: S608
        f"select cluster_id from {clusters.physical_name} group by cluster_id "
        "having count(*) > 1)",
        output_type="splink_df",
    ).as_pyarrow_table()
    return _proposals(members, edges)


def _proposals(members: pa.Table, edges: pa.Table) -> list[ProposedCluster]:
    """Group scored links by the cluster their records fall in."""
    cluster_of: dict[str, str] = dict(
        zip(members["unique_id"].to_pylist(), members["cluster_id"].to_pylist(), strict=True)
    )
    record_ids: dict[str, list[str]] = defaultdict(list)
    for unique_id, cluster_id in cluster_of.items():
        record_ids[cluster_id].append(unique_id)
    links: dict[str, list[ProposedLink]] = defaultdict(list)
    for left_id, right_id, probability in zip(
        edges["unique_id_l"].to_pylist(),
        edges["unique_id_r"].to_pylist(),
        edges["match_probability"].to_pylist(),
        strict=True,
    ):
        links[cluster_of[left_id]].append(ProposedLink(left_id, right_id, probability))
    return sorted(
        (
            ProposedCluster(
                record_ids=tuple(sorted(ids)),
                match_probability=min(link.match_probability for link in links[cluster_id]),
                links=tuple(
                    sorted(links[cluster_id], key=lambda link: (link.left_id, link.right_id))
                ),
            )
            for cluster_id, ids in record_ids.items()
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
) -> list[ProposedCluster]:
    """Propose clusters of person records that appear to be the same person.

    With ``model_path`` naming an existing file, that saved model is used as it is;
    otherwise a model is trained on ``records`` and, when ``model_path`` is given, saved
    there as JSON for the next run (and for Spark). Only clusters of two or more records
    are returned, sorted by their record ids.
    """
    table = _as_table(records, PERSON_COLUMNS)
    birth_date = pc.strptime(table["date_of_birth"], "%Y-%m-%d", "s", error_is_null=True)
    table = table.set_column(
        table.column_names.index("date_of_birth"),
        "date_of_birth",
        pc.if_else(pc.is_null(birth_date), None, table["date_of_birth"]),
    )
    table = table.append_column("birth_day", pc.cast(pc.cast(birth_date, pa.date32()), pa.int32()))
    table = table.append_column("given_key", _phonetic_key(table["given_name"]))
    table = table.append_column("surname_key", _phonetic_key(table["surname"]))
    return _resolve(
        table,
        person_settings(),
        _train_people,
        backend=backend,
        model_path=model_path,
        threshold=threshold,
        duckdb_config=duckdb_config,
    )


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
