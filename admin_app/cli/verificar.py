"""flask verificar: the money invariants of the data as it is (after restoring a backup too)."""

import sys
from itertools import groupby

import click
from flask.cli import with_appcontext


@click.command("verificar")
@click.option(
    "--limite",
    default=100,
    show_default=True,
    help="Cuántas violaciones mostrar por regla (se cuentan todas).",
)
@with_appcontext
def verificar_command(limite: int) -> None:
    """Verifica pagos, cuotas, planes y apartamentos; sale con código 1 si algo no cuadra."""
    from ..services.verificacion import operaciones_revisadas, verificar

    total = 0
    for regla, violaciones in groupby(verificar(), key=lambda v: v.regla):
        cuantas = 0
        for violacion in violaciones:
            cuantas += 1
            if cuantas <= limite:
                click.echo(str(violacion))
        if cuantas > limite:
            click.echo(f"... y {cuantas - limite} más de la regla {regla}.")
        total += cuantas
    revisadas = operaciones_revisadas()
    if total:
        click.echo(f"{total} violaciones en {revisadas} operaciones revisadas.", err=True)
        sys.exit(1)
    click.echo(f"Sin violaciones: {revisadas} operaciones revisadas.")
