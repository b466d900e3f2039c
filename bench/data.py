"""flask bench-data: fill the real schema with a large, valid data set, fast.
(The command is registered by admin_app/cli when bench/ is importable.)

Rows go in through the DB-API (executemany of plain tuples on SQLite, COPY on
PostgreSQL), with the secondary indexes and the search triggers dropped for
the load and rebuilt at the end, as a bulk load should. The data follows the
business rules: valid NITs, folded search names, plans whose capital sums to
the price, one vigente operation per apartment, payments applied to the
oldest cuotas.
"""

import itertools
import json
import random
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import click
from flask.cli import with_appcontext

from admin_app.audit import CREAR, ORIGEN_COMANDO
from admin_app.documentos import format_nit
from admin_app.extensions import db
from admin_app.models.base import Dinero, a_centavos
from admin_app.services.plan_pagos import TerminosPlan, resumen_economico, sumar_meses
from admin_app.text import fold
from bench import comercial

CHUNK = 20_000
TABLES = ("proyectos", "torres", "tipos_apartamento", "politicas_precio", "apartamentos")
TABLES += ("clientes", "ventas", "cuotas", "pagos", "pagos_cuotas", "bitacora")
TABLES += ("locales", "parqueaderos", "operacion_unidades")
TABLES += ("planes_pago", "cotizaciones", "cotizacion_unidades")
# bench/comercial.py's tables (their sequences and statistics, on PostgreSQL).
TABLES += ("usuarios", "politicas_comision", "liquidaciones", "comisiones", "metas")
TABLES += ("recibos_caja",)
# The first project is the large one (issue 15: repricing 3,000 apartments).
TORRES_PROYECTO_GRANDE = 15
# Each project's tipos de apartamento: (nombre, área construida, área privada, valor del m²).
TIPOS = (("A", 48, 44, 5_200_000), ("B", 63, 58, 5_000_000), ("C", 85, 79, 4_800_000))
# Every payment's recibo de caja, numbered in payment order (as the migration does).
RECIBOS = (
    "INSERT INTO recibos_caja (id, numero, id_pago, id_venta, documento_cliente, fecha, valor,"
    " medio_pago, referencia, created_at, updated_at)"
    " SELECT p.id, p.id, p.id, p.id_venta, v.documento_cliente, p.fecha, p.valor, m.nombre,"
    " p.referencia, p.created_at, p.created_at"
    " FROM pagos p JOIN ventas v ON v.id = p.id_venta JOIN medios_pago m ON m.id = p.id_medio_pago"
)

NOMBRES = [
    "José",
    "María",
    "Juan",
    "Luis",
    "Carlos",
    "Andrés",
    "Sebastián",
    "Julián",
    "Camilo",
    "Santiago",
    "Nicolás",
    "Martín",
    "Tomás",
    "Matías",
    "Óscar",
    "Héctor",
    "Iván",
    "Raúl",
    "Rubén",
    "Ángel",
    "Álvaro",
    "Jesús",
    "Germán",
    "Hernán",
    "Joaquín",
    "Ana",
    "Lucía",
    "Sofía",
    "Valentina",
    "Camila",
    "Mariana",
    "Daniela",
    "Natalia",
    "Paula",
    "Andrea",
    "Catalina",
    "Mónica",
    "Verónica",
    "Inés",
    "Sonia",
    "Beatriz",
    "Rocío",
    "Mercedes",
    "Ximena",
    "Yolanda",
    "Ángela",
    "Patricia",
    "Gloria",
    "Luz",
]
APELLIDOS = [
    "Pérez",
    "Gómez",
    "Rodríguez",
    "González",
    "Martínez",
    "López",
    "García",
    "Hernández",
    "Sánchez",
    "Ramírez",
    "Díaz",
    "Muñoz",
    "Álvarez",
    "Romero",
    "Jiménez",
    "Ruiz",
    "Suárez",
    "Gutiérrez",
    "Vásquez",
    "Castaño",
    "Restrepo",
    "Ospina",
    "Zuluaga",
    "Giraldo",
    "Valencia",
    "Cardona",
    "Montoya",
    "Quintero",
    "Peña",
    "Ibáñez",
    "Núñez",
    "Ordóñez",
    "Cáceres",
    "Bolívar",
    "Sepúlveda",
    "Echeverri",
    "Londoño",
    "Córdoba",
    "Mejía",
    "Vélez",
    "Arango",
    "Duque",
    "Orozco",
    "Cañas",
]
EMPRESAS = ["Constructora", "Inversiones", "Comercializadora", "Inmobiliaria", "Promotora", "Grupo"]
SUFIJOS = ("S.A.S.", "S.A.", "Ltda.", "y Cía. S.C.A.")
CIUDADES = ("Medellín", "Bogotá", "Cali", "Barranquilla", "Bucaramanga", "Pereira", "Envigado")
VIAS = ("Calle", "Carrera", "Avenida", "Diagonal", "Transversal")
DOMINIOS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.es", "une.net.co")


