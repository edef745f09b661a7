"""Full-text search over a report's summary and narrative, on SQLite and on PostgreSQL.

Selectors use the two expressions here and nothing else of the database's search syntax:
``Matches`` (a condition for ``filter``) narrows reports to those holding every search word, and
``Relevance`` ranks them (higher is better). The index behind each is made by migration
``0005_search``:

- SQLite: an FTS5 table over summary and narrative with the report table as external
  content, kept in step by triggers, tokenised by ``unicode61`` with accents kept.
- PostgreSQL: a GIN index on a stored column, the ``to_tsvector`` of summary and narrative
  with the ``simple`` config (migrations 0005 and 0006).

Neither backend stems. English and French text both occur, in the same partnership and
sometimes in the same report; an ``english`` config would stem French words wrongly and
drop English stop words only, and choosing a language per report would need a guess.
Instead every word of three letters or more is matched as a prefix, so "farm" finds
"farms" and "farming", and "exploit" finds "exploitation" and "exploités", the same way on
both backends. Shorter words match whole, so that "a" does not match every report.

Only words (letters and digits) ever reach the query, each one quoted, so nothing a user
types can break its syntax.
"""

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, FloatField
from django.db.models.sql.compiler import SQLCompiler

SQL = tuple[str, list]
SQLITE_TABLE = "intelligence_report_search"
REPORT_TABLE = "intelligence_intelligencereport"
# PostgreSQL's stored ``to_tsvector`` of summary and narrative (migration 0006), indexed.
DOCUMENT_COLUMN = "search_document"
TSQUERY = "to_tsquery('simple'::regconfig, %s)"
PREFIX_MIN_LENGTH = 3


class _Search(Expression):
    """An expression for the given search words (letters and digits only)."""

    def __init__(self, terms: list[str]) -> None:
        super().__init__()
        self.terms = terms

    def fts5_query(self) -> str:
        """Every word quoted, the longer ones as prefixes: ``"farm"* "le"`` (all must match)."""
        return " ".join(
            f'"{term}"*' if len(term) >= PREFIX_MIN_LENGTH else f'"{term}"' for term in self.terms
        )

    def tsquery(self) -> str:
        """Every word, the longer ones as prefixes: ``farm:* & le``."""
        return " & ".join(
            f"{term}:*" if len(term) >= PREFIX_MIN_LENGTH else term for term in self.terms
        )

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        raise NotImplementedError(f"No full-text search on {connection.vendor}")


class Matches(_Search):
    """Whether a report's summary or narrative holds every word: ``.filter(Matches(...))``.

    SQLite reads the matching ids from the FTS5 table once (a subquery, rather than a
    MATCH tested report by report); PostgreSQL tests the report's own stored document, so
    that it can start from the GIN index or from another filter's index, whichever the
    statistics say is narrower.
    """

    output_field = BooleanField()

    def __init__(self, terms: list[str]) -> None:
        super().__init__(terms)
        self.columns = [F("pk")]

    def get_source_expressions(self) -> list[Expression]:
        return self.columns

    def set_source_expressions(self, expressions: list[Expression]) -> None:
        self.columns = list(expressions)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        report_id, params = compiler.compile(self.columns[0])
        match = f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s"  # noqa: S608
        return f"{report_id} IN ({match})", [*params, self.fts5_query()]

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        document, params = _document(compiler, connection, self.columns[0])
        return f"{document} @@ {TSQUERY}", [*params, self.tsquery()]


def _document(compiler: SQLCompiler, connection: BaseDatabaseWrapper, pk: Expression) -> SQL:
    """The stored search document of the report whose id ``pk`` compiles to, same alias."""
    report_id, params = compiler.compile(pk)
    table = report_id.rsplit(".", 1)[0]
    return f"{table}.{connection.ops.quote_name(DOCUMENT_COLUMN)}", params


class Relevance(_Search):
    """How well a report matches the words: BM25 on SQLite, ``ts_rank`` on PostgreSQL."""

    output_field = FloatField()

    def __init__(self, terms: list[str]) -> None:
        super().__init__(terms)
        self.columns = [F("pk")]

    def get_source_expressions(self) -> list[Expression]:
        return self.columns

    def set_source_expressions(self, expressions: list[Expression]) -> None:
        self.columns = list(expressions)

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        report_id, params = compiler.compile(self.columns[0])
        # The matches are ranked once, then looked up per report (a correlated MATCH would
        # read the index again for every row). FTS5's rank is BM25 negated: negate it back.
        ranked = (
            "WITH ranked AS MATERIALIZED (SELECT rowid AS id, rank AS score"  # noqa: S608
            f" FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s)"
        )
        lookup = f"SELECT -score FROM ranked WHERE ranked.id = {report_id}"  # noqa: S608
        return f"({ranked} {lookup})", [self.fts5_query(), *params]

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> SQL:
        document, params = _document(compiler, connection, self.columns[0])
        return f"ts_rank({document}, {TSQUERY})", [*params, self.tsquery()]
