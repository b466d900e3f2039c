"""Settings from the environment (and a local .env, read by python-dotenv)."""

import os
from datetime import timedelta

# The business's time zone: dates shown, "today", cron. Set here only.
TIME_ZONE = "America/Bogota"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"Falta la variable de entorno {name}. Copie .env.example a .env y complétela."
        )
    return value


class Config:
    """Production-safe defaults; every value can be overridden by the environment."""

    def __init__(self) -> None:
        self.SECRET_KEY = _required("SECRET_KEY")
        # None means the SQLite file in the instance folder (decided in create_app).
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or None
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.DEBUG = _bool("FLASK_DEBUG")
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
        self.TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or None
        self.PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
        self.BACKUP_DIR = os.environ.get("BACKUP_DIR") or None
        # How long a write waits for another writer's lock before the user is
        # told the database is busy (503): SQLite's busy timeout, PostgreSQL's lock_timeout.
        self.SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000"))
        self.DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "15000"))
        self.DATABASE_CONNECT_TIMEOUT_S = int(os.environ.get("DATABASE_CONNECT_TIMEOUT_S", "5"))
        # Printed on receipts and estados de cuenta.
        self.EMPRESA_NOMBRE = os.environ.get("EMPRESA_NOMBRE", "")
        self.EMPRESA_NIT = os.environ.get("EMPRESA_NIT", "")
        # Email notices (admin_app/avisos): without MAIL_SERVER they wait in the outbox.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
        self.MAIL_USE_SSL = _bool("MAIL_USE_SSL")
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_REMITENTE = os.environ.get("MAIL_REMITENTE") or "no-responder@localhost"
        self.MAIL_NOMBRE_REMITENTE = os.environ.get("MAIL_NOMBRE_REMITENTE", "")
        self.MAIL_TIMEOUT_S = float(os.environ.get("MAIL_TIMEOUT_S", "10"))
        # Who gets the weekly cartera summary (comma-separated addresses).
        self.AVISOS_GERENCIA = _list("AVISOS_GERENCIA")
        self.AVISOS_DIAS_CUOTA = int(os.environ.get("AVISOS_DIAS_CUOTA", "5"))
        self.AVISOS_DIAS_SEPARACION = int(os.environ.get("AVISOS_DIAS_SEPARACION", "3"))

    TESTING = False
    # Completed per backend by admin_app.database.configure_engine.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "backoffice_session"
    # Absolute lifetime; the idle limit is checked against the server-side session row.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
    SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    REMEMBER_COOKIE_DURATION = timedelta(0)

    # Login throttling: after this many failures a username is locked for a while.
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_TIME = timedelta(minutes=15)

    WTF_CSRF_TIME_LIMIT = None  # the session's own limits bound the token
    BABEL_DEFAULT_LOCALE = "es"
    BABEL_DEFAULT_TIMEZONE = TIME_ZONE
    FLASK_ADMIN_SWATCH = "default"
    FLASK_ADMIN_FLUID_LAYOUT = True
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # imports are spreadsheets, not archives

    # Background jobs (admin_app.jobs): on RQ when REDIS_URL is set, else in a thread.
    JOBS_INLINE = False  # run at once inside the request (tests only)
    JOBS_QUEUE = "backoffice"
    JOBS_TIMEOUT_SECONDS = 3600
    JOBS_HEARTBEAT_SECONDS = 10
    JOBS_STALE_SECONDS = 60  # no heartbeat for this long: the job's process died


class TestConfig(Config):
    def __init__(self, database_url: str | None = None) -> None:
        os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
        super().__init__()
        self.SQLALCHEMY_DATABASE_URI = database_url or os.environ.get(
            "TEST_DATABASE_URL", "sqlite://"
        )
        self.TRUSTED_HOSTS = None
        self.MAIL_SERVER = None  # a test that sends starts its own SMTP server

    TESTING = True
    LOGIN_LOCK_TIME = timedelta(minutes=15)
    JOBS_INLINE = True