class Loader:
    """Bulk inserts through the driver's own fast path."""

    def __init__(self, connection):
        self.connection = connection
        self.dialect = db.engine.dialect.name
        self.dinero = _money_columns()

    def money(self, value):
        """A money value in its stored form: integer centavos on SQLite (as
        models.base.Dinero binds it), pesos with 2 places on PostgreSQL."""
        if value is None:
            return None
        if isinstance(value, int):  # the generator's whole pesos: the fast path
            return value * 100 if self.dialect == "sqlite" else value
        valor = a_centavos(value)
        return int(valor.scaleb(2)) if self.dialect == "sqlite" else valor

    def value(self, value):
        if isinstance(value, datetime):
            if self.dialect == "sqlite":  # the format SQLAlchemy writes and reads back
                return value.strftime("%Y-%m-%d %H:%M:%S.%f")
            return value.isoformat(sep=" ")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def insert(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        count = 0
        names = ", ".join(columns)
        dinero = [i for i, name in enumerate(columns) if name in self.dinero.get(table, ())]
        if dinero:
            rows = self._money_rows(rows, dinero)
        if self.dialect == "postgresql":
            cursor = self.connection.cursor()
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for chunk in _chunks(rows):
                    lines = ["\t".join(_copy_text(self.value(v)) for v in row) for row in chunk]
                    copy.write("\n".join(lines) + "\n")
                    count += len(chunk)
            return count
        marks = ", ".join("?" for _ in columns)
        cursor = self.connection.cursor()
        for chunk in _chunks(rows):
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",
                [tuple(self.value(v) for v in row) for row in chunk],
            )
            count += len(chunk)
        return count

    def _money_rows(self, rows: Iterable[tuple], positions: list[int]) -> Iterator[tuple]:
        for row in rows:
            row = list(row)
            for i in positions:
                row[i] = self.money(row[i])
            yield tuple(row)


def _money_columns() -> dict[str, set[str]]:
    """Each table's money columns (models.base.Dinero), from the models' metadata."""
    return {
        table.name: {c.name for c in table.columns if isinstance(c.type, Dinero)}
        for table in db.metadata.sorted_tables
    }


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _chunks(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def columns(names: str) -> tuple[str, ...]:
    """A table's columns, in the order the generator's tuples give them."""
    return tuple(names.split())


# -- the data -------------------------------------------------------------------
class Generator:
    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.now = datetime.now(UTC)
        self.folded = {word: fold(word) for word in NOMBRES + APELLIDOS + EMPRESAS + list(SUFIJOS)}

    def timestamp(self, day: date) -> datetime:
        seconds = self.rng.randrange(8 * 3600, 18 * 3600)
        return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)

    def documentos(self, n: int) -> list[tuple[str, int, int]]:
        """(documento, id_tipo_cliente, id_tipo_documento), all distinct and valid."""
        n_nit = n // 10
        n_ce = n // 50
        n_cc = n - n_nit - n_ce
        rng = self.rng
        rows = [(str(cc), 1, 1) for cc in rng.sample(range(10_000_000, 1_999_999_999), n_cc)]
        rows += [
            (format_nit(str(b)), 2, 2) for b in rng.sample(range(800_000_000, 999_999_999), n_nit)
        ]
        rows += [(f"E{b}", 1, 3) for b in rng.sample(range(100_000, 99_999_999), n_ce)]
        rng.shuffle(rows)
        return rows

    def nombre(self, juridica: bool) -> tuple[str, str]:
        """A name and its folded form (fold of each word, joined as fold would)."""
        rng, f = self.rng, self.folded
        if juridica:
            words = [rng.choice(EMPRESAS), rng.choice(APELLIDOS), rng.choice(APELLIDOS)]
            sufijo = rng.choice(SUFIJOS)
            nombre = f"{words[0]} {words[1]} {words[2]} {sufijo}"
            return nombre, " ".join(f[w] for w in words) + " " + f[sufijo]
        words = [rng.choice(NOMBRES)]
        if rng.random() < 0.6:
            words.append(rng.choice(NOMBRES))
        words += [rng.choice(APELLIDOS), rng.choice(APELLIDOS)]
        return " ".join(words), " ".join(f[w] for w in words)

    def clientes(self, documentos) -> Iterator[tuple]:
        rng = self.rng
        start = date(2015, 1, 1)
        span = (self.today - start).days
        for documento, tipo_cliente, tipo_documento in documentos:
            nombre, busqueda = self.nombre(tipo_cliente == 2)
            created = self.timestamp(start + timedelta(days=rng.randrange(span)))
            usuario = busqueda.split(" ")[0] + "." + busqueda.split(" ")[-1].rstrip(".")
            yield (
                documento,
                nombre,
                busqueda,
                tipo_cliente,
                tipo_documento,
                f"{rng.choice(VIAS)} {rng.randrange(1, 120)} # {rng.randrange(1, 99)}-"
                f"{rng.randrange(1, 99)}, {rng.choice(CIUDADES)}",
                f"3{rng.randrange(0, 999_999_999):09d}" if rng.random() < 0.9 else None,
                f"{usuario}{rng.randrange(1, 999)}@{rng.choice(DOMINIOS)}"
                if rng.random() < 0.8
                else None,
                created,
                created,
                1,
            )


