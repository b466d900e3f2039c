"""flask demo-data: a small realistic data set for trying the back office."""

import click
from flask.cli import with_appcontext


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Carga datos de demostración (una sola vez)."""
    from ..demo import load_demo_data

    created = load_demo_data()
    click.echo(created)
