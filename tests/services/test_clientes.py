"""The clientes service: one validation for admin and API, safe deletes, concurrent duplicates."""

import threading

import pytest
from sqlalchemy.exc import IntegrityError

from admin_app.extensions import db as _db
from admin_app.integrity import describe_integrity_error
from admin_app.models import Cliente
from admin_app.services import clientes as servicio
from admin_app.services.errors import Conflict, ValidationFailed
from tests import factories


def _datos(**overrides) -> dict:
    datos = {
        "documento": "900.123.456-8",
        "nombre": "  Constructora Andina S.A.S. ",
        "id_tipo_cliente": 2,
        "id_tipo_documento": 2,
        "direccion": "",
        "telefono": " 604 444 5555 ",
        "correo": "Ventas@EXAMPLE.com",
    }
    datos.update(overrides)
    return datos


def test_valid_data_comes_back_normalized(db):
    assert servicio.validar_datos_cliente(_datos()) == {
        "documento": "900123456-8",
        "nombre": "Constructora Andina S.A.S.",
        "id_tipo_cliente": 2,
        "id_tipo_documento": 2,
        "direccion": None,
        "telefono": "604 444 5555",
        "correo": "Ventas@example.com",
    }


def test_every_failing_field_is_reported_at_once(db):
    with pytest.raises(ValidationFailed) as caught:
        servicio.validar_datos_cliente(
            _datos(
                documento="900123456-7",
                nombre="",
                direccion="x" * 201,
                telefono="abc",
                correo="no-es-correo",
            )
        )
    assert set(caught.value.errors) == {"documento", "nombre", "direccion", "telefono", "correo"}


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"id_tipo_cliente": 99}, "id_tipo_cliente", "Seleccione un tipo de cliente"),
        ({"id_tipo_documento": "x"}, "id_tipo_documento", "Seleccione un tipo de documento"),
        ({"id_tipo_cliente": None}, "id_tipo_cliente", "obligatorio"),
        ({"id_tipo_cliente": 1}, "id_tipo_cliente", "Un NIT identifica a una Persona Jurídica"),
        (
            {"id_tipo_documento": 1, "documento": "1020304050"},
            "id_tipo_cliente",
            "identifica a una Persona Natural",
        ),
        ({"nombre": 123}, "nombre", "Debe ser un texto."),
        ({"correo": "a" * 140 + "@example.com"}, "correo", "más de 150"),
        ({"telefono": "1" * 31}, "telefono", "más de 30"),
    ],
)
def test_each_rule_names_its_field(db, cambios, campo, mensaje):
    with pytest.raises(ValidationFailed) as caught:
        servicio.validar_datos_cliente(_datos(**cambios))
    assert any(mensaje in m for m in caught.value.errors[campo])


def test_create_refuses_an_existing_documento(db):
    factories.cliente("900123456-8", juridica=True)
    with pytest.raises(ValidationFailed) as caught:
        servicio.crear_cliente(_datos())
    assert caught.value.errors == {"documento": ["Ya existe un cliente con este documento."]}


def test_update_never_changes_the_documento(db):
    cliente = factories.cliente("1020304050")
    with pytest.raises(ValidationFailed) as caught:
        servicio.actualizar_cliente(cliente, {"documento": "999999"})
    assert "documento" in caught.value.errors
    assert cliente.documento == "1020304050"


def test_update_with_missing_keys_keeps_the_stored_values(db):
    cliente = factories.cliente("1020304050", telefono="3001234567")
    servicio.actualizar_cliente(cliente, {"nombre": "José María Pérez"})
    _db.session.commit()
    assert (cliente.nombre, cliente.nombre_busqueda, cliente.telefono) == (
        "José María Pérez",
        "jose maria perez",
        "3001234567",
    )


def test_a_new_tipo_must_fit_the_stored_documento(db):
    cliente = factories.cliente("1020304050")
    with pytest.raises(ValidationFailed) as caught:
        servicio.actualizar_cliente(cliente, {"id_tipo_documento": 2, "id_tipo_cliente": 2})
    assert "no corresponde a este tipo" in caught.value.errors["id_tipo_documento"][0]


def test_reasons_to_keep_a_client(db):
    cliente = factories.cliente()
    assert servicio.motivo_no_eliminable(cliente) is None
    factories.separacion_directa(cliente)
    factories.apartamento(documento_cliente=cliente.documento)
    factories.apartamento(documento_cliente=cliente.documento)
    assert servicio.motivo_no_eliminable(cliente) == (
        "tiene 1 venta o separación y es propietario de 2 apartamentos"
    )


def test_deleting_a_client_with_operations_is_a_conflict(db):
    cliente = factories.cliente()
    factories.separacion_directa(cliente, estado_operacion="anulada")
    _db.session.commit()
    with pytest.raises(Conflict, match="No se puede eliminar a José Pérez"):
        servicio.eliminar_cliente(cliente)


def test_concurrent_duplicates_create_one_client_and_explain_the_other(app, db, monkeypatch):
    """Both requests pass validation before either commits; the key decides."""
    barrier = threading.Barrier(2, timeout=30)
    validar = servicio.validar_datos_cliente

    def validar_y_esperar(datos, **kwargs):
        limpio = validar(datos, **kwargs)
        barrier.wait()
        return limpio

    monkeypatch.setattr(servicio, "validar_datos_cliente", validar_y_esperar)
    resultados = []

    def registrar(nombre):
        with app.app_context():
            try:
                servicio.crear_cliente(_datos(nombre=nombre))
                _db.session.commit()
                resultados.append(("creado", None))
            except IntegrityError as exc:
                _db.session.rollback()
                resultados.append(("error", describe_integrity_error(exc)))
            finally:
                _db.session.remove()

    hilos = [threading.Thread(target=registrar, args=(n,)) for n in ("Primera", "Segunda")]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(60)
    assert sorted(r[0] for r in resultados) == ["creado", "error"]
    assert [r[1] for r in resultados if r[0] == "error"] == [
        ("documento", "Ya existe un cliente con este documento.")
    ]
    assert _db.session.query(Cliente).count() == 1
