"""The PDFs themselves: recibo de caja and estado de cuenta (of an operation or a client)."""

from __future__ import annotations

from ..models.documentos import ReciboCaja
from ..reportes.estado_cuenta import EstadoCuentaCliente, EstadoCuentaVenta, unidad_label
from . import Documento, fecha, pesos

ANULADO = "ANULADO"


def recibo_pdf(recibo: ReciboCaja) -> bytes:
    doc = Documento(
        f"RECIBO DE CAJA N.° {recibo.numero:06d}", f"Fecha del pago: {fecha(recibo.fecha)}"
    )
    if recibo.anulado:
        doc.sello(ANULADO)
        doc.dato("Anulado el", fecha(recibo.anulado_en))
    venta = recibo.venta
    doc.dato("Recibimos de", recibo.cliente.nombre)
    doc.dato("Documento", recibo.documento_cliente)
    doc.dato("La suma de", pesos(recibo.valor))
    doc.dato("Medio de pago", recibo.medio_pago)
    if recibo.referencia:
        doc.dato("Referencia", recibo.referencia)
    doc.dato("Por concepto de", f"Abono a la {venta.tipo_label.lower()} #{venta.id}")
    doc.dato("Inmueble", unidad_label(venta))
    pago = recibo.pago
    if pago is not None and pago.aplicaciones:
        doc.subtitulo_seccion("Aplicado a las cuotas")
        filas = [
            [
                str(a.cuota.numero),
                a.cuota.concepto,
                fecha(a.cuota.fecha_vencimiento),
                pesos(a.valor),
            ]
            for a in sorted(pago.aplicaciones, key=lambda a: a.cuota.numero)
        ]
        doc.tabla(
            ["Cuota", "Concepto", "Vencimiento", "Valor aplicado"],
            filas,
            [20, 60, 40, 45],
            ["C", "L", "C", "R"],
        )
    doc.ln(14)
    doc.cell(80, 5, "_______________________________")
    doc.ln()
    doc.cell(80, 5, "Firma y sello")
    return doc.bytes()


def _operacion(doc: Documento, estado: EstadoCuentaVenta, con_cliente: bool) -> None:
    doc.subtitulo_seccion(f"{estado.tipo} #{estado.id_venta} ({estado.estado})")
    if con_cliente:
        doc.dato("Cliente", f"{estado.cliente} - {estado.documento_cliente}")
    doc.dato("Fecha", fecha(estado.fecha_operacion))
    doc.dato("Inmuebles", ", ".join(estado.unidades))
    doc.dato("Valor total", pesos(estado.valor_total))
    doc.dato("Pagado", pesos(estado.pagado))
    doc.dato("Pendiente", pesos(estado.pendiente))
    doc.dato("Vencido", f"{pesos(estado.vencido)} ({estado.cuotas_vencidas} cuotas)")
    doc.subtitulo_seccion("Plan de pagos")
    doc.tabla(
        ["N.°", "Concepto", "Vence", "Valor", "Pagado", "Pendiente", "Estado"],
        [
            [
                str(c.numero),
                c.concepto,
                fecha(c.fecha_vencimiento),
                pesos(c.valor),
                pesos(c.pagado),
                pesos(c.pendiente),
                c.estado,
            ]
            for c in estado.plan
        ],
        [12, 30, 22, 31, 31, 31, 24],
        ["C", "L", "C", "R", "R", "R", "C"],
    )
    doc.subtitulo_seccion("Pagos")
    if estado.pagos:
        doc.tabla(
            ["Recibo", "Fecha", "Valor", "Medio de pago", "Referencia"],
            [
                [
                    f"{p.recibo:06d}" if p.recibo else "",
                    fecha(p.fecha),
                    pesos(p.valor),
                    p.medio_pago,
                    p.referencia or "",
                ]
                for p in estado.pagos
            ],
            [22, 25, 35, 45, 54],
            ["C", "C", "R", "L", "L"],
        )
    else:
        doc.dato("", "Sin pagos a esta fecha.")


def estado_cuenta_venta_pdf(estado: EstadoCuentaVenta) -> bytes:
    doc = Documento("ESTADO DE CUENTA", f"Al {fecha(estado.fecha)}")
    _operacion(doc, estado, con_cliente=True)
    return doc.bytes()


def estado_cuenta_cliente_pdf(estado: EstadoCuentaCliente) -> bytes:
    doc = Documento("ESTADO DE CUENTA DEL CLIENTE", f"Al {fecha(estado.fecha)}")
    doc.dato("Cliente", estado.nombre)
    doc.dato("Documento", estado.documento)
    doc.dato("Total de los planes", pesos(estado.total))
    doc.dato("Pagado", pesos(estado.pagado))
    doc.dato("Pendiente", pesos(estado.pendiente))
    doc.dato("Vencido", pesos(estado.vencido))
    if not estado.operaciones:
        doc.dato("", "El cliente no tiene operaciones.")
    for operacion in estado.operaciones:
        _operacion(doc, operacion, con_cliente=False)
    return doc.bytes()
