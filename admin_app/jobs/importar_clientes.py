"""The client import as a job in two steps on one `trabajos` row.

revisar(): reads and checks every row (progress: rows checked / total), keeps
the preview's figures and samples in `resultado` and the rejected rows'
report in `salida`. importar(), once the user confirms: checks the file again
against today's data, then saves it in batches of LOTE rows, each committed
together with the count of rows saved and the last file row it reached. A
retry after a crash goes on after that row, so no row is written twice.
"""

from __future__ import annotations

from ..extensions import db
from ..services import importar_clientes as servicio
from ..services.errors import ServiceError
from . import Ejecucion

TIPO = "importar_clientes"
REVISAR = "admin_app.jobs.importar_clientes:revisar"
IMPORTAR = "admin_app.jobs.importar_clientes:importar"
# Fases: the preview's check, the confirm's check, the saving.
REVISION = "revision"
VERIFICACION = "verificacion"
GUARDADO = "guardado"
LOTE = 500  # rows per transaction: others' writes wait for one batch at most
MUESTRAS = 500  # rows per kind kept for the preview page

SIN_ARCHIVO = "El archivo de esta importación ya no está; súbalo de nuevo."


def revisar(ejecucion: Ejecucion) -> dict:
    analisis = _analizar(ejecucion, REVISION)
    ejecucion.guardar(salida=servicio.reporte_rechazos(analisis))
    return {**_resumen(analisis), "muestras": _muestras(analisis)}


def importar(ejecucion: Ejecucion) -> dict:
    trabajo = ejecucion.trabajo
    guardado = (trabajo.resultado or {}).get("guardado") or {
        "ultima_fila": 0,
        "creados": 0,
        "actualizados": 0,
        "sin_cambios": 0,
        "rechazadas": 0,
    }
    previo = trabajo.salida or b""
    analisis = _analizar(ejecucion, VERIFICACION)
    resumen = _resumen(analisis)
    desde = guardado["ultima_fila"]
    ejecucion.guardar(
        salida=servicio.reporte_rechazos(analisis, despues_de=desde, previo=previo),
        resultado={**resumen, "guardado": guardado},
    )

    pendientes = [fila for fila in analisis.filas if fila.numero > desde]
    total = len(analisis.filas)
    hechas = total - len(pendientes)
    ejecucion.avance(hechas, total, fase=GUARDADO)
    for inicio in range(0, len(pendientes), LOTE):
        lote = pendientes[inicio : inicio + LOTE]
        with ejecucion.lote() as valores:
            creados, actualizados = servicio.aplicar(analisis, lote)
            hechas += len(lote)
            guardado = {
                "ultima_fila": lote[-1].numero,
                "creados": guardado["creados"] + creados,
                "actualizados": guardado["actualizados"] + actualizados,
                "sin_cambios": guardado["sin_cambios"] + _contar(lote, servicio.SIN_CAMBIOS),
                "rechazadas": guardado["rechazadas"] + _contar(lote, servicio.RECHAZAR),
            }
            valores.update(hechos=hechas, resultado={**resumen, "guardado": guardado})
    ejecucion.guardar(entrada=None)  # saved: the file is no longer needed
    return {**resumen, "guardado": guardado}


def _analizar(ejecucion: Ejecucion, fase: str) -> servicio.Analisis:
    trabajo = ejecucion.trabajo
    contenido = trabajo.entrada
    if contenido is None:
        raise ServiceError(SIN_ARCHIVO)
    ejecucion.avance(0, fase=fase)
    analisis = servicio.analizar(
        trabajo.nombre_archivo or "",
        contenido,
        actualizar=bool(trabajo.parametros.get("actualizar")),
        progreso=lambda hechas, total: ejecucion.avance(hechas, total),
    )
    total = len(analisis.filas)
    ejecucion.avance(total, total, forzar=True)
    db.session.rollback()  # only read so far: no transaction stays open while saving
    return analisis


def _contar(filas, accion: str) -> int:
    return sum(1 for fila in filas if fila.accion == accion)


def _resumen(analisis: servicio.Analisis) -> dict:
    return {
        "filas": len(analisis.filas),
        "crear": analisis.contar(servicio.CREAR),
        "actualizar": analisis.contar(servicio.ACTUALIZAR),
        "sin_cambios": analisis.contar(servicio.SIN_CAMBIOS),
        "rechazadas": len(analisis.rechazadas),
        "ignoradas": analisis.ignoradas,
    }


def _muestras(analisis: servicio.Analisis) -> dict[str, list[dict]]:
    muestras: dict[str, list[dict]] = {
        servicio.RECHAZAR: [],
        servicio.CREAR: [],
        servicio.ACTUALIZAR: [],
    }
    for fila in analisis.filas:
        lista = muestras.get(fila.accion)
        if lista is not None and len(lista) < MUESTRAS:
            lista.append({"numero": fila.numero, "valores": fila.valores, "errores": fila.errores})
    return muestras
