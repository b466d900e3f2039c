"""The commercial pages: a venta's asesor, users' directors, commissions, settlements,
the report and its XLSX, metas and their cumplimiento, the asesor's home."""

import io
import re
from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest
from sqlalchemy import func, select

from admin_app.models import Comision, Liquidacion, Meta, Rol, Usuario, Venta
from admin_app.services import comisiones as servicio
from admin_app.services.ventas import crear_operacion
from tests import factories
from tests.conftest import CsrfClient, login, make_user
from tests.services.conftest import datos_venta


def cliente_de(app, usuario) -> CsrfClient:
    app.test_client_class = CsrfClient
    client = app.test_client()
    assert login(client, usuario.username).status_code == 302
    return client


@pytest.fixture
def gente(db):
    director = make_user("directora", Rol.DIRECTOR_COMERCIAL)
    asesor = make_user("asesor", Rol.ASESOR)
    otro = make_user("otro", Rol.ASESOR)
    asesor.id_director = director.id
    db.session.commit()
    return director, asesor, otro


@pytest.fixture
def vendida(db, gente):
    director, asesor, _otro = gente
    apto = factories.apartamento()
    proyecto = apto.torre.proyecto
    for usuario, tipo, porcentaje in ((asesor, "propia", "3"), (director, "equipo", "1")):
        servicio.guardar_politica(
            servicio.DatosPolitica(proyecto.id, usuario.id, tipo, D(porcentaje), date(2026, 1, 1))
        )
    venta = crear_operacion(datos_venta(factories.cliente(), apto, id_asesor=asesor.id))
    db.session.commit()
    return venta


# --- a venta's asesor ------------------------------------------------------------------


def test_the_venta_list_shows_filters_and_exports_the_asesor(app, admin_client, db, gente, vendida):
    _director, asesor, otro = gente
    celda = re.compile(r'class="col-asesor">\s*([^<]*?)\s*<')
    html = admin_client.get("/admin/ventas/").get_data(as_text=True)
    assert celda.findall(html) == [asesor.nombre_completo]
    vista = next(v for v in app.extensions["backoffice_admin"]._views if v.endpoint == "ventas")
    [clave] = [
        k
        for k, (_i, f) in vista._filter_args.items()
        if f.name == "Asesor" and f.operation() == "igual a"
    ]
    de_otro = admin_client.get(f"/admin/ventas/?flt0_{clave}={otro.id}").get_data(as_text=True)
    assert celda.findall(de_otro) == []
    del_asesor = admin_client.get(f"/admin/ventas/?flt0_{clave}={asesor.id}")
    assert celda.findall(del_asesor.get_data(as_text=True)) == [asesor.nombre_completo]
    csv = admin_client.get("/admin/ventas/export/csv/").get_data(as_text=True)
    assert "Asesor" in csv.splitlines()[0] and asesor.nombre_completo in csv


def test_an_admin_changes_the_asesor_from_the_details_page(admin_client, db, gente, vendida):
    _director, _asesor, otro = gente
    pagina = admin_client.get(f"/admin/ventas/details/?id={vendida.id}").get_data(as_text=True)
    assert "Cambiar asesor" in pagina
    sin_motivo = admin_client.post(
        f"/admin/ventas/asesor/?id={vendida.id}", data={"id_asesor": otro.id, "motivo": ""}
    )
    assert "Indique el motivo del cambio de asesor." in sin_motivo.get_data(as_text=True)
    hecho = admin_client.post(
        f"/admin/ventas/asesor/?id={vendida.id}",
        data={"id_asesor": otro.id, "motivo": "Lo atendió otro"},
    )
    assert hecho.status_code == 302
    db.session.expire_all()
    assert db.session.get(Venta, vendida.id).id_asesor == otro.id


