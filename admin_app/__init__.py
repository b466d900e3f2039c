"""The back office of an apartment sales business: create_app() wires it up."""

import os

from dotenv import load_dotenv
from flask import Flask
from jinja2.bccache import Bucket, BytecodeCache

from .config import Config
from .database import configure_engine
from .timing import init_timing


def create_app(config: Config | None = None) -> Flask:
    load_dotenv()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or Config())
    configure_database_url(app)
    configure_engine(app)

    init_timing(app)
    register_extensions(app)
    register_database_events(app)
    register_security(app)
    register_blueprints(app)
    register_admin(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure_database_url(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "backoffice.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"


def register_extensions(app: Flask) -> None:
    from .extensions import babel, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(app.root_path, "..", "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "es")  # time zone: BABEL_DEFAULT_TIMEZONE


def register_database_events(app: Flask) -> None:
    from .audit import install_audit
    from .avisos.cola import install_avisos
    from .database import install_sqlite_pragmas

    install_sqlite_pragmas()
    install_audit()  # the bitacora: every flush logs its changes in the same transaction
    install_avisos()  # notices queued in a transaction are sent after its commit


def register_security(app: Flask) -> None:
    from .auth import init_auth
    from .entradas import init_input_guards
    from .security import init_security

    init_security(app)
    init_input_guards(app)
    init_auth(app)


def register_blueprints(app: Flask) -> None:
    from .api import init_api
    from .auth.views import auth_bp
    from .health import health_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(auth_bp)
    init_api(app)


def register_admin(app: Flask) -> None:
    from .admin import init_admin

    init_admin(app)


def register_error_handlers(app: Flask) -> None:
    from .errors import init_error_handlers

    init_error_handlers(app)


def register_template_helpers(app: Flask) -> None:
    from .formatting import init_formatting

    init_formatting(app)
    # Compiled templates, shared by the apps of one process (keyed by the
    # source's checksum): a new app or worker skips Jinja's compiler.
    app.jinja_env.bytecode_cache = TEMPLATE_BYTECODE


class _MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_BYTECODE = _MemoryBytecodeCache()


def register_commands(app: Flask) -> None:
    from .cli import init_commands

    init_commands(app)
