"""flask commands: users, demo data, daily jobs, backups, benchmark data."""

from flask import Flask

from .demo import demo_data_command
from .separaciones import separaciones_cli
from .usuarios import users_cli


def init_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(separaciones_cli)
