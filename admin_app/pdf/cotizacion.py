"""The quote a client takes home, as a PDF (fpdf2: pure Python, core fonts).

The company and the project, the client, the units at their quoted prices, the
plan and its summary, the table of cuotas, the validity and the project's fixed
clauses; Colombian formats. The figures come from the quote's own copy of the
plan's terms (services.cotizaciones), as the sale will.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from fpdf import FPDF

from ..formatting import format_cop, format_date
from ..models import Cotizacion, DescuentoSobre, TipoDescuento, TipoPlan
from ..services.cotizaciones import cuotas_de, resumen_de

EMPRESA_POR_DEFECTO = "Constructora"
# The core fonts speak Latin-1: what people paste from a word processor is mapped.
_REEMPLAZOS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2022": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u20ac": "EUR",
    }
)


def _latin1(texto) -> str:
    texto = str(texto or "").translate(_REEMPLAZOS)
    return texto.encode("latin-1", "replace").decode("latin-1")


def _porcentaje(valor) -> str:
    texto = f"{valor.normalize():f}" if valor is not None else "0"
    return texto.replace(".", ",") + " %"


class _Documento(FPDF):
    def __init__(self, pie: str) -> None:
        super().__init__(orientation="P", unit="mm", format="Letter")
        self.pie = pie
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110)
        self.cell(0, 5, _latin1(f"{self.pie} - Página {self.page_no()}/{{nb}}"), align="C")
        self.set_text_color(0)

    def titulo(self, texto: str) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 11)
        self.set_fill_color(230, 236, 245)
        self.cell(0, 7, _latin1(texto), fill=True, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def fila(self, etiqueta: str, valor: str) -> None:
        self.set_font("Helvetica", "B", 9)
        self.cell(60, 5.5, _latin1(etiqueta))
        self.set_font("Helvetica", "", 9)
        self.multi_cell(0, 5.5, _latin1(valor), new_x="LMARGIN", new_y="NEXT")


def _descripcion_descuento(cotizacion: Cotizacion) -> str:
    if not cotizacion.descuento_tipo:
        return "Sin descuento"
    sobre = DescuentoSobre.LABELS.get(cotizacion.descuento_sobre, "").lower()
    if cotizacion.descuento_tipo == TipoDescuento.PORCENTAJE:
        return f"{_porcentaje(cotizacion.descuento_valor)} sobre {sobre}"
    return f"{format_cop(cotizacion.descuento_valor)} sobre {sobre}"


def pdf_cotizacion(cotizacion: Cotizacion, hoy: date) -> bytes:
    empresa = current_app.config.get("EMPRESA_NOMBRE") or EMPRESA_POR_DEFECTO
    proyecto = cotizacion.proyecto
    resumen = resumen_de(cotizacion)
    cuotas = cuotas_de(cotizacion)
    pdf = _Documento(f"{empresa} - Cotización N.° {cotizacion.numero}")
    pdf.set_title(_latin1(f"Cotización N.° {cotizacion.numero}"))
    pdf.set_author(_latin1(empresa))
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, _latin1(empresa), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(
        0,
        6,
        _latin1(f"Proyecto {proyecto.nombre} - {proyecto.ciudad}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, _latin1(f"Cotización N.° {cotizacion.numero}"), new_x="LMARGIN", new_y="NEXT")
    pdf.fila("Fecha:", format_date(cotizacion.fecha))
    pdf.fila("Válida hasta:", format_date(cotizacion.valida_hasta))
    if cotizacion.usuario is not None:
        pdf.fila("Asesor:", cotizacion.usuario.nombre_completo)

    pdf.titulo("Cliente")
    if cotizacion.cliente is not None:
        pdf.fila("Nombre:", cotizacion.cliente.nombre)
        pdf.fila("Documento:", cotizacion.cliente.documento)
        if cotizacion.cliente.telefono:
            pdf.fila("Teléfono:", cotizacion.cliente.telefono)
        if cotizacion.cliente.correo:
            pdf.fila("Correo:", cotizacion.cliente.correo)
    else:
        pdf.fila("Nombre:", cotizacion.prospecto_nombre or "")
        if cotizacion.prospecto_telefono:
            pdf.fila("Teléfono:", cotizacion.prospecto_telefono)
        if cotizacion.prospecto_correo:
            pdf.fila("Correo:", cotizacion.prospecto_correo)

    pdf.titulo("Unidades")
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(30, 6, "Tipo", border="B")
    pdf.cell(110, 6, _latin1("Descripción"), border="B")
    pdf.cell(0, 6, "Precio", border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for unidad in cotizacion.unidades:
        clase = unidad.clase + (" adicional" if unidad.rol == "adicional" else "")
        pdf.cell(30, 6, _latin1(clase))
        pdf.cell(110, 6, _latin1(str(unidad.unidad)))
        pdf.cell(0, 6, _latin1(format_cop(unidad.precio)), align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.titulo(f"Plan de pago: {cotizacion.plan_nombre}")
    pdf.fila("Tipo de plan:", TipoPlan.LABELS.get(cotizacion.plan_tipo, cotizacion.plan_tipo or ""))
    pdf.fila("Precio de lista:", format_cop(resumen.precio_bruto))
    pdf.fila(
        "Descuento:", f"{format_cop(resumen.descuento)} ({_descripcion_descuento(cotizacion)})"
    )
    pdf.fila("Valor total:", format_cop(resumen.valor_total))
    pdf.fila(
        "Cuota inicial:",
        f"{format_cop(resumen.cuota_inicial)} ({_porcentaje(resumen.porcentaje_cuota_inicial)})",
    )
    pdf.fila("Separación:", format_cop(resumen.valor_separacion))
    pdf.fila(
        "Saldo de cuota inicial:",
        f"{format_cop(resumen.saldo_cuota_inicial)} en {resumen.numero_cuotas} cuota(s), "
        f"cada {resumen.frecuencia_meses} mes(es)",
    )
    pdf.fila("Saldo final (escritura):", format_cop(resumen.saldo_final))
    if resumen.tasa_interes_anual:
        pdf.fila("Tasa efectiva anual:", _porcentaje(resumen.tasa_interes_anual))
    if cotizacion.plan_beneficio:
        pdf.fila("Beneficio:", cotizacion.plan_beneficio)

    pdf.titulo("Plan de cuotas")
    anchos = (12, 34, 30, 34, 34, 0)
    encabezados = ("N.°", "Concepto", "Vence", "Capital", "Interés", "Valor")
    pdf.set_font("Helvetica", "B", 9)
    for ancho, texto in zip(anchos, encabezados, strict=True):
        alinea = "R" if texto in ("Capital", "Interés", "Valor") else "L"
        ultima = texto == "Valor"
        pdf.cell(
            ancho,
            6,
            _latin1(texto),
            border="B",
            align=alinea,
            new_x="LMARGIN" if ultima else "RIGHT",
            new_y="NEXT" if ultima else "TOP",
        )
    pdf.set_font("Helvetica", "", 9)
    for cuota in cuotas:
        valores = (
            str(cuota.numero),
            cuota.concepto,
            format_date(cuota.fecha_vencimiento),
            format_cop(cuota.capital),
            format_cop(cuota.interes),
            format_cop(cuota.valor),
        )
        for posicion, (ancho, texto) in enumerate(zip(anchos, valores, strict=True)):
            ultima = posicion == len(anchos) - 1
            pdf.cell(
                ancho,
                5.5,
                _latin1(texto),
                align="R" if posicion >= 3 else "L",
                new_x="LMARGIN" if ultima else "RIGHT",
                new_y="NEXT" if ultima else "TOP",
            )
    total = sum((c.valor for c in cuotas), resumen.valor_total * 0)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(sum(anchos[:5]), 6, "Total", border="T")
    pdf.cell(0, 6, _latin1(format_cop(total)), border="T", align="R", new_x="LMARGIN", new_y="NEXT")

    pdf.titulo("Vigencia y condiciones")
    pdf.set_font("Helvetica", "", 9)
    vigencia = (
        f"Esta cotización es válida hasta el {format_date(cotizacion.valida_hasta)}. Dentro de "
        "ese plazo la separación o la compra se hace a los precios y con el plan cotizados; "
        "después, a los precios vigentes."
    )
    if cotizacion.estado(hoy) == "vencida":
        vigencia = f"COTIZACIÓN VENCIDA. {vigencia}"
    pdf.multi_cell(0, 5, _latin1(vigencia), new_x="LMARGIN", new_y="NEXT")
    if proyecto.clausulas_cotizacion:
        pdf.ln(1)
        pdf.multi_cell(0, 5, _latin1(proyecto.clausulas_cotizacion), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