CLIENTE_COLUMNS = columns(
    "documento nombre nombre_busqueda id_tipo_cliente id_tipo_documento direccion "
    "telefono correo created_at updated_at version"
)
VENTA_COLUMNS = columns(
    "id tipo_operacion estado_operacion documento_cliente id_apartamento id_proyecto "
    "id_forma_pago fecha valor_total valor_separacion fecha_limite_separacion "
    "cuota_inicial plazo_cuota_inicial_meses tasa_interes_anual motivo_anulacion "
    "created_at updated_at version"
)
CUOTA_COLUMNS = columns(
    "id id_venta numero concepto fecha_vencimiento valor capital interes saldo valor_pagado"
)
UNIDAD_COLUMNS = columns("id id_venta id_apartamento rol precio vigente")
PAGO_COLUMNS = columns(
    "id id_venta fecha valor id_medio_pago referencia created_at updated_at version"
)


BITACORA_COLUMNS = ("id", "fecha", "actor", "origen", "accion", "tabla", "registro", "cambios")


def bitacora_de_clientes(creados: list[tuple], primero: int) -> Iterator[tuple]:
    """The audit entry each client's creation leaves, as admin_app.audit writes it:
    a log as long as the client table, as it would be in a real database."""
    for numero, (documento, nombre, tipo_cliente, tipo_documento, creado) in enumerate(
        creados, start=primero
    ):
        cambios = {
            "documento": [None, documento],
            "nombre": [None, nombre],
            "id_tipo_cliente": [None, tipo_cliente],
            "id_tipo_documento": [None, tipo_documento],
        }
        yield (
            numero,
            creado,
            "comando:bench-data",
            ORIGEN_COMANDO,
            CREAR,
            "clientes",
            documento,
            json.dumps(cambios, ensure_ascii=False),
        )


def plan(venta_id, tipo, fecha, valor_total, separacion, cuota_inicial, plazo):
    """The cuotas (numero, concepto, vencimiento, capital) of one operation."""
    cuotas = [(1, "Separación", fecha, separacion)] if separacion > 0 else []
    if tipo == "separacion":
        return cuotas
    financed = cuota_inicial - separacion
    share = financed // plazo
    for k in range(1, plazo + 1):
        amount = share if k < plazo else financed - share * (plazo - 1)
        cuotas.append((len(cuotas) + 1, "Cuota inicial", sumar_meses(fecha, k), amount))
    cuotas.append(
        (len(cuotas) + 1, "Saldo final", sumar_meses(fecha, plazo + 1), valor_total - cuota_inicial)
    )
    return cuotas


