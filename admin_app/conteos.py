"""Row counts of the long lists: exact below 100,000 rows, else shared and aged.

COUNT(*) of a million rows costs 25-50 ms on PostgreSQL, more than the whole
page it would sit on; up to 100,000 rows it costs a few milliseconds. So a
list's total is exact when the list holds at most LIMITE_EXACTO rows (counted
with a cap, `SELECT count(*) FROM (SELECT 1 ... LIMIT 100001)`, which reads
at most that many index entries); only a longer list shows the count shared
by every worker, taken at most once a minute, saying how old it is. The
shared count lives in Redis (REDIS_URL) or, without Redis, in the
conteos_cache table, never in a worker's memory; storing it is a write a read
may skip (database.write_if_possible).
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from redis.exceptions import RedisError

from .database import write_if_possible
from .extensions import db
from .models import ConteoCache

log = logging.getLogger(__name__)

SEGUNDOS = 60
LIMITE_EXACTO = 100_000
# A young shared count this far above the exact limit is trusted without the
# capped count: the list would have to lose over 10,000 rows within the cache's
# minute, and the app deletes at most a page of rows per request.
MARGEN = 1.1


@dataclass(frozen=True)
class ConteoCompartido:
    valor: int
    edad_s: int | None  # None: counted just now


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("redis_conteos")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=0.5)
        current_app.extensions["redis_conteos"] = client
    return client


def leer_conteo(clave: str) -> tuple[int, float] | None:
    """The cached count and its age in seconds, or None."""
    client = _redis()
    if client is not None:
        try:
            raw = client.get(f"conteos:{clave}")
        except RedisError as exc:  # the list is counted instead (readyz reports Redis)
            log.warning("Shared count unavailable: %s", exc)
            return None
        if raw is None:
            return None
        data = json.loads(raw)
        return data["valor"], time.time() - data["en"]
    row = db.session.get(ConteoCache, clave)
    if row is None:
        return None
    return row.valor, (datetime.now(UTC) - row.calculado_en).total_seconds()


def guardar_conteo(clave: str, valor: int, ttl: int = SEGUNDOS) -> None:
    client = _redis()
    if client is not None:
        data = json.dumps({"valor": valor, "en": time.time()})
        try:
            client.set(f"conteos:{clave}", data, ex=ttl)
        except RedisError as exc:
            log.warning("Shared count not stored: %s", exc)
        return
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {"clave": clave, "valor": valor, "calculado_en": datetime.now(UTC)}
    stmt = insert(ConteoCache).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["clave"], set_=values)
    # Its own short transaction, skipped if the database is locked: the
    # caller's session stays as it was, and the page is served all the same.
    write_if_possible(stmt)


def contar_compartido(
    clave: str,
    contar: Callable[[], int],
    segundos: int = SEGUNDOS,
    contar_hasta: Callable[[int], int] | None = None,
    limite_exacto: int | None = None,
) -> ConteoCompartido:
    """The total of the list `clave`: exact (edad_s None) up to `limite_exacto`
    rows, else the shared count if younger than `segundos`, else `contar()`.

    `contar_hasta(n)` counts at most n rows (the cap); without it the cached
    count tells a short list from a long one, and a short one is counted
    exactly by `contar()` every time (a few milliseconds)."""
    limite = LIMITE_EXACTO if limite_exacto is None else limite_exacto
    if contar_hasta is not None:
        cached = leer_conteo(clave)
        if cached is not None and cached[1] < segundos and cached[0] >= MARGEN * limite:
            # The capped count (6.4 ms for 120,000 ventas, 9.7 ms for 1M clientes
            # on PostgreSQL: most of the list page) skipped for the cache's read
            # (0.4 ms).
            return ConteoCompartido(cached[0], int(cached[1]))
        valor = contar_hasta(limite + 1) or 0
        if valor <= limite:
            return ConteoCompartido(valor, None)
    else:
        cached = leer_conteo(clave)
        if cached is None or cached[0] <= limite:
            valor = contar() or 0
            if valor > limite:
                guardar_conteo(clave, valor, segundos)
            return ConteoCompartido(valor, None)
    if cached is not None and cached[1] < segundos and cached[0] > limite:
        return ConteoCompartido(cached[0], int(cached[1]))
    valor = contar() or 0
    guardar_conteo(clave, valor, segundos)
    return ConteoCompartido(valor, None)
