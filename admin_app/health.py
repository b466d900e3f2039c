"""Health checks for load balancers and monitors: unauthenticated, no data.

/healthz: the process answers. /readyz: the database answers (and Redis,
when REDIS_URL is set); 503 otherwise, so a balancer stops sending traffic.
"""

import logging

from flask import Blueprint, current_app
from sqlalchemy import text

from .extensions import db

log = logging.getLogger(__name__)

health_bp = Blueprint("health", __name__)
PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@health_bp.get("/healthz")
def healthz():
    return "ok\n", 200, PLAIN


@health_bp.get("/readyz")
def readyz():
    failed = [name for name, check in (("database", _database), ("redis", _redis)) if not check()]
    if failed:
        return "unavailable: " + ", ".join(failed) + "\n", 503, PLAIN | {"Retry-After": "5"}
    return "ok\n", 200, PLAIN


def _database() -> bool:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # noqa: BLE001
        log.warning("readyz: the database does not answer: %s", exc)
        return False


def _redis() -> bool:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return True
    try:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001
        log.warning("readyz: Redis does not answer: %s", exc)
        return False
