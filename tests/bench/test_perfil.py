"""python -m bench.perfil: where a page's time goes, on the demo data."""

from admin_app.demo import load_demo_data
from bench import perfil


def test_perfil_prints_every_section_for_a_page(app, db, capsys):
    load_demo_data()
    url = app.config["SQLALCHEMY_DATABASE_URI"]

    assert perfil.main(["--database-url", url, "--repeat", "2", "/admin/clientes/"]) == 0

    out = capsys.readouterr().out
    assert "== /admin/clientes/  (HTTP 200, 2 peticiones, rol admin) ==" in out
    for section in (
        "Total por petición: p50",
        "SQL: ",
        "Plantillas Jinja: ",
        "is_accessible: ",
        "url_for: ",
        "Las 15 funciones con más tiempo acumulado",
        "Las 15 funciones con más tiempo propio",
        "flask_admin/model/base.py",
    ):
        assert section in out
