"""Server-Timing: the app's time and the database's share of it."""

import re

from bench.run import _db_share, _server_ms


def test_a_page_says_its_time_and_the_database_part_of_it(admin_client):
    header = admin_client.get("/admin/clientes/").headers["Server-Timing"]

    app_ms, db_ms = (
        float(re.search(rf"\b{name};dur=([\d.]+)", header).group(1)) for name in ("app", "db")
    )
    assert 0 < db_ms <= app_ms


class _Response:
    def __init__(self, header: str) -> None:
        self.headers = {"Server-Timing": header}


def test_the_bench_reads_both_durations_and_the_database_share():
    response = _Response("app;dur=12.5, db;dur=2.5")

    assert _server_ms(response) == 12.5
    assert _server_ms(response, "db") == 2.5
    assert _db_share([10.0, 10.0], [1.0, 3.0]) == 20
    assert _db_share([10.0], []) is None
