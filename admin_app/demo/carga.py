"""The demo's clients, projects, towers and apartments; then its operations."""

import random
from decimal import Decimal

from ..documentos import format_nit
from ..extensions import db
from ..models import Apartamento, Cliente, Proyecto, Torre

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


def load_demo_data(seed: int = 2026) -> str:
    """Load the demo set once; a second call changes nothing."""
    if db.session.scalar(db.select(db.func.count(Proyecto.id))):
        return "Los datos de demostración ya estaban cargados; no se cambió nada."
    rng = random.Random(seed)
    apartamentos = _inventario(rng)
    clientes = _clientes(rng, 300)
    db.session.commit()
    resumen = f"{len(apartamentos)} apartamentos, {len(clientes)} clientes"
    from .operaciones import load_demo_operations

    resumen += load_demo_operations(rng, clientes, apartamentos)
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
        )
        db.session.add(proyecto)
        for nombre_torre in torres:
            torre = Torre(proyecto=proyecto, nombre=nombre_torre)
            for piso in range(1, 11):
                for unidad in (1, 2, 3):
                    area = Decimal(rng.choice((48, 55, 62, 70, 84, 96)))
                    precio = (area * Decimal(rng.randint(4_200_000, 6_500_000))).quantize(
                        Decimal("1000000")
                    )
                    apartamento = Apartamento(
                        torre=torre,
                        numero=f"{piso}{unidad:02d}",
                        piso=piso,
                        area_m2=area,
                        habitaciones=1 if area < 55 else (2 if area < 80 else 3),
                        banos=1 if area < 55 else 2,
                        precio=precio,
                        id_estado_inmueble=1,
                    )
                    db.session.add(apartamento)
                    apartamentos.append(apartamento)
    db.session.flush()
    return apartamentos


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
