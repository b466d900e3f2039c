"""Bulk actions find the right clients for any stored key, "." and "," included."""

import csv
import io
import re

from admin_app.models import Cliente
from tests import factories

RAROS = ["AB.12,3", "AB12", "AB", "3", "X..Y", "1,2"]


def _crear_raros(db):
    for documento in RAROS:
        factories.cliente(documento, id_tipo_documento=5)
    db.session.commit()


def _checkbox_values(client) -> list[str]:
    html = client.get("/admin/clientes/?page_size=50").get_data(as_text=True)
    values = re.findall(r'name="rowid" class="action-checkbox" value="([^"]+)"', html)
    return [v.replace("&#34;", '"').replace("&amp;", "&") for v in values]


def _value_for(client, documento: str) -> str:
    """The checkbox a user ticks for `documento` (its escaped form, as the list renders it)."""
    escaped = documento.replace(".", "..").replace(",", ".,")
    assert escaped in _checkbox_values(client)
    return escaped


def test_bulk_delete_deletes_exactly_the_ticked_keys(admin_client, db):
    _crear_raros(db)
    ticked = [_value_for(admin_client, d) for d in ("AB.12,3", "X..Y")]
    response = admin_client.post(
        "/admin/clientes/action/", data={"action": "delete", "rowid": ticked}
    )
    assert response.status_code == 302
    assert sorted(db.session.scalars(db.select(Cliente.documento))) == sorted(
        ["AB12", "AB", "3", "1,2"]
    )


def test_bulk_delete_of_a_comma_key(admin_client, db):
    _crear_raros(db)
    admin_client.post(
        "/admin/clientes/action/",
        data={"action": "delete", "rowid": [_value_for(admin_client, "1,2")]},
    )
    assert "1,2" not in db.session.scalars(db.select(Cliente.documento)).all()
    assert len(db.session.scalars(db.select(Cliente.documento)).all()) == len(RAROS) - 1


def test_custom_action_receives_the_right_clients(digitador_client, db):
    _crear_raros(db)
    ticked = [_value_for(digitador_client, d) for d in ("AB.12,3", "1,2", "AB")]
    response = digitador_client.post(
        "/admin/clientes/action/",
        data={"action": "exportar_seleccion", "rowid": ticked},
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted(row[0] for row in rows[1:]) == ["1,2", "AB", "AB.12,3"]


def test_details_show_the_client_of_the_escaped_key(admin_client, db):
    _crear_raros(db)
    html = admin_client.get("/admin/clientes/details/?id=AB..12.,3").get_data(as_text=True)
    assert re.search(r"<b>Documento</b>\s*</td>\s*<td>\s*AB.12,3\s*</td>", html)


def test_an_unescaped_key_is_not_found_rather_than_an_error(admin_client, db):
    _crear_raros(db)
    response = admin_client.get("/admin/clientes/details/?id=AB.12,3")
    assert response.status_code == 302


def test_single_delete_uses_the_exact_key(admin_client, db):
    _crear_raros(db)
    admin_client.post(
        "/admin/clientes/delete/", data={"id": "AB.12,3".replace(".", "..").replace(",", ".,")}
    )
    assert "AB.12,3" not in db.session.scalars(db.select(Cliente.documento)).all()
    assert "AB12" in db.session.scalars(db.select(Cliente.documento)).all()
