"""Load test: 50 users browsing and 10 registering payments, against gunicorn (4 workers).

    python -m bench.load --db postgres --size full --seconds 60

Reuses the data bench.run generated (run it first), starts gunicorn with 4
workers, runs Locust headless for a bounded time and reports p95 and errors
(target: p95 <= 200 ms, zero errors). Writes bench/results/load-<db>-<size>.md.
"""

import argparse
import csv
import os
import subprocess
from pathlib import Path

import sqlalchemy as sa

from bench.run import BIN, PASSWORD, RESULTS, ROOT, SECRET_KEY, Server, api_token, database_url

LOCUSTFILE = """
import os, random, re
from datetime import date
from locust import HttpUser, between, task

DOCUMENTOS = os.environ["LOAD_DOCUMENTOS"].split(",")
VENTAS = os.environ["LOAD_VENTAS"].split(",")
TOKEN = os.environ["LOAD_TOKEN"]
PASSWORD = os.environ["LOAD_PASSWORD"]


class Browsing(HttpUser):
    weight = 5
    wait_time = between(0.5, 1.5)

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


class Paying(HttpUser):
    weight = 1
    wait_time = between(1, 3)

    @task
    def pagar(self):
        body = {"fecha": date.today().isoformat(), "valor": "1000", "id_medio_pago": 2}
        self.client.post(
            "/api/ventas/" + random.choice(VENTAS) + "/pagos",
            json=body,
            name="POST /api/ventas/<id>/pagos",
            headers={"Authorization": "Bearer " + TOKEN},
        )
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--size", default="full")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=60)
    args = parser.parse_args(argv)

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
    }
    server = Server(env, workers=4)
    server.start()
    prefix = RESULTS / f"load-{args.db}-{args.size}"
    try:
        subprocess.run(  # noqa: S603 - our own locust, fixed arguments
            [str(BIN / "locust"), "-f", str(locustfile), "--headless", "-H", server.url]
            + ["-u", str(args.users), "-r", "20", "-t", f"{args.seconds}s"]
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
        f"## Carga: {args.users} usuarios, {args.seconds} s, gunicorn -w 4, {args.db} {args.size}",
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
    print(report.read_text())


if __name__ == "__main__":
    main()
