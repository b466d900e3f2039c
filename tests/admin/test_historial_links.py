"""Every details page links to its record's history; bulk state changes are audited."""

from admin_app.models import Bitacora
from tests import factories


def test_venta_details_links_to_its_history(admin_client, db):
    venta = factories.separacion_directa()
    db.session.commit()
    html = admin_client.get(f"/admin/ventas/details/?id={venta.id}").get_data(as_text=True)
    assert f"registro={venta.id}" in html and "Historial" in html


def test_apartamento_details_links_to_its_history(admin_client, db):
    apartamento = factories.apartamento()
    db.session.commit()
    html = admin_client.get(f"/admin/apartamentos/details/?id={apartamento.id}").get_data(
        as_text=True
    )
    assert "Historial" in html and "tabla=apartamentos" in html


def test_blocking_an_apartment_is_in_the_audit_log(admin_client, db):
    from datetime import date

    from admin_app.services.unidades import bloquear

    apartamento = factories.apartamento()
    db.session.commit()
    bloquear(apartamento, "Obra", None, date(2026, 11, 25))
    db.session.commit()
    entradas = db.session.scalars(
        db.select(Bitacora).where(
            Bitacora.tabla == "apartamentos", Bitacora.registro == str(apartamento.id)
        )
    ).all()
    assert any(e.cambios.get("id_estado_inmueble") == [1, 4] for e in entradas)
