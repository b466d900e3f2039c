"""The bench's commercial data: asesores (200 at full size) in teams of ten under a
director, every operation attributed, their policies, the commissions the ventas
earned (paid, liquidated or causadas by age), monthly settlements and a year of goals.

Written by SQL over the loaded ventas (bench/data.py calls `generar` last), money
in its stored form (integer centavos on SQLite, pesos on PostgreSQL); the loader
moves PostgreSQL's sequences past the explicit ids (data.TABLES)."""

from datetime import date, datetime, timedelta

PROPIA, EQUIPO = 3, 1  # percent
POR_EQUIPO = 10
MOMENTOS = ("created_at", "updated_at", "version")
USUARIO_COLUMNS = ("id", "username", "nombre_completo", "rol", "id_director", "password_hash")
USUARIO_COLUMNS += ("activo", *MOMENTOS)
POLITICA_COLUMNS = ("id", "id_usuario", "id_proyecto", "tipo", "porcentaje", "vigente_desde")
POLITICA_COLUMNS += MOMENTOS
PRIMER_ANIO = 2019


def _primero_del_mes(dia: date) -> date:
    return dia.replace(day=1)


def _meses(desde: date, hasta: date) -> list[date]:
    meses, mes = [], _primero_del_mes(desde)
    while mes <= hasta:
        meses.append(mes)
        mes = (mes + timedelta(days=32)).replace(day=1)
    return meses


