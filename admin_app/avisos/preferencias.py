"""A client's choice about reminders (cuotas and separations about to lapse).
The emails about an operation just made are sent whatever it says."""

from ..extensions import db
from ..models import Cliente


def fijar_recordatorios(cliente: Cliente, recibir: bool) -> Cliente:
    recibir = bool(recibir)
    if cliente.recibir_recordatorios != recibir:
        cliente.recibir_recordatorios = recibir
        db.session.flush()
    return cliente
