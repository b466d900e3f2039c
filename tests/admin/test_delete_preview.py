"""Before deleting, the admin sees what would go with the record or what blocks it."""

from datetime import date
from decimal import Decimal

from admin_app.models import Cuota, Proyecto
from tests import factories


def test_the_list_delete_button_opens_the_preview(admin_client, db):
    proyecto = factories.proyecto()
    db.session.commit()

    html = admin_client.get("/admin/proyectos/").get_data(as_text=True)

    assert f"/admin/proyectos/delete/confirm/?id={proyecto.id}" in html


def test_a_cliente_with_operations_shows_why_it_cannot_be_deleted(admin_client, db):
    cliente = factories.cliente(documento="1020304050")
    for _ in range(3):
        factories.separacion_directa(cliente_obj=cliente)
    db.session.commit()

    html = admin_client.get("/admin/clientes/delete/confirm/?id=1020304050").get_data(as_text=True)

    assert "No se puede eliminar" in html
    assert "tiene 3 ventas o separaciones" in html
    assert "Eliminar definitivamente" not in html


def test_a_torre_with_apartamentos_is_blocked_with_the_count(admin_client, db):
    torre = factories.torre()
    factories.apartamento(torre_obj=torre)
    factories.apartamento(torre_obj=torre)
    db.session.commit()

    html = admin_client.get(f"/admin/torres/delete/confirm/?id={torre.id}").get_data(as_text=True)

    assert "tiene 2 apartamentos" in html


def test_a_venta_shows_the_cuotas_its_delete_would_remove(admin_client, db):
    venta = factories.separacion_directa()
    for numero in (1, 2):
        db.session.add(
            Cuota(
                venta=venta,
                numero=numero,
                concepto="Cuota inicial",
                fecha_vencimiento=date(2026, 12, numero),
                valor=Decimal("100.00"),
                capital=Decimal("100.00"),
                saldo=Decimal("0.00"),
            )
        )
    db.session.commit()

    html = admin_client.get(f"/admin/ventas/delete/confirm/?id={venta.id}").get_data(as_text=True)

    assert "se eliminarán 2 cuotas del plan de pagos" in html


def test_a_free_record_can_be_deleted_from_the_preview(admin_client, db):
    proyecto = factories.proyecto(nombre="Proyecto sin torres")
    db.session.commit()
    proyecto_id = proyecto.id

    html = admin_client.get(f"/admin/proyectos/delete/confirm/?id={proyecto_id}").get_data(
        as_text=True
    )
    assert "no tiene registros relacionados" in html
    response = admin_client.post(
        "/admin/proyectos/delete/", data={"id": str(proyecto_id), "url": "/admin/proyectos/"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proyecto, proyecto_id) is None


def test_a_digitador_cannot_open_the_delete_preview(digitador_client, db):
    cliente = factories.cliente()
    db.session.commit()

    response = digitador_client.get(f"/admin/clientes/delete/confirm/?id={cliente.documento}")

    assert response.status_code == 403
