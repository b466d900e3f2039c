"""flask commands: users, demo data, daily jobs, backups, benchmark data, the job worker."""

from flask import Flask

from ..demo import demo_data_command
from .api_tokens import api_tokens_cli
from .avisos import avisos_cli
from .backup import backup_cli
from .mantenimiento import mantenimiento_command
from .precios import precios_cli
from .reindexar import reindexar_command
from .separaciones import separaciones_cli
from .usuarios import users_cli
from .verificar import verificar_command
from .worker import worker_command


def init_commands(app: Flask) -> None:
    app.cli.add_command(verificar_command)
    app.cli.add_command(reindexar_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(api_tokens_cli)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(separaciones_cli)
    app.cli.add_command(precios_cli)
    app.cli.add_command(mantenimiento_command)
    app.cli.add_command(avisos_cli)
    bench_data_command = _bench_data_command()
    if bench_data_command is not None:
        app.cli.add_command(bench_data_command)
    app.cli.add_command(worker_command)


def _bench_data_command():
    """flask bench-data lives in bench/data.py, importable from the repository's
    root (where `make bench` and pytest run); a deployment without bench/ lacks it."""
    try:
        from bench.data import bench_data_command
    except ModuleNotFoundError as error:
        if error.name != "bench":
            raise
        return None
    return bench_data_command
