"""flask reindexar: nombre_busqueda (what client search reads) recomputed from nombre."""

import sys

import click
from flask.cli import with_appcontext


@click.command("reindexar")
@click.option(
    "--revisar", is_flag=True, help="Solo cuenta los clientes desajustados; sale con 1 si hay."
)
@click.option("--fts", is_flag=True, help="SQLite: reconstruye además el índice de texto (FTS5).")
@with_appcontext
def reindexar_command(revisar: bool, fts: bool) -> None:
    """Pone al día la búsqueda de clientes tras escribir nombres por SQL directo."""
    from ..search import reconstruir_indice_sqlite, reindexar_nombres

    desajustados = reindexar_nombres(solo_revisar=revisar)
    if revisar:
        click.echo(f"{desajustados} clientes con el nombre de búsqueda desactualizado.")
        if desajustados:
            sys.exit(1)
        return
    click.echo(f"{desajustados} clientes reindexados.")
    if fts and reconstruir_indice_sqlite():
        click.echo("Índice de texto (FTS5) reconstruido.")
