"""The demo's clients, projects, towers and apartments; then its operations."""

import random
from datetime import timedelta
from decimal import Decimal

from ..documentos import format_nit
from ..extensions import db
from ..formatting import today_bogota
from ..models import (
    Apartamento,
    Cliente,
    Local,
    Parqueadero,
    PoliticaPrecio,
    Proyecto,
    TipoApartamento,
    Torre,
)
from ..services.precios import recalcular_proyecto

NOMBRES = [
    "José",
    "María",
    "Ana",
    "Lucía",
    "Andrés",
    "Camila",
    "Sebastián",
    "Valentina",
    "Juliana",
    "Santiago",
    "Sofía",
    "Mateo",
    "Daniela",
    "Nicolás",
    "Mariana",
    "Alejandro",
    "Isabella",
    "Felipe",
    "Laura",
    "Tomás",
    "Gabriela",
    "Óscar",
    "Inés",
    "Germán",
]
APELLIDOS = [
    "Rodríguez",
    "Gómez",
    "González",
    "Martínez",
    "García",
    "López",
    "Hernández",
    "Sánchez",
    "Ramírez",
    "Pérez",
    "Díaz",
    "Muñoz",
    "Rojas",
    "Moreno",
    "Jiménez",
    "Álvarez",
    "Romero",
    "Vargas",
    "Castaño",
    "Peña",
    "Ospina",
    "Zuluaga",
    "Cárdenas",
]
EMPRESAS = (
    "Inversiones",
    "Constructora",
    "Comercializadora",
    "Inmobiliaria",
    "Grupo",
    "Fiduciaria",
)
SUFIJOS = ("del Valle", "Andina", "La Sabana", "El Poblado", "Caribe", "Santa Fe", "Nogal")
PROYECTOS = (
    ("Reserva del Río", "Medellín", ("Torre 1", "Torre 2")),
    ("Mirador de la Sabana", "Bogotá", ("Torre A", "Torre B")),
)
# Each project's tipos: (nombre, área construida, área privada, habitaciones, baños, valor m²).
TIPOS = (
    ("Tipo A", Decimal("55.00"), Decimal("50.50"), 2, 1, Decimal("5200000")),
    ("Tipo B", Decimal("70.00"), Decimal("64.80"), 3, 2, Decimal("5000000")),
)


def load_demo_data(seed: int = 2026) -> str:
    """Load the demo set once; a second call changes nothing."""
    if db.session.scalar(db.select(db.func.count(Proyecto.id))):
        return "Los datos de demostración ya estaban cargados; no se cambió nada."
    rng = random.Random(seed)
    apartamentos = _inventario(rng)
    locales, parqueaderos = _locales_parqueaderos(rng)
    clientes = _clientes(rng, 300)
    db.session.commit()
    resumen = (
        f"{len(apartamentos)} apartamentos, {len(locales)} locales, "
        f"{len(parqueaderos)} parqueaderos, {len(clientes)} clientes"
    )
    from .operaciones import load_demo_operations

    resumen += load_demo_operations(
        rng, clientes, apartamentos, parqueaderos=parqueaderos, locales=locales
    )
    from .planes import load_demo_planes

    resumen += load_demo_planes(rng)
    return f"Datos de demostración cargados: {resumen}."


