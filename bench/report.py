"""Build bench/RESULTS.md (and the README's table) from the runs in bench/results/.

    python -m bench.report

Reads what `bench.run` and `bench.load` wrote (<db>-<size>.json,
load-*.json) and puts each page's 10,000-client and 1,000,000-client figures
side by side, per database, next to the target. Nothing here measures: a
figure missing from bench/results/ shows as "—".
"""

import json
import re

from bench.run import RESULTS, ROOT, SIZES

DATABASES = (("sqlite", "SQLite"), ("postgres", "PostgreSQL"))
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _ms(value) -> str:
    return (
        "—" if value is None else f"{value:.1f}".replace(".0", "") if value >= 100 else str(value)
    )


def _share(row: dict) -> str:
    # The database's share of the server time (SQL / total), from Server-Timing's db;dur.
    share = row.get("db_share")
    return "—" if share is None else f"{share} %"


def _meets(row: dict | None) -> str:
    if row is None or row.get("p50") is None:
        return "—"
    ok = row["p50"] <= row["target_ms"] and row["status"] in ([200], [201])
    return "sí" if ok else "**NO**"


def machine_line(db: str) -> list[str]:
    full = _load(f"{db}-full") or {}
    machine = full.get("machine")
    if not machine:
        return []
    carga = "/".join(str(x) for x in machine["loadavg_1_5_15"])
    return [
        f"{machine['cpus']} cores; load average (1/5/15 min) when the 1M run ended: {carga}.",
        "",
    ]


