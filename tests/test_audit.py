"""The bitacora: every path that changes data leaves an entry, in the same transaction."""

from decimal import Decimal

import pytest
from flask import g

from admin_app.audit import current_actor
from admin_app.extensions import db
from admin_app.models import Bitacora, Cliente, MedioPago, Pago, Proyecto, Usuario
from tests import factories
from tests.conftest import PASSWORD


def entries(tabla: str | None = None) -> list[Bitacora]:
    query = db.select(Bitacora).order_by(Bitacora.id)
    if tabla:
        query = query.where(Bitacora.tabla == tabla)
    return list(db.session.scalars(query))


def test_creating_a_cliente_logs_every_value(db):
    factories.cliente(documento="1020304050", nombre="Ana Gómez", telefono="3001234567")
    db.session.commit()

    (entry,) = entries("clientes")
    assert (entry.accion, entry.registro) == ("crear", "1020304050")
    assert entry.cambios["nombre"] == [None, "Ana Gómez"]
    assert entry.cambios["telefono"] == [None, "3001234567"]
    assert entry.cambios["id_tipo_documento"] == [None, 1]
    assert "nombre_busqueda" not in entry.cambios and "created_at" not in entry.cambios


def test_updating_logs_only_the_changed_columns_with_old_and_new_values(db):
    cliente = factories.cliente(documento="1020304050", nombre="Ana Gómez")
    db.session.commit()

    cliente.nombre = "Ana María Gómez"  # the object is expired after the commit
    cliente.correo = "ana@example.com"
    db.session.commit()

    entry = entries("clientes")[-1]
    assert entry.accion == "actualizar"
    assert entry.cambios == {
        "nombre": ["Ana Gómez", "Ana María Gómez"],
        "correo": [None, "ana@example.com"],
        "version": [1, 2],
    }


def test_money_and_dates_are_logged_as_text(db):
    venta = factories.separacion_directa()
    db.session.commit()

    venta.valor_total = Decimal("260000000.50")
    db.session.commit()

    entry = entries("ventas")[-1]
    assert entry.cambios["valor_total"] == ["250000000.00", "260000000.50"]
    assert entries("ventas")[0].cambios["fecha"] == [None, "2026-11-25"]


def test_deleting_logs_the_values_the_record_had(db):
    medio = MedioPago(id=99, nombre="Criptomonedas")
    db.session.add(medio)
    db.session.commit()
    medio_id = medio.id

    db.session.delete(medio)
    db.session.commit()

    entry = entries("medios_pago")[-1]
    assert (entry.accion, entry.registro) == ("eliminar", str(medio_id))
    assert entry.cambios["nombre"] == ["Criptomonedas", None]


def test_saving_without_changes_logs_nothing(db):
    cliente = factories.cliente(nombre="Ana Gómez")
    db.session.commit()
    before = len(entries())

    cliente.nombre = "Ana Gómez"
    db.session.commit()

    assert len(entries()) == before


def test_a_rolled_back_change_leaves_no_entry(db):
    factories.cliente(documento="555666777")  # flushed: the entry is written...
    assert entries("clientes")

    db.session.rollback()  # ...and goes away with the change

    assert entries("clientes") == []
    assert db.session.get(Cliente, "555666777") is None


@pytest.mark.parametrize("tabla", ["cuotas", "pagos_cuotas", "sesiones"])
def test_derived_and_security_tables_are_not_logged(db, tabla):
    factories.separacion_directa()
    db.session.commit()

    assert entries(tabla) == []


def test_password_hashes_are_never_logged(db):
    usuario = Usuario(
        username="maria", nombre_completo="María", rol="admin", password_hash="secreto-hash"
    )
    db.session.add(usuario)
    db.session.commit()
    usuario.password_hash = "otro-hash"
    usuario.nombre_completo = "María Pérez"
    db.session.commit()

    logged = [entry.cambios for entry in entries("usuarios")]
    assert logged and all("password_hash" not in cambios for cambios in logged)
    assert "secreto-hash" not in str(logged) and "otro-hash" not in str(logged)


def test_a_service_call_outside_a_request_is_logged_as_sistema(db):
    factories.proyecto(nombre="Reserva del Río")
    db.session.commit()

    (entry,) = entries("proyectos")
    assert (entry.actor, entry.origen) == ("sistema", "sistema")


def test_the_api_actor_set_on_g_is_honoured(app, db):
    proyecto = factories.proyecto(nombre="Reserva del Río")
    db.session.commit()

    with app.app_context(), app.test_request_context("/api/proyectos/1", method="PUT"):
        g.actor, g.origen = "token:ab12cd34", "api"
        api_proyecto = db.session.get(Proyecto, proyecto.id)
        api_proyecto.ciudad = "Envigado"
        db.session.commit()
        db.session.remove()

    entry = entries("proyectos")[-1]
    assert (entry.actor, entry.origen, entry.accion) == ("token:ab12cd34", "api", "actualizar")
    assert entry.cambios["ciudad"] == ["Medellín", "Envigado"]


def test_an_admin_page_logs_the_logged_in_user_and_never_the_password(admin_client, db):
    response = admin_client.post(
        "/admin/usuarios/new/",
        data={
            "username": "lucia",
            "nombre_completo": "Lucía Restrepo",
            "rol": "digitador",
            "activo": "y",
            "nueva_contrasena": PASSWORD,
        },
    )
    assert response.status_code == 302

    entry = entries("usuarios")[-1]
    assert (entry.actor, entry.origen, entry.accion) == ("admin", "admin", "crear")
    assert entry.cambios["username"] == [None, "lucia"]
    assert "password_hash" not in entry.cambios and "nueva_contrasena" not in entry.cambios


def test_an_admin_edit_logs_the_diff(admin_client, db):
    medio = db.session.scalar(db.select(MedioPago).where(MedioPago.nombre == "Cheque"))

    admin_client.post(
        f"/admin/medios_pago/edit/?id={medio.id}", data={"nombre": "Cheque de gerencia"}
    )

    entry = entries("medios_pago")[-1]
    assert (entry.actor, entry.accion, entry.registro) == ("admin", "actualizar", str(medio.id))
    assert entry.cambios["nombre"] == ["Cheque", "Cheque de gerencia"]


def test_a_command_logs_its_name_and_never_the_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "carlos", "--role", "digitador", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output

    (entry,) = entries("usuarios")
    assert (entry.actor, entry.origen) == ("comando:users create", "comando")
    assert entry.cambios["username"] == [None, "carlos"]
    assert "password_hash" not in entry.cambios


def test_outside_any_request_or_command_the_actor_is_sistema(app):
    with app.app_context():
        assert current_actor() == ("sistema", "sistema")


def test_bitacora_entries_cannot_be_edited_through_the_session(db):
    factories.cliente()
    db.session.commit()
    entry = entries()[0]

    entry.actor = "otro"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def test_a_pago_change_is_logged(db):
    venta = factories.separacion_directa()
    pago = Pago(venta=venta, fecha=venta.fecha, valor=Decimal("5000000.00"), id_medio_pago=1)
    db.session.add(pago)
    db.session.commit()

    (entry,) = entries("pagos")
    assert entry.cambios["valor"] == [None, "5000000.00"]
    assert entry.registro == str(pago.id)
