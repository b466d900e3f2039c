"""The plan de amortización of a venta or separación as a spreadsheet (XlsxWriter)."""

import io
from datetime import date

import xlsxwriter

from ..models import Venta

FORMATO_DINERO = '"$" #,##0.00'
ENCABEZADOS_PLAN = (
    "Número",
    "Concepto",
    "Vencimiento",
    "Valor",
    "Capital",
    "Interés",
    "Saldo",
    "Pagado",
    "Estado",
)
ANCHOS = (9, 16, 13, 18, 18, 16, 18, 18, 11)


def plan_xlsx(venta: Venta, hoy: date) -> bytes:
    """The operation's header, then one row per cuota: money as numbers with a format."""
    salida = io.BytesIO()
    libro = xlsxwriter.Workbook(salida, {"in_memory": True, "strings_to_formulas": False})
    hoja = libro.add_worksheet("Plan de pagos")
    negrita = libro.add_format({"bold": True})
    dinero = libro.add_format({"num_format": FORMATO_DINERO})
    fecha = libro.add_format({"num_format": "DD/MM/YYYY"})
    hoja.write_string(0, 0, f"{venta.tipo_label} #{venta.id}", negrita)
    hoja.write_row(1, 0, ["Cliente", f"{venta.cliente.nombre} ({venta.documento_cliente})"])
    hoja.write_row(2, 0, ["Unidades", venta.descripcion_unidades])
    hoja.write_string(3, 0, "Valor total")
    hoja.write_number(3, 1, venta.valor_total, dinero)
    hoja.write_row(5, 0, ENCABEZADOS_PLAN, negrita)
    for fila, cuota in enumerate(venta.cuotas, start=6):
        hoja.write_number(fila, 0, cuota.numero)
        hoja.write_string(fila, 1, cuota.concepto)
        hoja.write_datetime(fila, 2, cuota.fecha_vencimiento, fecha)
        valores = (cuota.valor, cuota.capital, cuota.interes, cuota.saldo, cuota.valor_pagado)
        for columna, valor in enumerate(valores, start=3):
            hoja.write_number(fila, columna, valor, dinero)
        hoja.write_string(fila, 8, cuota.estado(hoy))
    for columna, ancho in enumerate(ANCHOS):
        hoja.set_column(columna, columna, ancho)
    libro.close()
    return salida.getvalue()
