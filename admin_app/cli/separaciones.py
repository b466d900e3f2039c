"""flask separaciones caducar: the daily job that lapses expired separations and
lifts the blocks of units whose `hasta` has passed."""

from datetime import datetime

import click
from flask.cli import AppGroup

from ..extensions import db
from ..formatting import format_date, today_bogota

separaciones_cli = AppGroup("separaciones", help="Tareas sobre las separaciones.")


@separaciones_cli.command("caducar")
@click.option(
    "--fecha",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Día de referencia AAAA-MM-DD (por defecto, hoy en Bogotá).",
)
def caducar(fecha: datetime | None) -> None:
    """Caduca las separaciones vigentes cuya fecha límite ya pasó y libera sus unidades;
    levanta los bloqueos cuya fecha hasta ya pasó."""
    from ..services.unidades import levantar_bloqueos_vencidos
    from ..services.ventas import caducar_separaciones

    hoy = fecha.date() if fecha else today_bogota()
    caducadas = caducar_separaciones(hoy)
    desbloqueadas = levantar_bloqueos_vencidos(hoy)
    db.session.commit()
    click.echo(f"{len(caducadas)} separaciones caducadas al {format_date(hoy)}.")
    click.echo(f"{desbloqueadas} unidades desbloqueadas (bloqueo vencido).")