def generar(loader, n_ventas: int, rng, echo) -> dict[str, int]:
    echo("asesores, comisiones y metas...")
    cursor = loader.connection.cursor()
    sqlite = loader.dialect == "sqlite"
    hoy = date.today()
    ahora = datetime(hoy.year, hoy.month, hoy.day, 12)
    n_asesores = max(POR_EQUIPO, n_ventas // 600)
    n_directores = max(1, n_asesores // POR_EQUIPO)
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM usuarios")
    base = cursor.fetchone()[0]
    gerente = base + 1  # who liquidated the settlements
    directores = list(range(base + 2, base + n_directores + 2))
    asesores = list(range(base + n_directores + 2, base + n_directores + n_asesores + 2))
    usuarios = (
        [(gerente, "gerente1", "Gerente General", "gerente", None)]
        + [
            (d, f"director{i}", f"Director Comercial {i}", "director_comercial", None)
            for i, d in enumerate(directores, 1)
        ]
        + [
            (
                a,
                f"asesor{i}",
                f"Asesor {i}",
                "asesor",
                directores[(i - 1) // POR_EQUIPO % n_directores],
            )
            for i, a in enumerate(asesores, 1)
        ]
    )
    counts = {
        "usuarios": loader.insert(
            "usuarios",
            USUARIO_COLUMNS,
            ((*u, "!", True, ahora, ahora, 1) for u in usuarios),
        )
    }
    primero = asesores[0]
    cursor.execute(f"UPDATE ventas SET id_asesor = {primero} + (id % {n_asesores})")

    cursor.execute("SELECT id FROM proyectos ORDER BY id")
    proyectos = [fila[0] for fila in cursor.fetchall()]
    politicas = [(u, p, "propia", PROPIA) for u in asesores for p in proyectos]
    politicas += [(d, p, "equipo", EQUIPO) for d in directores for p in proyectos]
    counts["politicas_comision"] = loader.insert(
        "politicas_comision",
        POLITICA_COLUMNS,
        (
            (i, *pol, date(PRIMER_ANIO - 1, 1, 1), ahora, ahora, 1)
            for i, pol in enumerate(politicas, 1)
        ),
    )

    # Settlements: one a month; older than ~4 months paid, older than ~2 liquidated.
    pagada_antes = _primero_del_mes(hoy - timedelta(days=120))
    liquidada_antes = _primero_del_mes(hoy - timedelta(days=60))
    meses = _meses(date(PRIMER_ANIO, 1, 1), liquidada_antes - timedelta(days=1))
    liquidaciones = [
        (
            (m.year - PRIMER_ANIO) * 12 + m.month,
            f"LIQ-{(m.year - PRIMER_ANIO) * 12 + m.month:06d}",
            (m + timedelta(days=35)).replace(day=5),
            "pagada" if m < pagada_antes else "liquidada",
            0,
            (m + timedelta(days=40)).replace(day=10) if m < pagada_antes else None,
            f"TRF-{m:%Y%m}" if m < pagada_antes else None,
            gerente,
        )
        for m in meses
    ]
    counts["liquidaciones"] = loader.insert(
        "liquidaciones",
        ["id", "numero", "fecha", "estado", "total", "fecha_pago", "referencia", "id_usuario"]
        + ["created_at", "updated_at", "version"],
        ((*liq, ahora, ahora, 1) for liq in liquidaciones),
    )

    if sqlite:
        mes_de = (
            "((CAST(strftime('%Y', v.fecha) AS INTEGER) - {a}) * 12"
            " + CAST(strftime('%m', v.fecha) AS INTEGER))"
        )
        valor = "((v.valor_total * {p} + 50) / 100)"
    else:
        mes_de = "((EXTRACT(YEAR FROM v.fecha)::int - {a}) * 12 + EXTRACT(MONTH FROM v.fecha)::int)"
        valor = "ROUND(v.valor_total * {p} / 100, 2)"
    mes_de = mes_de.format(a=PRIMER_ANIO)
    estado = (
        f"CASE WHEN v.estado_operacion = 'anulada' THEN 'anulada'"
        f" WHEN v.fecha < '{pagada_antes}' THEN 'pagada'"
        f" WHEN v.fecha < '{liquidada_antes}' THEN 'liquidada' ELSE 'causada' END"
    )
    liquidacion = (
        f"CASE WHEN v.estado_operacion <> 'anulada' AND v.fecha < '{liquidada_antes}'"
        f" AND v.fecha >= '{PRIMER_ANIO}-01-01' THEN {mes_de} ELSE NULL END"
    )
    # Settled rows of an annulled venta would be adjustments; the bench keeps them anuladas.
    for tipo, porcentaje, beneficiario, join in (
        ("propia", PROPIA, "v.id_asesor", ""),
        ("equipo", EQUIPO, "u.id_director", "JOIN usuarios u ON u.id = v.id_asesor"),
    ):
        cursor.execute(
            "INSERT INTO comisiones (id_venta, id_usuario, id_proyecto, id_politica,"
            " id_liquidacion, tipo, es_ajuste, estado, fecha, base, porcentaje, valor,"
            " created_at, updated_at, version)"
            f" SELECT v.id, {beneficiario}, t.id_proyecto, pc.id, {liquidacion}, '{tipo}',"
            f" {'0' if sqlite else 'false'}, {estado}, v.fecha, v.valor_total, {porcentaje},"
            f" {valor.format(p=porcentaje)}, v.created_at, v.updated_at, 1"
            f" FROM ventas v {join}"
            " JOIN apartamentos a ON a.id = v.id_apartamento"
            " JOIN torres t ON t.id = a.id_torre"
            f" JOIN politicas_comision pc ON pc.id_usuario = {beneficiario}"
            f" AND pc.id_proyecto = t.id_proyecto AND pc.tipo = '{tipo}'"
            " WHERE v.tipo_operacion = 'venta'"
        )
    cursor.execute(
        "UPDATE liquidaciones SET total = COALESCE((SELECT SUM(c.valor) FROM comisiones c"
        " WHERE c.id_liquidacion = liquidaciones.id), 0)"
    )
    cursor.execute("SELECT COUNT(*) FROM comisiones")
    counts["comisiones"] = cursor.fetchone()[0]

    # A year of goals: each asesor's and director's, and the whole team's, per tipo.
    ventas_mes = max(1, n_ventas // (len(_meses(date(PRIMER_ANIO, 1, 1), hoy)) * n_asesores))
    metas = []
    for mes in _meses(hoy - timedelta(days=335), hoy):
        for usuario in [None, *directores, *asesores]:
            escala = n_asesores if usuario is None else (POR_EQUIPO if usuario in directores else 1)
            unidades = max(1, round(ventas_mes * escala * rng.uniform(0.8, 1.4)))
            metas += [
                (usuario, mes.year, mes.month, "unidades", unidades),
                (usuario, mes.year, mes.month, "valor", unidades * 280_000_000),
                (usuario, mes.year, mes.month, "recaudo", unidades * 25_000_000),
            ]
    counts["metas"] = loader.insert(
        "metas",
        ["id", "id_usuario", "anio", "mes", "tipo", "meta", "created_at", "updated_at", "version"],
        ((i, *m, ahora, ahora, 1) for i, m in enumerate(metas, 1)),
    )
    return counts
