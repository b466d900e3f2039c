"""flask commands: users, demo data, daily jobs, backups, benchmark data."""

from flask import Flask

from .api_tokens import api_tokens_cli
from .backup import backup_cli
from .bench_data import bench_data_command
from .demo import demo_data_command
from .reindexar import reindexar_command
from .separaciones import separaciones_cli
from .usuarios import users_cli
from .verificar import verificar_command


def init_commands(app: Flask) -> None:
    app.cli.add_command(verificar_command)
    app.cli.add_command(reindexar_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(api_tokens_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(separaciones_cli)
    app.cli.add_command(bench_data_command)