def pages_table(db: str) -> list[str]:
    small, full = _load(f"{db}-small"), _load(f"{db}-full")
    if not full:
        return [f"No hay resultados de {db} a 1.000.000 clientes."]
    by_name = {row["name"]: row for row in (small or {}).get("pages", [])}
    lines = [
        "| Página | Meta p50 (ms) | 10k p50 | 10k p95 | 1M p50 | 1M p95 | 1M % en BD | Cumple |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in full["pages"]:
        s = by_name.get(row["name"], {})
        lines.append(
            f"| {row['name']} | {row['target_ms']} | {_ms(s.get('p50'))} | {_ms(s.get('p95'))}"
            f" | {_ms(row['p50'])} | {_ms(row['p95'])} | {_share(row)} | {_meets(row)} |"
        )
    return lines


def exports_table(db: str) -> list[str]:
    full = _load(f"{db}-full")
    if not full or not full.get("exports"):
        return [f"Sin exportaciones medidas en {db}."]
    lines = [
        "| Exportación (datos de 1M clientes) | Meta (s) | Tiempo (s)"
        " | Memoria pico del worker (+MB, meta 100) | Tamaño (MB) | Cumple |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in full["exports"]:
        memoria = "sí" if row["peak_growth_mb"] <= 100 and row["status"] == [200] else "**NO**"
        if row["target_ms"]:
            ok = row["ms"] <= row["target_ms"] and memoria == "sí"
            meta, veredicto = f"{row['target_ms'] / 1000:g}", "sí" if ok else "**NO**"
        else:  # beyond the list: only the memory bound applies
            meta, veredicto = "—", f"sin meta de tiempo; memoria: {memoria}"
        lines.append(
            f"| {row['name']} | {meta} | {row['ms'] / 1000:.1f}"
            f" | {row['peak_growth_mb']} | {row['bytes'] / 1e6:.1f} | {veredicto} |"
        )
    return lines


def generation_table() -> list[str]:
    lines = ["| Base | Tamaño | `flask bench-data` (s) | Meta (s) |", "|---|---|---:|---:|"]
    for db, label in DATABASES:
        for size in SIZES:
            data = _load(f"{db}-{size}")
            if data and data.get("generation_s") is not None:
                clientes = f"{SIZES[size]['clientes']:,}".replace(",", ".")
                lines.append(f"| {label} | {clientes} clientes | {data['generation_s']} | 120 |")
    return lines


def load_tables() -> list[str]:
    lines = []
    for path in sorted(RESULTS.glob("load-*.json")):
        data = json.loads(path.read_text())
        think = "-".join(f"{t:g}" for t in data["think_s"])
        lines += [
            f"**{data['users'] - 10} usuarios navegando + 10 registrando pagos**, pausa de"
            f" {think} s entre clics, {data['seconds']} s medidos, gunicorn -w"
            f" {data['workers']}, {data['db']} con 1M clientes:",
            "",
            "| Petición | Peticiones | Errores | p50 (ms) | p95 (ms)"
            " | Cumple (p95 ≤ 200, 0 errores) |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for row in data["rows"]:
            ok = int(row["Failure Count"]) == 0 and float(row["95%"]) <= 200
            name = f"{row['Type']} {row['Name']}".strip()
            veredicto = "sí" if ok else "**NO**"
            if name == "POST /login":  # scrypt, slow on purpose; once per user and day
                veredicto = "fuera de la meta: scrypt, lento a propósito"
            lines.append(
                f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']}"
                f" | {row['95%']} | {veredicto} |"
            )
        lines.append("")
    return lines or ["Sin prueba de carga en bench/results/."]


def summary_table() -> list[str]:
    """The README's table: 1M clientes, both databases, p50 (p95) in ms."""
    runs = {db: _load(f"{db}-full") for db, _ in DATABASES}
    names = [row["name"] for row in (runs["sqlite"] or runs["postgres"] or {}).get("pages", [])]
    lines = [
        "| 1.000.000 clientes | Meta (p50 en ms) | SQLite p50 (p95) | PostgreSQL p50 (p95) |",
        "|---|---:|---:|---:|",
    ]
    for name in names:
        cells, target = [], None
        for db, _ in DATABASES:
            row = next((r for r in (runs[db] or {}).get("pages", []) if r["name"] == name), None)
            target = row["target_ms"] if row else target
            cells.append("—" if row is None else f"{_ms(row['p50'])} ({_ms(row['p95'])})")
        lines.append(f"| {name} | {target} | {cells[0]} | {cells[1]} |")
    export_names = [
        row["name"] for row in (runs["sqlite"] or runs["postgres"] or {}).get("exports", [])
    ]
    for name in export_names:
        cells, target = [], None
        for db, _ in DATABASES:
            row = next((r for r in (runs[db] or {}).get("exports", []) if r["name"] == name), None)
            target = row["target_ms"] if row else target
            cells.append(
                "—" if row is None else f"{row['ms'] / 1000:.1f} s, +{row['peak_growth_mb']} MB"
            )
        meta = f"{target / 1000:g} s" if target else "—"
        lines.append(f"| {name} | {meta} | {cells[0]} | {cells[1]} |")
    for path in sorted(RESULTS.glob("load-*.json")):
        data = json.loads(path.read_text())
        total = next((r for r in data["rows"] if r["Name"] == "Aggregated"), None)
        if total:
            think = "-".join(f"{t:g}" for t in data["think_s"])
            lines.append(
                f"| Carga: {data['users'] - 10} navegando + 10 pagando, clic cada {think} s,"
                f" gunicorn -w {data['workers']} | p95 ≤ 200, 0 errores | |"
                f" p50 {total['50%']}, p95 {total['95%']}, {total['Failure Count']} errores"
                f" en {total['Request Count']} |"
            )
    return lines


def build() -> str:
    parts = [
        "# Benchmark results (issue 7)",
        "",
        "Built by `python -m bench.report` from `bench/results/*.json`, which these commands"
        " write (see the README):",
        "",
        "```",
        "python -m bench.run --db sqlite --size small --regenerate     # 10.000 clientes",
        "python -m bench.run --db sqlite --size full --regenerate      # 1.000.000 clientes",
        "python -m bench.run --db postgres --size small --regenerate",
        "python -m bench.run --db postgres --size full --regenerate",
        "python -m bench.load --db postgres --size full --seconds 60 --think 0.5,1.5",
        "python -m bench.load --db postgres --size full --seconds 60 --think 2,5",
        "python -m bench.report",
        "```",
        "",
        "Times are p50/p95 of the server-side time (the `Server-Timing` header of"
        " admin_app/timing.py) over 20 requests after one warm-up, gunicorn with 2 workers on"
        " 127.0.0.1; 1M = 1.000.000 clientes, 60.000 apartamentos, 120.000 ventas,"
        " ~1.150.000 cuotas, 600.000 pagos, 1.000.000 bitácora entries; 10k = a hundredth"
        " of each. Machine: 2 cores,"
        " 24 GiB, SQLite in WAL mode on local disk, PostgreSQL 15 with its default settings.",
        "",
        "## Data generation",
        "",
        *generation_table(),
        "",
    ]
    for db, label in DATABASES:
        parts += [f"## {label}: pages, 10k vs 1M clientes", "", *machine_line(db)]
        parts += [*pages_table(db), ""]
        parts += [f"### {label}: exports", "", *exports_table(db), ""]
    parts += ["## Load test (PostgreSQL)", "", *load_tables()]
    return "\n".join(parts).rstrip() + "\n"


def update_readme() -> None:
    text = README.read_text()
    table = "\n".join([START, "", *summary_table(), "", END])
    if START in text:
        text = re.sub(rf"{re.escape(START)}.*?{re.escape(END)}", table, text, flags=re.S)
    else:
        text = text.replace("## Architecture", f"{table}\n\n## Architecture", 1)
    README.write_text(text)


def main() -> None:
    (ROOT / "bench" / "RESULTS.md").write_text(build())
    update_readme()
    print((ROOT / "bench" / "RESULTS.md").read_text())


if __name__ == "__main__":
    main()
