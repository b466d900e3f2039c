"""`make run`'s setup: a local .env, the schema, a first admin, demo data.

Run as `python -m admin_app.bootstrap`; every step is safe to repeat.
"""

import secrets
from pathlib import Path

ENV_FILE = Path(".env")


def ensure_env_file() -> None:
    if ENV_FILE.exists():
        return
    example = Path(".env.example").read_text(encoding="utf-8")
    key = secrets.token_urlsafe(48)
    ENV_FILE.write_text(example.replace("SECRET_KEY=", f"SECRET_KEY={key}", 1), encoding="utf-8")
    print("Se creó .env con una SECRET_KEY aleatoria.")


def main() -> None:
    ensure_env_file()

    import flask_migrate

    from . import create_app
    from .demo import load_demo_data
    from .extensions import db
    from .models import Cliente
    from .services.usuarios import crear_admin_inicial

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        login = crear_admin_inicial()
        db.session.commit()
        if db.session.scalar(db.select(db.func.count()).select_from(Cliente)) == 0:
            print(load_demo_data())
    print()
    print("Back office listo en http://127.0.0.1:5000/admin/")
    if login:
        print(f"Usuario: {login[0]}   Contraseña: {login[1]}   (se muestra una sola vez)")
    else:
        print("Ingrese con el usuario que ya tenía.")
    print()


if __name__ == "__main__":
    main()
