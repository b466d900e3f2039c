"""flask api-tokens create USERNAME | revoke PREFIJO_OR_ID | list"""

import click
from flask.cli import AppGroup

from ..api.auth import crear_token
from ..extensions import db
from ..formatting import format_datetime
from ..models import ApiToken, Usuario
from ..models.base import utcnow

api_tokens_cli = AppGroup("api-tokens", help="Administrar los tokens de acceso a la API.")


@api_tokens_cli.command("create")
@click.argument("username")
@click.option("--nombre", default="", help="Para qué sistema es el token (ej. sitio web).")
def create_token(username: str, nombre: str) -> None:
    """Crea un token para USERNAME; se muestra una sola vez."""
    usuario = db.session.scalar(db.select(Usuario).where(Usuario.username == username))
    if usuario is None:
        raise click.ClickException(f"No existe el usuario {username}.")
    if not usuario.activo:
        raise click.ClickException(f"El usuario {username} está inactivo.")
    token, secreto = crear_token(usuario, nombre)
    db.session.commit()
    click.echo(f"Token {token.prefijo} creado para {username} (rol {usuario.rol}).")
    click.echo("Guárdelo ahora; no se volverá a mostrar:")
    click.echo(secreto)


def _buscar(prefijo_o_id: str) -> ApiToken:
    tokens = db.session.scalars(
        db.select(ApiToken).where(ApiToken.prefijo == prefijo_o_id).order_by(ApiToken.id)
    ).all()
    if not tokens and prefijo_o_id.isdigit():
        token = db.session.get(ApiToken, int(prefijo_o_id))
        tokens = [token] if token else []
    if not tokens:
        raise click.ClickException(f"No existe un token con prefijo o id {prefijo_o_id}.")
    if len(tokens) > 1:
        ids = ", ".join(str(t.id) for t in tokens)
        raise click.ClickException(f"Varios tokens tienen ese prefijo (ids {ids}); use el id.")
    return tokens[0]


@api_tokens_cli.command("revoke")
@click.argument("prefijo_o_id")
def revoke_token(prefijo_o_id: str) -> None:
    """Revoca un token (por su prefijo o su id); deja de funcionar de inmediato."""
    token = _buscar(prefijo_o_id)
    if token.revoked_at is not None:
        click.echo(f"El token {token.prefijo} ya estaba revocado.")
        return
    token.revoked_at = utcnow()
    db.session.commit()
    click.echo(f"Token {token.prefijo} revocado.")


@api_tokens_cli.command("list")
def list_tokens() -> None:
    """Lista los tokens: id, prefijo, usuario, nombre, último uso y estado."""
    tokens = db.session.scalars(db.select(ApiToken).order_by(ApiToken.id)).all()
    if not tokens:
        click.echo("No hay tokens.")
        return
    for token in tokens:
        estado = "revocado" if token.revoked_at else "activo"
        uso = format_datetime(token.last_used_at) if token.last_used_at else "nunca"
        click.echo(
            f"{token.id}\t{token.prefijo}\t{token.usuario.username}\t{token.nombre or '-'}"
            f"\túltimo uso: {uso}\t{estado}"
        )