def test_an_asesor_sees_no_asesor_form_and_cannot_post_it(app, db, gente, vendida):
    _director, asesor, otro = gente
    client = cliente_de(app, asesor)
    pagina = client.get(f"/admin/ventas/details/?id={vendida.id}").get_data(as_text=True)
    assert "Cambiar asesor" not in pagina
    respuesta = client.post(
        f"/admin/ventas/asesor/?id={vendida.id}", data={"id_asesor": otro.id, "motivo": "x"}
    )
    assert respuesta.status_code == 403
    db.session.expire_all()
    assert db.session.get(Venta, vendida.id).id_asesor == asesor.id


def test_operations_without_asesor_are_reassigned_in_bulk(admin_client, db, gente):
    _director, asesor, _otro = gente
    ventas = [
        factories.separacion_directa(apartamento_obj=factories.apartamento()) for _ in range(3)
    ]
    db.session.commit()
    ids = ",".join(str(v.id) for v in ventas)
    sin_asesor = admin_client.get("/admin/ventas/?flt0_sin_asesor_empty=1")
    assert sin_asesor.status_code == 200
    accion = admin_client.post(
        "/admin/ventas/action/",
        data={"action": "asignar_asesor", "rowid": [str(v.id) for v in ventas]},
    )
    assert accion.status_code == 302 and "reasignar" in accion.headers["Location"]
    respuesta = admin_client.post(
        "/admin/ventas/reasignar/",
        data={"ids": ids, "id_asesor": asesor.id, "motivo": "Migración: sin asesor"},
    )
    assert respuesta.status_code == 302
    db.session.expire_all()
    assert {db.session.get(Venta, v.id).id_asesor for v in ventas} == {asesor.id}


# --- users and their director --------------------------------------------------------------


def test_the_user_form_sets_the_director(admin_client, db, gente):
    director, _asesor, _otro = gente
    respuesta = admin_client.post(
        "/admin/usuarios/new/",
        data={
            "username": "nuevo",
            "nombre_completo": "Nuevo Asesor",
            "rol": "asesor",
            "id_director": director.id,
            "activo": "y",
            "nueva_contrasena": "clave-muy-segura-42",
        },
    )
    assert respuesta.status_code == 302, respuesta.get_data(as_text=True)
    nuevo = db.session.scalars(select(Usuario).filter_by(username="nuevo")).one()
    assert (nuevo.rol, nuevo.id_director) == ("asesor", director.id)


def test_users_create_with_a_director(app, db, gente):
    args = ["users", "create", "juan", "--role", "asesor", "--director", "directora"]
    resultado = app.test_cli_runner().invoke(args=[*args, "--password", "una-clave-larga-9"])
    assert resultado.exit_code == 0, resultado.output
    juan = db.session.scalars(select(Usuario).filter_by(username="juan")).one()
    assert juan.director.username == "directora"
    malo = ["users", "create", "pepe", "--role", "asesor", "--director", "asesor"]
    resultado = app.test_cli_runner().invoke(args=[*malo, "--password", "una-clave-larga-9"])
    assert resultado.exit_code != 0
    assert "no es director comercial" in resultado.output


# --- commissions, settlements, the report -----------------------------------------------


def test_the_admin_liquidates_by_filters_seeing_the_total_first(admin_client, db, vendida):
    pagina = admin_client.get("/admin/comisiones/liquidar/").get_data(as_text=True)
    assert "$ 10.000.000,00" in pagina
    respuesta = admin_client.post("/admin/comisiones/liquidar/")
    assert respuesta.status_code == 302
    liquidacion = db.session.scalars(select(Liquidacion)).one()
    detalle = admin_client.get(respuesta.headers["Location"]).get_data(as_text=True)
    assert liquidacion.numero in detalle and "Marcar pagada" in detalle
    pagada = admin_client.post(
        f"/admin/liquidaciones/pagar/?id={liquidacion.id}",
        data={"fecha": "2026-12-01", "referencia": "TRF-77"},
    )
    assert pagada.status_code == 302
    db.session.expire_all()
    assert {c.estado for c in db.session.scalars(select(Comision))} == {"pagada"}


