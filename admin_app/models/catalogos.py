"""The catalogs: small lists that admins edit and the migrations seed."""

from sqlalchemy import Index, String, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ..extensions import db
from .base import TimestampMixin, VersionedMixin


class CatalogoMixin(TimestampMixin, VersionedMixin):
    id: Mapped[int] = mapped_column(primary_key=True)
    nombre: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        # Names are unique regardless of case: "Efectivo" and "EFECTIVO" clash.
        return (Index(f"uq_{cls.__tablename__}_nombre_lower", func.lower(cls.nombre), unique=True),)

    def __str__(self) -> str:
        return self.nombre


class TipoCliente(CatalogoMixin, db.Model):
    __tablename__ = "tipos_cliente"

    PERSONA_NATURAL = "Persona Natural"
    PERSONA_JURIDICA = "Persona Jurídica"


class TipoDocumento(CatalogoMixin, db.Model):
    __tablename__ = "tipos_documento"

    codigo: Mapped[str] = mapped_column(String(10), nullable=False, unique=True)

    def __str__(self) -> str:
        return f"{self.codigo} - {self.nombre}"


class EstadoInmueble(CatalogoMixin, db.Model):
    __tablename__ = "estados_inmueble"

    DISPONIBLE = "Disponible"
    SEPARADO = "Separado"
    VENDIDO = "Vendido"
    BLOQUEADO = "Bloqueado"


class TipoParqueadero(CatalogoMixin, db.Model):
    """Vehículo, Moto, Depósito sencillo, Depósito doble (docs/dominio.md, "Unidades")."""

    __tablename__ = "tipos_parqueadero"


class FormaPago(CatalogoMixin, db.Model):
    __tablename__ = "formas_pago"


class MedioPago(CatalogoMixin, db.Model):
    __tablename__ = "medios_pago"


# The rows the migrations seed, in this order (ids 1..n).
SEED = {
    "tipos_cliente": [TipoCliente.PERSONA_NATURAL, TipoCliente.PERSONA_JURIDICA],
    "tipos_documento": [
        ("CC", "Cédula de Ciudadanía"),
        ("NIT", "Número de Identificación Tributaria"),
        ("CE", "Cédula de Extranjería"),
        ("PA", "Pasaporte"),
        ("OTRO", "Otro"),
    ],
    "estados_inmueble": [
        EstadoInmueble.DISPONIBLE,
        EstadoInmueble.SEPARADO,
        EstadoInmueble.VENDIDO,
        EstadoInmueble.BLOQUEADO,
    ],
    "formas_pago": ["Contado", "Crédito Hipotecario", "Leasing Habitacional", "Mixta"],
    "medios_pago": ["Efectivo", "Transferencia", "Cheque", "Tarjeta", "Consignación"],
    "tipos_parqueadero": ["Vehículo", "Moto", "Depósito sencillo", "Depósito doble"],
}


def seed_catalogs(session) -> None:
    """Insert SEED into empty catalog tables (tests; the migration seeds real databases)."""
    models = {
        "tipos_cliente": TipoCliente,
        "tipos_documento": TipoDocumento,
        "estados_inmueble": EstadoInmueble,
        "formas_pago": FormaPago,
        "medios_pago": MedioPago,
        "tipos_parqueadero": TipoParqueadero,
    }
    for table_name, rows in SEED.items():
        for position, row in enumerate(rows, start=1):
            if isinstance(row, tuple):
                session.add(models[table_name](id=position, codigo=row[0], nombre=row[1]))
            else:
                session.add(models[table_name](id=position, nombre=row))
    session.flush()
