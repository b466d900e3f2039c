"""flask demo-data: a small realistic data set for trying the back office (`make run`)."""

import click
from flask.cli import with_appcontext

from .carga import load_demo_data

__all__ = ["demo_data_command", "load_demo_data"]


@click.command("demo-data")
@with_appcontext
def demo_data_command() -> None:
    """Carga datos de demostración (una sola vez)."""
    click.echo(load_demo_data())