def test_liquidating_from_the_list_with_the_action(admin_client, db, vendida):
    ids = [str(i) for i in db.session.scalars(select(Comision.id))]
    admin_client.post("/admin/comisiones/action/", data={"action": "liquidar", "rowid": ids})
    assert db.session.scalar(select(func.count(Liquidacion.id))) == 1


def test_an_asesor_lists_only_his_commissions_and_cannot_liquidate(app, db, gente, vendida):
    director, asesor, _otro = gente
    client = cliente_de(app, asesor)
    html = client.get("/admin/comisiones/").get_data(as_text=True)
    assert "7.500.000" in html and "2.500.000" not in html
    assert client.get("/admin/comisiones/liquidar/").status_code == 403
    ajena = db.session.scalars(select(Comision).where(Comision.id_usuario == director.id)).one()
    assert client.get(f"/admin/comisiones/details/?id={ajena.id}").status_code == 302


def test_the_report_totals_and_its_xlsx(admin_client, db, vendida):
    html = admin_client.get("/admin/comisiones/reporte/?desde=2026-01-01").get_data(as_text=True)
    assert 'id="total-causada">$ 10.000.000,00' in html
    respuesta = admin_client.get("/admin/comisiones/reporte.xlsx?desde=2026-01-01")
    assert respuesta.status_code == 200
    hoja = openpyxl.load_workbook(io.BytesIO(respuesta.data)).active
    filas = list(hoja.iter_rows(values_only=True))
    assert filas[0][:4] == ("Beneficiario", "Proyecto", "Comisiones", "Causada")
    assert filas[-1][0] == "Total" and filas[-1][3] == 10000000


def test_the_contador_reads_the_report_but_does_not_liquidate(app, db, vendida):
    contador = make_user("conta", Rol.CONTADOR)
    client = cliente_de(app, contador)
    assert client.get("/admin/comisiones/reporte/").status_code == 200
    assert client.get("/admin/comisiones/liquidar/").status_code == 403
    assert client.get("/admin/politicas_comision/new/").status_code == 403


def test_a_policy_overlap_is_shown_on_the_field(admin_client, db, gente, vendida):
    _director, asesor, _otro = gente
    respuesta = admin_client.post(
        "/admin/politicas_comision/new/",
        data={
            "id_usuario": asesor.id,
            "id_proyecto": vendida.apartamento.torre.id_proyecto,
            "tipo": "propia",
            "porcentaje": "4",
            "vigente_desde": "2026-05-01",
        },
    )
    assert respuesta.status_code == 200
    assert "se cruza con la política" in respuesta.get_data(as_text=True)


# --- metas ---------------------------------------------------------------------------------


def test_goals_created_duplicated_and_their_cumplimiento(admin_client, db, gente, vendida):
    _director, asesor, _otro = gente
    datos = {"id_usuario": asesor.id, "anio": "2026", "mes": "1", "tipo": "unidades"}
    datos["valor_meta"] = "4"
    assert admin_client.post("/admin/metas/new/", data=datos).status_code == 302
    duplicada = admin_client.post("/admin/metas/new/", data=datos)
    assert "Ya existe la meta" in duplicada.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Meta.id))) == 1
    html = admin_client.get("/admin/cumplimiento/?anio=2026&mes=1").get_data(as_text=True)
    assert "25,0 %" in html and "fila-alerta" in html and "<svg" in html
    assert html.count("<rect") == 12


def test_the_asesor_home_shows_his_month_and_operations(app, db, gente, vendida):
    _director, asesor, _otro = gente
    from admin_app.formatting import today_bogota
    from admin_app.services.metas import DatosMeta, guardar_meta

    hoy = today_bogota()
    guardar_meta(DatosMeta(hoy.year, hoy.month, "valor", D("100000000"), id_usuario=asesor.id))
    db.session.commit()
    client = cliente_de(app, asesor)
    html = client.get("/admin/mi-inicio/").get_data(as_text=True)
    assert f"Venta #{vendida.id}" in html
    assert "Mi mes" in html and "Valor vendido" in html
    assert "7.500.000" in html  # his causada commission
    assert client.get("/admin/").headers["Location"].endswith("/admin/mi-inicio/")
