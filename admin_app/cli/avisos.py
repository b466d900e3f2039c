"""flask avisos: send the outbox, queue the day's reminders, queue the weekly summary."""

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from ..formatting import format_date, today_bogota

avisos_cli = AppGroup("avisos", help="Avisos por correo (bandeja de salida).")
FECHA = click.option(
    "--fecha",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Día de referencia AAAA-MM-DD (por defecto, hoy en Bogotá).",
)


@avisos_cli.command("enviar")
@click.option("--limite", type=int, default=None, help="Cuántos avisos como máximo.")
def enviar(limite: int | None) -> None:
    """Envía los avisos pendientes cuyo momento llegó (para cron, cada pocos minutos)."""
    from ..avisos.envio import enviar_pendientes

    if not current_app.config.get("MAIL_SERVER"):
        raise click.ClickException("Falta MAIL_SERVER: los avisos siguen en la bandeja.")
    enviados, fallidos = enviar_pendientes(limite)
    click.echo(f"{enviados} avisos enviados, {fallidos} fallidos (se reintentarán).")


@avisos_cli.command("recordatorios")
@FECHA
def recordatorios(fecha: datetime | None) -> None:
    """Encola los recordatorios del día: cuotas y separaciones que vencen pronto."""
    from ..avisos.cola import encolar_recordatorios

    hoy = fecha.date() if fecha else today_bogota()
    nuevos = encolar_recordatorios(
        hoy,
        dias_cuota=current_app.config["AVISOS_DIAS_CUOTA"],
        dias_separacion=current_app.config["AVISOS_DIAS_SEPARACION"],
    )
    db.session.commit()
    click.echo(f"{nuevos} recordatorios encolados el {format_date(hoy)}.")


@avisos_cli.command("resumen")
@FECHA
def resumen(fecha: datetime | None) -> None:
    """Encola el resumen semanal de cartera para la gerencia (AVISOS_GERENCIA)."""
    from ..avisos.cola import encolar_resumen_cartera

    hoy = fecha.date() if fecha else today_bogota()
    nuevos = encolar_resumen_cartera(hoy)
    db.session.commit()
    click.echo(f"{nuevos} resúmenes de cartera encolados.")