def generate(loader: Loader, sizes: dict, rng: random.Random, echo) -> dict[str, int]:
    today = date.today()
    gen = Generator(rng, today)
    counts = {}

    # The first project has 15 torres (3,000 apartments), the others 5; torres of
    # 20 floors x 10 apartments.
    n_apartamentos = sizes["apartamentos"]
    n_torres = max(1, -(-n_apartamentos // 200))
    grande = min(n_torres, TORRES_PROYECTO_GRANDE)
    n_proyectos = 1 + max(0, -(-(n_torres - grande) // 5))

    def proyecto_de(t: int) -> int:
        return 1 if t <= grande else (t - grande - 1) // 5 + 2

    created = gen.now
    proyectos = [
        (
            p,
            f"Proyecto {rng.choice(APELLIDOS)} {p}",
            rng.choice(CIUDADES),
            30,
            5_000_000,
            120,
            30,
            True,
            True,
            2_000_000,
            500_000,
            created,
            created,
            1,
        )
        for p in range(1, n_proyectos + 1)
    ]
    counts["proyectos"] = loader.insert(
        "proyectos",
        columns(
            "id nombre ciudad porcentaje_cuota_inicial_min valor_min_separacion "
            "plazo_max_cuota_inicial_meses plazo_max_separacion_dias activo "
            "prima_altura_activa prima_altura_base prima_altura_incremento created_at "
            "updated_at version"
        ),
        proyectos,
    )
    torres = [
        (t, proyecto_de(t), f"Torre {t if t <= grande else (t - grande - 1) % 5 + 1}")
        + (3, created, created, 1)
        for t in range(1, n_torres + 1)
    ]
    counts["torres"] = loader.insert(
        "torres",
        columns("id id_proyecto nombre nivel_inicio_prima created_at updated_at version"),
        torres,
    )
    # Three tipos and two policies (a sales step, a date) per project.
    tipos = [
        (len(TIPOS) * (p - 1) + i, p, nombre, construida, privada, 1 + construida // 35)
        + (1 + construida // 60, valor, created, created, 1)
        for p in range(1, n_proyectos + 1)
        for i, (nombre, construida, privada, valor) in enumerate(TIPOS, start=1)
    ]
    counts["tipos_apartamento"] = loader.insert(
        "tipos_apartamento",
        columns(
            "id id_proyecto nombre area_construida area_privada habitaciones banos valor_m2 "
            "created_at updated_at version"
        ),
        tipos,
    )
    politicas = [
        (2 * p - 1, p, "Escalón 1", 1, 50, "2.0000", None) + (True, created, created, 1)
        for p in range(1, n_proyectos + 1)
    ] + [
        (2 * p, p, "Lanzamiento", 2, None, "1.5000", date(2019, 1, 1)) + (True, created, created, 1)
        for p in range(1, n_proyectos + 1)
    ]
    counts["politicas_precio"] = loader.insert(
        "politicas_precio",
        columns(
            "id id_proyecto nombre orden ventas_por_escalon porcentaje_aumento aplica_desde "
            "activa created_at updated_at version"
        ),
        politicas,
    )

    echo("clientes...")
    documentos = gen.documentos(sizes["clientes"])
    creados: list[tuple] = []  # what the audit log needs of each, kept as the rows stream

    def clientes():
        for row in gen.clientes(documentos):
            creados.append((row[0], row[1], row[3], row[4], row[8]))
            yield row

    counts["clientes"] = loader.insert("clientes", CLIENTE_COLUMNS, clientes())
    echo("bitácora...")
    cursor = loader.connection.cursor()
    cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM bitacora")  # after the catalogs' own
    entradas = bitacora_de_clientes(creados, primero=cursor.fetchone()[0])
    counts["bitacora"] = loader.insert("bitacora", BITACORA_COLUMNS, entradas)
    creados.clear()  # free them before the operations

    # Operations: venta j is on apartment j % A; the last one on each apartment
    # is vigente, the earlier ones were annulled (ventas) or lapsed (separaciones).
    n_ventas = sizes["ventas"]
    plazo = max(1, sizes["cuotas_por_venta"] - 2)
    precios = [
        (rng.randrange(45, 121), rng.randrange(45, 91) * 100_000) for _ in range(n_apartamentos)
    ]
    # Who buys what is drawn first: the apartments (inserted before the ventas
    # that reference them) must know their owner.
    operaciones = [
        (
            "separacion" if rng.random() < 0.05 else "venta",
            documentos[rng.randrange(len(documentos))][0],
        )
        for _ in range(n_ventas)
    ]
    # The last operation on an apartment is vigente, but for one in ten, which
    # was annulled and left the apartment for sale again.
    vigentes = {j for j in range(max(0, n_ventas - n_apartamentos), n_ventas) if rng.random() < 0.9}
    owners = {j % n_apartamentos + 1: operaciones[j] for j in vigentes}
    ventas, cuotas, pagos, aplicaciones = [], [], [], []
    n_pagos = sizes["pagos"]
    pagos_base, pagos_extra = divmod(n_pagos, max(n_ventas, 1))
    cuota_id = pago_id = aplicacion_id = carry = 0
    counts.update(ventas=0, cuotas=0, pagos=0, pagos_cuotas=0)
    earliest = date(2019, 1, 1)
    span = max(1, (today - timedelta(days=400) - earliest).days)

    unidades: list[tuple] = []
    counts["operacion_unidades"] = 0

    def flush():
        counts["ventas"] += loader.insert("ventas", VENTA_COLUMNS, ventas)
        # Every operation's main unit (services.ventas writes the same row).
        counts["operacion_unidades"] += loader.insert(
            "operacion_unidades", UNIDAD_COLUMNS, unidades
        )
        unidades.clear()
        counts["cuotas"] += loader.insert("cuotas", CUOTA_COLUMNS, cuotas)
        counts["pagos"] += loader.insert("pagos", PAGO_COLUMNS, pagos)
        counts["pagos_cuotas"] += loader.insert(
            "pagos_cuotas", ("id", "id_pago", "id_cuota", "valor"), aplicaciones
        )
        for rows in (ventas, cuotas, pagos, aplicaciones):
            rows.clear()

    echo("apartamentos...")
    estado_por_tipo = {"venta": 3, "separacion": 2}  # Vendido, Separado

    # Half the apartments of each torre (the even doors) are of a tipo: their base is
    # its valor estimado; the others' base is typed. Every price is the base as
    # loaded (the first repricing adds the prima and the policies).
    def tipo_de(a: int) -> int | None:
        position = (a - 1) % 200
        if position % 2:
            return None
        proyecto = proyecto_de((a - 1) // 200 + 1)
        return len(TIPOS) * (proyecto - 1) + 1 + (position // 2) % len(TIPOS)

    for a in range(1, n_apartamentos + 1):
        if (tipo := tipo_de(a)) is not None:
            _nombre, construida, _privada, valor = TIPOS[(tipo - 1) % len(TIPOS)]
            precios[a - 1] = (construida, valor)

    def apartamentos():
        for a in range(1, n_apartamentos + 1):
            torre = (a - 1) // 200 + 1
            position = (a - 1) % 200
            piso, puerta = position // 10 + 1, position % 10 + 1
            area, precio_m2 = precios[a - 1]
            tipo, documento = owners.get(a, (None, None))
            estado = estado_por_tipo.get(tipo, 1)
            yield (
                a,
                torre,
                f"{piso}{puerta:02d}",
                piso,
                area,
                1 + area // 35,
                1 + area // 60,
                area * precio_m2,
                area * precio_m2,
                tipo_de(a),
                estado,
                documento if tipo == "venta" else None,
                created,
                created,
                1,
            )

    counts["apartamentos"] = loader.insert(
        "apartamentos",
        columns(
            "id id_torre numero piso area_m2 habitaciones banos precio precio_base "
            "id_tipo_apartamento id_estado_inmueble documento_cliente created_at updated_at "
            "version"
        ),
        apartamentos(),
    )
    echo("ventas, cuotas y pagos...")
    for j in range(n_ventas):
        venta_id = j + 1
        apartamento = j % n_apartamentos + 1
        last = j in vigentes
        area, precio_m2 = precios[apartamento - 1]
        valor_total = area * precio_m2
        tipo, documento = operaciones[j]
        if last and tipo == "separacion":
            fecha = today - timedelta(days=rng.randrange(0, 20))
        else:
            fecha = earliest + timedelta(days=rng.randrange(span))
        separacion = 5_000_000
        if tipo == "venta":
            cuota_inicial = -(-valor_total * rng.randrange(30, 41) // 100)
            estado = "vigente" if last else "anulada"
            extra = (rng.randrange(1, 5), None, cuota_inicial, plazo)
        else:
            cuota_inicial = None
            estado = "vigente" if last else "caducada"
            extra = (None, fecha + timedelta(days=30), None, None)
        stamp = gen.timestamp(fecha)
        ventas.append(
            (
                venta_id,
                tipo,
                estado,
                documento,
                apartamento,
                proyecto_de((apartamento - 1) // 200 + 1),
            )
            + (extra[0], fecha, valor_total)
            + (separacion, extra[1], extra[2], extra[3], 0)
            + ("Desistimiento del comprador" if estado == "anulada" else None, stamp, stamp, 1)
        )
        unidades.append((venta_id, venta_id, apartamento, "principal", valor_total, last))
        plan_rows = plan(venta_id, tipo, fecha, valor_total, separacion, cuota_inicial, plazo)
        # A separación has one cuota: what it cannot take passes to the next operation.
        wanted = carry + pagos_base + (1 if j < pagos_extra else 0)
        n_paid = min(len(plan_rows), wanted)
        carry = wanted - n_paid
        owed = valor_total
        for numero, concepto, vencimiento, capital in plan_rows:
            cuota_id += 1
            owed -= capital
            paid = numero <= n_paid
            cuotas.append(
                (cuota_id, venta_id, numero, concepto, vencimiento, capital, capital, 0, owed)
                + (capital if paid else 0,)
            )
            if paid:
                pago_id += 1
                aplicacion_id += 1
                medio = rng.randrange(1, 6)
                referencia = f"TRX{pago_id:09d}" if medio in (2, 5) else None
                pay_day = min(vencimiento, today)
                pay_stamp = gen.timestamp(pay_day)
                pagos.append(
                    (pago_id, venta_id, pay_day, capital, medio, referencia, pay_stamp)
                    + (pay_stamp, 1)
                )
                aplicaciones.append((aplicacion_id, pago_id, cuota_id, capital))
        if len(cuotas) >= CHUNK * 5:
            flush()
    flush()
    counts.update(comercial.generar(loader, n_ventas, rng, echo))
    echo("recibos de caja...")
    cursor = loader.connection.cursor()
    cursor.execute(RECIBOS)
    cursor.execute("DELETE FROM consecutivos WHERE nombre = 'recibo_caja'")
    cursor.execute(
        "INSERT INTO consecutivos (nombre, ultimo)"
        " SELECT 'recibo_caja', COALESCE(MAX(numero), 0) FROM recibos_caja"
    )
    counts["recibos_caja"] = counts["pagos"]

    echo("locales y parqueaderos...")
    counts.update(_locales_parqueaderos(loader, sizes, rng, n_torres, created, proyecto_de))
    echo("planes de pago y cotizaciones...")
    counts.update(
        planes_y_cotizaciones(
            loader,
            sizes.get("cotizaciones", 0),
            n_proyectos,
            precios,
            documentos,
            n_ventas,
            gen,
            proyecto_de,
        )
    )
    return counts


# Four plans per project, as a project offers them: (nombre, terms, beneficio).
PLANES_BENCH = (
    ("Mensual 24 meses", dict(tipo="mensual", porcentaje_cuota_inicial=30, plazo_meses=24), None),
    ("Mensual 120 meses", dict(tipo="mensual", porcentaje_cuota_inicial=30, plazo_meses=120), None),
    (
        "Contado",
        dict(
            tipo="contado",
            porcentaje_cuota_inicial=100,
            plazo_meses=2,
            descuento_tipo="porcentaje",
            descuento_valor=5,
            descuento_sobre="total",
        ),
        "Escrituración a cargo de la constructora",
    ),
    (
        "Trimestral 36 meses",
        dict(
            tipo="diferido",
            porcentaje_cuota_inicial=40,
            plazo_meses=36,
            frecuencia_meses=3,
            descuento_tipo="valor",
            descuento_valor=3_000_000,
            descuento_sobre="cuota_inicial",
        ),
        None,
    ),
)
PLAN_COLUMNS = columns(
    "id id_proyecto nombre tipo valor_separacion porcentaje_cuota_inicial plazo_meses "
    "frecuencia_meses porcentaje_escritura descuento_tipo descuento_valor descuento_sobre "
    "tasa_interes_anual beneficio activo ranura created_at updated_at version"
)
COTIZACION_COLUMNS = columns(
    "id numero fecha valida_hasta id_proyecto documento_cliente prospecto_nombre "
    "prospecto_telefono prospecto_correo id_plan_pago valor_separacion plazo_meses "
    "tasa_interes_anual valor_total cuota_inicial id_usuario id_venta plan_nombre plan_tipo "
    "frecuencia_meses porcentaje_cuota_inicial porcentaje_escritura descuento_tipo "
    "descuento_valor descuento_sobre plan_beneficio precio_bruto descuento created_at "
    "updated_at version"
)


def planes_y_cotizaciones(
    loader, n_cotizaciones, n_proyectos, precios, documentos, n_ventas, gen, proyecto_de
) -> dict[str, int]:
    """Three plans per project and `n_cotizaciones` quotes of one apartment each,
    their figures from the same resumen_economico as the app's (a few converted
    into the bench's ventas, the rest vigentes or vencidas, some of prospects)."""
    rng, today, created = gen.rng, gen.today, gen.now
    terminos, planes = {}, []
    for p in range(1, n_proyectos + 1):
        for k, (nombre, datos, beneficio) in enumerate(PLANES_BENCH, start=1):
            plan_id = (p - 1) * len(PLANES_BENCH) + k
            t = TerminosPlan(
                tipo=datos["tipo"],
                valor_separacion=Decimal(5_000_000),
                porcentaje_cuota_inicial=Decimal(datos["porcentaje_cuota_inicial"]),
                plazo_meses=datos["plazo_meses"],
                frecuencia_meses=datos.get("frecuencia_meses", 1),
                descuento_tipo=datos.get("descuento_tipo"),
                descuento_valor=Decimal(datos.get("descuento_valor", 0)),
                descuento_sobre=datos.get("descuento_sobre"),
            )
            terminos[plan_id] = (nombre, t, beneficio, p)
            planes.append(
                (plan_id, p, nombre, t.tipo, 5_000_000, str(t.porcentaje_cuota_inicial))
                + (t.plazo_meses, t.frecuencia_meses, str(100 - t.porcentaje_cuota_inicial))
                + (t.descuento_tipo, str(t.descuento_valor), t.descuento_sobre, "0", beneficio)
                + (True, k, created, created, 1)
            )
    counts = {"planes_pago": loader.insert("planes_pago", PLAN_COLUMNS, planes)}
    n_apartamentos = len(precios)
    convertidas = min(n_ventas, n_cotizaciones // 20)
    span = 730

    def cotizaciones():
        for q in range(1, n_cotizaciones + 1):
            if q <= convertidas:  # quote q became venta q, on apartment (q - 1) % A + 1
                apartamento = (q - 1) % n_apartamentos + 1
            else:
                apartamento = rng.randrange(1, n_apartamentos + 1)
            proyecto = proyecto_de((apartamento - 1) // 200 + 1)
            plan_id = (proyecto - 1) * len(PLANES_BENCH) + rng.randrange(1, len(PLANES_BENCH) + 1)
            nombre, t, beneficio, _p = terminos[plan_id]
            area, precio_m2 = precios[apartamento - 1]
            r = resumen_economico(Decimal(area * precio_m2), t)
            fecha = today - timedelta(days=rng.randrange(span))
            prospecto = rng.random() < 0.3
            documento = None if prospecto else documentos[rng.randrange(len(documentos))][0]
            stamp = gen.timestamp(fecha)
            unidades.append((q, q, apartamento, None, None, "principal", r.precio_bruto))
            yield (
                (q, q, fecha, fecha + timedelta(days=7), proyecto, documento)
                + (("Prospecto " + str(q), "3001234567", None) if prospecto else (None, None, None))
                + (plan_id, r.valor_separacion, r.plazo_meses, "0", r.valor_total, r.cuota_inicial)
                + (None, q if q <= convertidas else None, nombre, t.tipo, r.frecuencia_meses)
                + (str(r.porcentaje_cuota_inicial), str(100 - r.porcentaje_cuota_inicial))
                + (t.descuento_tipo, str(t.descuento_valor) if t.descuento_tipo else None)
                + (t.descuento_sobre, beneficio, r.precio_bruto, r.descuento, stamp, stamp, 1)
            )

    unidades: list[tuple] = []
    counts["cotizaciones"] = 0
    counts["cotizacion_unidades"] = 0
    generador = cotizaciones()
    while True:
        lote = list(itertools.islice(generador, CHUNK))
        if not lote:
            break
        counts["cotizaciones"] += loader.insert("cotizaciones", COTIZACION_COLUMNS, lote)
        counts["cotizacion_unidades"] += loader.insert(
            "cotizacion_unidades",
            columns("id id_cotizacion id_apartamento id_local id_parqueadero rol precio"),
            unidades,
        )
        unidades.clear()
    return counts


def _locales_parqueaderos(
    loader, sizes: dict, rng, n_torres: int, created, proyecto_de
) -> dict[str, int]:
    """Locales and parqueaderos spread over the torres (each local in its torre's
    project, `proyecto_de`), Disponible but for a few Bloqueado, numbered within
    their torre, all libres (no incluidos)."""

    def locales():
        for k in range(1, sizes.get("locales", 0) + 1):
            torre = (k - 1) % n_torres + 1
            area = rng.randrange(20, 201)
            valor_m2 = rng.randrange(50, 120) * 100_000
            yield (
                k,
                proyecto_de(torre),
                torre,
                f"L-{(k - 1) // n_torres + 1:05d}",
                area,
                valor_m2,
                area * valor_m2,
                4 if rng.random() < 0.02 else 1,
                created,
                created,
                1,
            )

    def parqueaderos():
        for k in range(1, sizes.get("parqueaderos", 0) + 1):
            torre = (k - 1) % n_torres + 1
            tipo = 1 if rng.random() < 0.7 else rng.randrange(2, 5)
            yield (
                k,
                torre,
                f"P-{(k - 1) // n_torres + 1:05d}",
                tipo,
                rng.choice((25, 30, 35)) * 1_000_000 if tipo == 1 else 9_000_000,
                4 if rng.random() < 0.02 else 1,
                created,
                created,
                1,
            )

    return {
        "locales": loader.insert(
            "locales",
            columns(
                "id id_proyecto id_torre numero area_m2 valor_m2 precio id_estado_inmueble "
                "created_at updated_at version"
            ),
            locales(),
        ),
        "parqueaderos": loader.insert(
            "parqueaderos",
            columns(
                "id id_torre numero id_tipo_parqueadero precio id_estado_inmueble "
                "created_at updated_at version"
            ),
            parqueaderos(),
        ),
    }


# -- around the load: indexes, triggers, pragmas ----------------------------------
def _sqlite_drop_secondary(cursor) -> tuple[list[str], list[str]]:
    """Drop the indexes and triggers of the loaded tables; return the SQL that recreates them."""
    marks = ", ".join("?" for _ in TABLES)
    rows = cursor.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        f" AND tbl_name IN ({marks}) AND sql IS NOT NULL",
        TABLES,
    ).fetchall()
    for kind, name, _sql in rows:
        cursor.execute(f"DROP {kind.upper()} {name}")
    indexes = [sql for kind, _name, sql in rows if kind == "index"]
    triggers = [sql for kind, _name, sql in rows if kind == "trigger"]
    return indexes, triggers


def _postgresql_drop_secondary(cursor) -> list[str]:
    """Drop the indexes that back no constraint; return the SQL that recreates them."""
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        (list(TABLES),),
    )
    rows = cursor.fetchall()
    for name, _sql in rows:
        cursor.execute(f"DROP INDEX {name}")
    return [sql for _name, sql in rows]


def _load_sqlite(connection, sizes: dict, seed: int, echo, estadisticas: bool) -> dict[str, int]:
    cursor = connection.cursor()
    connection.commit()
    cursor.execute("PRAGMA foreign_keys = OFF")  # the data is valid by construction
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("PRAGMA cache_size = -400000")
    cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        cursor.execute("BEGIN")
        indexes, triggers = _sqlite_drop_secondary(cursor)
        counts = generate(Loader(connection), sizes, random.Random(seed), echo)
        echo("índices y búsqueda...")
        for sql in indexes:
            cursor.execute(sql)
        fts = "SELECT 1 FROM sqlite_master WHERE name = 'clientes_fts'"
        if cursor.execute(fts).fetchone():
            cursor.execute("INSERT INTO clientes_fts(clientes_fts) VALUES ('rebuild')")
        for sql in triggers:
            cursor.execute(sql)
        connection.commit()
        if estadisticas:
            echo("estadísticas del planificador...")
            # Every row, not the app's sample (database.ANALYSIS_LIMIT): a sampled
            # ANALYZE takes id_tipo_cliente for selective and sorts 1M rows.
            cursor.execute("PRAGMA analysis_limit = 0")
            cursor.execute("ANALYZE")
        else:  # as a load by plain SQL leaves it: the planner knows nothing
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat4")
        connection.commit()
        return counts
    finally:
        connection.rollback()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")


def _load_postgresql(
    connection, sizes: dict, seed: int, echo, estadisticas: bool
) -> dict[str, int]:
    cursor = connection.cursor()
    cursor.execute("SET maintenance_work_mem = '256MB'")
    indexes = _postgresql_drop_secondary(cursor)
    counts = generate(Loader(connection), sizes, random.Random(seed), echo)
    echo("índices...")
    for sql in indexes:
        cursor.execute(sql)
    for table in TABLES:
        if table != "clientes":  # explicit ids leave the sequences behind
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
    connection.commit()
    if not estadisticas:  # autovacuum analyses the tables on its own, a minute or so later
        return counts
    echo("estadísticas del planificador...")
    connection.autocommit = True
    try:
        cursor.execute(f"VACUUM ANALYZE {', '.join(TABLES)}")
    finally:
        connection.autocommit = False
    return counts


def load(sizes: dict, seed: int, echo, estadisticas: bool = True) -> dict[str, int]:
    raw = db.engine.raw_connection()
    try:
        if db.engine.dialect.name == "postgresql":
            return _load_postgresql(raw.driver_connection, sizes, seed, echo, estadisticas)
        return _load_sqlite(raw.driver_connection, sizes, seed, echo, estadisticas)
    finally:
        raw.close()


@click.command("bench-data")
@click.option("--clientes", default=1_000_000, show_default=True)
@click.option("--apartamentos", default=60_000, show_default=True)
@click.option("--ventas", default=120_000, show_default=True)
@click.option("--cuotas-por-venta", default=10, show_default=True)
@click.option("--pagos", default=600_000, show_default=True)
@click.option("--locales", default=10_000, show_default=True)
@click.option("--parqueaderos", default=40_000, show_default=True)
@click.option("--cotizaciones", default=200_000, show_default=True)
@click.option(
    "--seed", default=2026, show_default=True, help="Semilla: el mismo número da los mismos datos."
)
@click.option(
    "--sin-estadisticas",
    is_flag=True,
    help="No analizar al final (como una carga por SQL): para medir una base nunca analizada.",
)
@with_appcontext
def bench_data_command(
    clientes,
    apartamentos,
    ventas,
    cuotas_por_venta,
    pagos,
    locales,
    parqueaderos,
    cotizaciones,
    seed,
    sin_estadisticas,
) -> None:
    """Llena una base vacía con datos de prueba de rendimiento (válidos y realistas)."""
    if db.session.scalar(db.text("SELECT 1 FROM clientes LIMIT 1")) or db.session.scalar(
        db.text("SELECT 1 FROM proyectos LIMIT 1")
    ):
        raise click.ClickException(
            "La base ya tiene clientes o proyectos; bench-data llena solo una base vacía."
        )
    if min(ventas, pagos, locales, parqueaderos) < 0:
        raise click.ClickException("Las cantidades no pueden ser negativas.")
    if apartamentos < 1 or clientes < 1 or cuotas_por_venta < 3:
        raise click.ClickException(
            "Se necesitan al menos 1 cliente, 1 apartamento y 3 cuotas por venta."
        )
    db.session.remove()
    sizes = dict(
        clientes=clientes,
        apartamentos=apartamentos,
        ventas=ventas,
        cuotas_por_venta=cuotas_por_venta,
        pagos=pagos,
        locales=locales,
        parqueaderos=parqueaderos,
        cotizaciones=max(cotizaciones, 0),
    )
    started = time.perf_counter()
    counts = load(sizes, seed, click.echo, estadisticas=not sin_estadisticas)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{table}: {count}" for table, count in counts.items())
    click.echo(f"Listo en {elapsed:.1f} s. {summary}")