def _inventario(rng: random.Random) -> list[Apartamento]:
    apartamentos = []
    for nombre, ciudad, torres in PROYECTOS:
        proyecto = Proyecto(
            nombre=nombre,
            ciudad=ciudad,
            porcentaje_cuota_inicial_min=Decimal("30.00"),
            valor_min_separacion=Decimal("5000000.00"),
            plazo_max_cuota_inicial_meses=36,
            plazo_max_separacion_dias=30,
            prima_altura_activa=True,
            prima_altura_base=Decimal("3000000"),
            prima_altura_incremento=Decimal("500000"),
        )
        db.session.add(proyecto)
        tipos = [
            TipoApartamento(
                proyecto=proyecto,
                nombre=nombre_tipo,
                area_construida=construida,
                area_privada=privada,
                habitaciones=habitaciones,
                banos=banos,
                valor_m2=valor_m2,
            )
            for nombre_tipo, construida, privada, habitaciones, banos, valor_m2 in TIPOS
        ]
        db.session.add_all(tipos)
        db.session.add_all(
            [
                PoliticaPrecio(
                    proyecto=proyecto,
                    nombre="Escalón de preventa",
                    orden=1,
                    ventas_por_escalon=10,
                    porcentaje_aumento=Decimal("2.0000"),
                ),
                PoliticaPrecio(
                    proyecto=proyecto,
                    nombre="Lanzamiento de la etapa 2",
                    orden=2,
                    aplica_desde=today_bogota() - timedelta(days=30),
                    porcentaje_aumento=Decimal("1.5000"),
                ),
            ]
        )
        for nombre_torre in torres:
            torre = Torre(proyecto=proyecto, nombre=nombre_torre)
            for piso in range(1, 11):
                for unidad in (1, 2, 3):
                    area = Decimal(rng.choice((48, 55, 62, 70, 84, 96)))
                    precio = (area * Decimal(rng.randint(4_200_000, 6_500_000))).quantize(
                        Decimal("1000000")
                    )
                    # Units 1 and 2 of each floor are of a tipo; unit 3's base is typed.
                    tipo = tipos[unidad - 1] if unidad < 3 else None
                    if tipo is not None:
                        area, precio = tipo.area_construida, tipo.valor_estimado
                    apartamento = Apartamento(
                        torre=torre,
                        numero=f"{piso}{unidad:02d}",
                        piso=piso,
                        area_m2=area,
                        habitaciones=1 if area < 55 else (2 if area < 80 else 3),
                        banos=1 if area < 55 else 2,
                        tipo=tipo,
                        precio_base=precio,
                        precio=precio,
                        id_estado_inmueble=1,
                    )
                    db.session.add(apartamento)
                    apartamentos.append(apartamento)
        db.session.flush()
        # The list prices with the prima and the policies in force, as the daily job leaves them.
        recalcular_proyecto(proyecto, detalle="Datos de demostración")
    return apartamentos


def _locales_parqueaderos(rng: random.Random) -> tuple[list[Local], list[Parqueadero]]:
    """Per torre 40 parqueaderos (the first ten incluidos in its x01 apartments) and
    per project four locales outside the towers."""
    locales, parqueaderos = [], []
    for proyecto in db.session.scalars(db.select(Proyecto).order_by(Proyecto.id)):
        for n in range(1, 5):
            area = Decimal(rng.choice((30, 45, 60, 80)))
            valor_m2 = Decimal(rng.randint(6_000, 9_000) * 1000)
            local = Local(
                proyecto=proyecto,
                numero=f"L-{n:02d}",
                area_m2=area,
                valor_m2=valor_m2,
                precio=area * valor_m2,
                id_estado_inmueble=1,
            )
            db.session.add(local)
            locales.append(local)
        for torre in proyecto.torres:
            incluidos = db.session.scalars(
                db.select(Apartamento)
                .where(Apartamento.id_torre == torre.id, Apartamento.numero.like("%01"))
                .order_by(Apartamento.piso)
            ).all()
            for n in range(1, 41):
                tipo = 1 if n <= 30 else rng.choice((2, 3, 4))
                parqueadero = Parqueadero(
                    torre=torre,
                    numero=f"P-{n:03d}",
                    id_tipo_parqueadero=tipo,
                    precio=Decimal(
                        rng.choice((25, 30, 35)) * 1_000_000 if tipo == 1 else 9_000_000
                    ),
                    id_estado_inmueble=1,
                    apartamento=incluidos[n - 1] if n <= len(incluidos) else None,
                )
                db.session.add(parqueadero)
                parqueaderos.append(parqueadero)
    db.session.flush()
    return locales, parqueaderos


def _clientes(rng: random.Random, count: int) -> list[Cliente]:
    clientes = []
    used: set[str] = set()
    while len(clientes) < count:
        if rng.random() < 0.15:
            base = str(rng.randint(800_000_000, 901_999_999))
            documento, tipo_cliente, tipo_doc = format_nit(base), 2, 2
            nombre = f"{rng.choice(EMPRESAS)} {rng.choice(SUFIJOS)} S.A.S."
        else:
            documento = str(rng.randint(10_000_000, 1_199_999_999))
            tipo_cliente, tipo_doc = 1, 1
            nombre = f"{rng.choice(NOMBRES)} {rng.choice(APELLIDOS)} {rng.choice(APELLIDOS)}"
        if documento in used:
            continue
        used.add(documento)
        usuario_correo = nombre.split()[0].lower().encode("ascii", "ignore").decode() or "cliente"
        cliente = Cliente(
            documento=documento,
            nombre=nombre,
            id_tipo_cliente=tipo_cliente,
            id_tipo_documento=tipo_doc,
            direccion=f"Calle {rng.randint(1, 150)} # {rng.randint(1, 99)}-{rng.randint(1, 99)}",
            telefono=f"+57 3{rng.randint(0, 2)}{rng.randint(0, 9)} {rng.randint(1000000, 9999999)}",
            correo=f"{usuario_correo}{len(clientes)}@correo.com.co",
        )
        db.session.add(cliente)
        clientes.append(cliente)
    db.session.flush()
    return clientes
