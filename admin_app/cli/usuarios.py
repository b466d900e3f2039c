"""flask users create USERNAME --role admin"""

import os

import click
from flask.cli import AppGroup

from ..extensions import db
from ..models import Rol, Usuario
from ..services import asesores, usuarios
from ..services.errors import ValidationFailed

users_cli = AppGroup("users", help="Administrar usuarios del back office.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", "rol", type=click.Choice(Rol.ALL), default=Rol.DIGITADOR, show_default=True)
@click.option("--name", "nombre", default=None, help="Nombre completo (por defecto, el usuario).")
@click.option(
    "--director",
    default=None,
    help="Usuario del director comercial que lidera a este asesor.",
)
@click.option(
    "--password",
    default=None,
    help="Contraseña (o la variable BACKOFFICE_PASSWORD); si falta, se pregunta.",
)
def create_user(
    username: str, rol: str, nombre: str | None, director: str | None, password: str | None
) -> None:
    """Crea un usuario."""
    password = password or os.environ.get("BACKOFFICE_PASSWORD")
    if not password:
        password = click.prompt("Contraseña", hide_input=True, confirmation_prompt=True)
    try:
        usuario = usuarios.crear_usuario(username, password, rol=rol, nombre_completo=nombre)
        if director:
            asesores.asignar_director(usuario, asesores.director_por_nombre(director).id)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        raise click.ClickException(
            " ".join(m for mensajes in exc.errors.values() for m in mensajes)
        ) from None
    lider = f", director {director}" if director else ""
    click.echo(f"Usuario {username} creado con rol {rol}{lider}.")


@users_cli.command("count")
def count_users() -> None:
    """Imprime cuántos usuarios hay (make run lo usa para crear el primero)."""
    click.echo(db.session.scalar(db.select(db.func.count(Usuario.id))))
