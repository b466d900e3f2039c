"""flask mantenimiento: the periodic clean-up (the login log is kept one year)."""

import click
from flask.cli import with_appcontext

from ..extensions import db


@click.command("mantenimiento")
@with_appcontext
def mantenimiento_command() -> None:
    """Borra los registros de acceso de más de un año."""
    from ..auth.accesos import podar_accesos

    borrados = podar_accesos()
    db.session.commit()
    click.echo(f"{borrados} registros de acceso de más de un año borrados.")
