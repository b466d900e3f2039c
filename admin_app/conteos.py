"""Row counts of the long lists, counted at most once a minute and shared.

COUNT(*) of a million rows costs 25-50 ms on PostgreSQL, more than the whole
page it would sit on. The admin lists and the API lists count their unfiltered
table through here: the count lives in Redis (REDIS_URL) or, without Redis, in
the conteos_cache table, never in a worker's memory, and whoever shows it says
how old it is.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app

from .extensions import db
from .models import ConteoCache

SEGUNDOS = 60


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
        raw = client.get(f"conteos:{clave}")
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
        client.set(f"conteos:{clave}", json.dumps({"valor": valor, "en": time.time()}), ex=ttl)
        return
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {"clave": clave, "valor": valor, "calculado_en": datetime.now(UTC)}
    stmt = insert(ConteoCache).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=["clave"], set_=values)
    # Its own short transaction: the caller's session stays as it was.
    with db.engine.begin() as connection:
        connection.execute(stmt)


def contar_compartido(
    clave: str, contar: Callable[[], int], segundos: int = SEGUNDOS
) -> ConteoCompartido:
    """The cached count of `clave` if younger than `segundos`, else `contar()` (then cached)."""
    cached = leer_conteo(clave)
    if cached is not None and cached[1] < segundos:
        return ConteoCompartido(cached[0], int(cached[1]))
    valor = contar() or 0
    guardar_conteo(clave, valor, segundos)
    return ConteoCompartido(valor, None)
