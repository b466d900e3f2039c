"""flask precios recalcular: the daily repricing (date steps, missed repricings)."""

from datetime import datetime

import click
from flask.cli import AppGroup

from ..extensions import db
from ..formatting import format_date, today_bogota

precios_cli = AppGroup("precios", help="Tareas sobre los precios de los apartamentos.")


@precios_cli.command("recalcular")
@click.option(
    "--fecha",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Día de referencia AAAA-MM-DD (por defecto, hoy en Bogotá).",
)
def recalcular(fecha: datetime | None) -> None:
    """Recalcula el precio de los apartamentos disponibles de cada proyecto; idempotente."""
    from ..services.precios import recalcular_todos

    hoy = fecha.date() if fecha else today_bogota()
    resultado = recalcular_todos(hoy)
    db.session.commit()
    total = sum(resultado.values())
    click.echo(f"{total} precios cambiaron al {format_date(hoy)} en {len(resultado)} proyectos.")
