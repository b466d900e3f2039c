"""Admin lists that stay fast at a million rows: a mixin for Flask-Admin ModelViews.

Stock Flask-Admin runs COUNT(*) of the whole (filtered) table on every page
view and pages with OFFSET over the full joined query. ScaleListMixin:

- counts the unfiltered list exactly when it holds at most 100,000 rows (a
  count capped at 100,001); a longer one at most once a minute, sharing that
  count (admin_app/conteos.py: Redis or the conteos_cache table, never a
  worker's memory); the list then says it is a count from N seconds ago, and
  never shows fewer than the rows on the page;
- counts a searched or filtered list only up to `count_cap` rows ("más de
  10.000"): the index that serves the search reads at most that many entries;
  on PostgreSQL a planner estimate of twice the cap says "más de" uncounted;
- pages with a deferred join: the offset is walked over the sort index alone
  (SELECT pk ... ORDER BY ... LIMIT n OFFSET k, an index-only scan), and only
  the page's rows are then read and joined. Keyset pagination would make
  depth free, but Flask-Admin's pager jumps to any page number and sorts by
  any column; a deferred join keeps both, at a cost per skipped row of one
  index entry (about 1/20 of stock Flask-Admin's);
- exports iterate the query in batches (yield_per) instead of loading it.
"""

from sqlalchemy import ARRAY, cast, func, literal_column, select
from sqlalchemy.orm import joinedload

from ..conteos import LIMITE_EXACTO, contar_compartido


def _miles(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Conteo(int):
    """A row count for the pager that says, when shown, how exact it is."""

    texto: str

    def __new__(cls, value: int, texto: str | None = None):
        obj = super().__new__(cls, value)
        obj.texto = texto or _miles(value)
        return obj

    def __str__(self) -> str:
        return self.texto


class ScaleListMixin:
    count_cache_seconds = 60
    count_cap = 10_000
    exact_count_limit = LIMITE_EXACTO

    def count_key(self) -> str:
        return f"{self.endpoint}:total"

    def _count_up_to(self, count_query, cap: int) -> int:
        rows = count_query.with_entities(literal_column("1")).limit(cap).subquery()
        return self.db_session.scalar(select(func.count()).select_from(rows)) or 0

    def count_total(self, count_query) -> Conteo:
        conteo = contar_compartido(
            self.count_key(),
            count_query.scalar,
            self.count_cache_seconds,
            contar_hasta=lambda cap: self._count_up_to(count_query, cap),
            limite_exacto=self.exact_count_limit,
        )
        if conteo.edad_s is None:
            return Conteo(conteo.valor)
        return Conteo(conteo.valor, f"{_miles(conteo.valor)}, contados hace {conteo.edad_s} s")

    def _estimated_rows(self, count_query) -> float | None:
        """PostgreSQL's planner estimate of the rows a query returns (None elsewhere)."""
        connection = self.db_session.connection()
        if connection.dialect.name != "postgresql":
            return None
        compiled = count_query.with_entities(literal_column("1")).statement.compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        plan = connection.exec_driver_sql(
            f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params
        ).scalar()
        return plan[0]["Plan"]["Plan Rows"]

    def count_narrowed(self, count_query) -> Conteo:
        estimate = self._estimated_rows(count_query)
        if estimate is not None and estimate >= 2 * self.count_cap:
            # A common name ("maria": 57,608 of 1M) is counted up to the cap
            # through a full bitmap of its matches, 13.6 ms on PostgreSQL; the
            # planner's estimate (56,160, planned in 0.7 ms) already says "more
            # than the cap" when it is twice the cap. SQLite's counts are cheap.
            return Conteo(self.count_cap + 1, f"más de {_miles(self.count_cap)}")
        valor = self._count_up_to(count_query, self.count_cap + 1)
        if valor > self.count_cap:
            return Conteo(valor, f"más de {_miles(self.count_cap)}")
        return Conteo(valor)

    @staticmethod
    def _at_least_shown(count: Conteo, page, page_size, shown: int) -> Conteo:
        """An aged count is never below the rows the page shows."""
        minimo = (page or 0) * (page_size or 0) + shown
        if count is None or count >= minimo or not shown:
            return count
        return Conteo(minimo, _miles(minimo))

    def get_list(self, page, sort_column, sort_desc, search, filters, execute=True, page_size=None):
        # Flask-Admin's own get_list, but for how it counts and pages.
        joins: dict = {}
        count_joins: dict = {}
        query = self.get_query()
        count_query = self.get_count_query() if not self.simple_list_pager else None
        narrowed = False
        if self._search_supported and search:
            query, count_query, joins, count_joins = self._apply_search(
                query, count_query, joins, count_joins, search
            )
            narrowed = True
        if filters and self._filters:
            query, count_query, joins, count_joins = self._apply_filters(
                query, count_query, joins, count_joins, filters
            )
            narrowed = True
        count = None
        if count_query is not None and execute:
            count = self.count_narrowed(count_query) if narrowed else self.count_total(count_query)
        for join in self._auto_joins:
            query = query.options(joinedload(join))
        query, joins = self._apply_sorting(query, joins, sort_column, sort_desc)
        query = self._apply_pagination(query, page, page_size)
        if not execute:  # an export: stream it in batches
            return count, query.execution_options(yield_per=1000)
        rows = self._page_rows(query, narrowed)
        size = page_size if page_size is not None else self.page_size
        return self._at_least_shown(count, page, size, len(rows)), rows

    def _page_rows(self, query, narrowed: bool) -> list:
        connection = self.db_session.connection()
        if narrowed or connection.dialect.name != "postgresql":
            return query.all()
        # A whole list's page joins its eager-loaded relations (ventas: 9 tables),
        # and PostgreSQL searched every join order: 5.9 ms of planning for 0.5 ms
        # of execution. The joins are written base table first, each on a key,
        # which is the order to run them in: planned in 0.9 ms. Not for a search
        # or filter: their IN (subquery) must be free to run first (a documento
        # search took 416 ms in written order).
        connection.exec_driver_sql("SET LOCAL join_collapse_limit = 1")
        try:
            return query.all()
        finally:
            connection.exec_driver_sql("RESET join_collapse_limit")

    def _apply_pagination(self, query, page, page_size):
        if page_size is None:
            page_size = self.page_size
        key_columns = self.model.__mapper__.primary_key
        if not page or not page_size or len(key_columns) != 1:
            return super()._apply_pagination(query, page, page_size)
        key = key_columns[0]
        if not query._order_by_clauses:  # pages need an order; the key is the cheapest
            query = query.order_by(key)
        page_keys = query.with_entities(key).limit(page_size).offset(page * page_size).subquery()
        if self.db_session.connection().dialect.name == "postgresql":
            # The page's keys as one array computed first (an InitPlan), then
            # fetched by primary key: the plan cannot join the list to the
            # subquery in another order (see _page_rows). The cast makes
            # PostgreSQL read ANY(...) as an array, not as a subquery.
            keys = cast(select(func.array_agg(page_keys.c[0])).scalar_subquery(), ARRAY(key.type))
            return query.filter(key.op("=")(func.any(keys))).limit(page_size)
        return query.filter(key.in_(select(page_keys.c[0]))).limit(page_size)
