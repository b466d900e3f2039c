"""flask worker: runs the background jobs queued in Redis (REDIS_URL) with RQ."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Termina cuando la cola queda vacía.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Ejecuta los trabajos en segundo plano (importaciones) de la cola en Redis."""
    import redis
    from rq import SimpleWorker

    from ..jobs import cola

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException(
            "Falta REDIS_URL: sin Redis los trabajos corren en el proceso web y no hace "
            "falta este comando."
        )
    connection = redis.Redis.from_url(url)
    # SimpleWorker runs each job in this process, inside this app: no fork that
    # would share the database pool. A job killed with the process is declared
    # failed by its stopped heartbeat and can be retried.
    worker = SimpleWorker([cola(connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=False)
