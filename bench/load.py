"""Load test: 50 users browsing and 10 registering payments, against gunicorn (4 workers).

    python -m bench.load --db postgres --size full --seconds 60 [--think 0.5,1.5]

Reuses the data bench.run generated (run it first), starts gunicorn with 4
workers, runs Locust headless for a bounded time and reports p50/p95 and
errors (target: p95 <= 200 ms, zero errors). Writes
bench/results/load-<db>-<size>-<think>.md and .json.

Each simulated user logs in once (scrypt, deliberately slow) while the users
are spawned; the statistics are reset once all of them are in, so the
measured window is people working, not 60 simultaneous logins. `--think` is
the pause between one user's clicks, in seconds: 2-5 s is a clerk reading a
page before the next click; 0.5-1.5 s is a stress run.
"""

import argparse
import csv
import json
import os
import subprocess
from pathlib import Path

import sqlalchemy as sa

from bench.run import BIN, PASSWORD, RESULTS, ROOT, SECRET_KEY, Server, api_token, database_url

LOCUSTFILE = """
import os, random, re
from datetime import date
from locust import FastHttpUser, between, task

DOCUMENTOS = os.environ["LOAD_DOCUMENTOS"].split(",")
VENTAS = os.environ["LOAD_VENTAS"].split(",")
TOKEN = os.environ["LOAD_TOKEN"]
PASSWORD = os.environ["LOAD_PASSWORD"]
THINK = [float(x) for x in os.environ["LOAD_THINK"].split(",")]


class Browsing(FastHttpUser):
    wait_time = between(*THINK)

    def on_start(self):
        html = self.client.get("/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        form = {"username": "bench", "password": PASSWORD, "csrf_token": token}
        self.client.post("/login", data=form)

    @task(4)
    def lista(self):
        self.client.get("/admin/clientes/", name="/admin/clientes/")

    @task(2)
    def buscar(self):
        q = random.choice(["jose", "pérez", "maria"])
        self.client.get("/admin/clientes/?search=" + q, name="/admin/clientes/?search")

    @task(2)
    def detalle(self):
        documento = random.choice(DOCUMENTOS)
        self.client.get("/admin/clientes/details/?id=" + documento, name="/admin/clientes/details/")

    @task(1)
    def ventas(self):
        self.client.get("/admin/ventas/", name="/admin/ventas/")

    @task(1)
    def venta(self):
        venta = random.choice(VENTAS)
        self.client.get("/admin/ventas/details/?id=" + venta, name="/admin/ventas/details/")


class Paying(FastHttpUser):
    fixed_count = 10  # of --users: the rest browse
    wait_time = between(*THINK)

    @task
    def pagar(self):
        body = {"fecha": date.today().isoformat(), "valor": "1000", "id_medio_pago": 2}
        self.client.post(
            "/api/ventas/" + random.choice(VENTAS) + "/pagos",
            json=body,
            name="/api/ventas/<id>/pagos",
            headers={"Authorization": "Bearer " + TOKEN},
        )
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--size", default="full")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=60, help="10 pay, the rest browse")
    parser.add_argument("--think", default="0.5,1.5", help="pause between clicks: min,max seconds")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    think = [float(x) for x in args.think.split(",")]

    env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY=SECRET_KEY)
    env["DATABASE_URL"] = database_url(args.db, args.size)
    engine = sa.create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        # Ventas that still owe money, so that small payments are accepted.
        ventas = conn.execute(
            sa.text(
                "SELECT v.id FROM ventas v WHERE v.estado_operacion = 'vigente'"
                " AND v.tipo_operacion = 'venta' ORDER BY v.id DESC LIMIT 200"
            )
        ).scalars()
        ventas = [str(v) for v in ventas]
        documentos = list(
            conn.execute(sa.text("SELECT documento_cliente FROM ventas LIMIT 200")).scalars()
        )
    engine.dispose()
    RESULTS.mkdir(parents=True, exist_ok=True)
    locustfile = RESULTS / "locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    env |= {
        "LOAD_DOCUMENTOS": ",".join(documentos),
        "LOAD_VENTAS": ",".join(ventas),
        "LOAD_TOKEN": api_token(env) or "",
        "LOAD_PASSWORD": PASSWORD,
        "LOAD_THINK": ",".join(map(str, think)),
    }
    server = Server(env, workers=args.workers)
    server.start()
    prefix = RESULTS / f"load-{args.db}-{args.size}-{think[0]:g}-{think[1]:g}"
    spawn_s = 12  # logins spread over 12 s, then the statistics restart
    try:
        subprocess.run(  # noqa: S603 - our own locust, fixed arguments
            [str(BIN / "locust"), "-f", str(locustfile), "--headless", "-H", server.url]
            + ["-u", str(args.users), "-r", f"{args.users / spawn_s:.2f}"]
            + ["-t", f"{args.seconds + spawn_s}s", "--reset-stats"]
            + ["--csv", str(prefix), "--only-summary"],
            env=env,
            cwd=ROOT,
            check=False,
        )
    finally:
        server.stop()
    with open(f"{prefix}_stats.csv", newline="") as handle:
        stats = list(csv.DictReader(handle))
    lines = [
        f"## Carga: {args.users - 10} usuarios navegando y 10 registrando pagos,"
        f" pausa {think[0]:g}-{think[1]:g} s entre clics, {args.seconds} s medidos,"
        f" gunicorn -w {args.workers}, {args.db} {args.size}",
        "",
        "| Petición | Peticiones | Errores | p50 (ms) | p95 (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in stats:
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']}"
            f" | {row['50%']} | {row['95%']} |"
        )
    report = Path(f"{prefix}.md")
    report.write_text("\n".join(lines) + "\n")
    summary = {
        "db": args.db,
        "size": args.size,
        "users": args.users,
        "think_s": think,
        "seconds": args.seconds,
        "workers": args.workers,
        "rows": stats,
    }
    Path(f"{prefix}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(report.read_text())


if __name__ == "__main__":
    main()
