"""Planes de pago per project: their rules, the 10-active limit, who may use an
especial one, the units a quote or a simulation prices, and the simulation.

The arithmetic is plan_pagos.resumen_economico (pure); this module reads the
database around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from ..auth import permisos
from ..extensions import db
from ..limites import PLAZO_MAXIMO_CUOTA_INICIAL_MESES, fecha_fuera_de_rango
from ..models import (
    Apartamento,
    Cotizacion,
    DescuentoSobre,
    EstadoInmueble,
    Local,
    Parqueadero,
    PlanPago,
    Proyecto,
    RolUnidad,
    TipoDescuento,
    TipoPlan,
    Venta,
)
from ..models.planes import FRECUENCIAS, MAXIMO_PLANES_ACTIVOS
from ..validators import TextoVisible
from .apartamentos import estados_inmueble
from .errors import Conflict, Errores, ValidationFailed
from .pagos import pesos
from .plan_pagos import (
    CuotaPlan,
    PlanInaplicable,
    ResumenEconomico,
    TerminosPlan,
    cuotas_de_resumen,
    resumen_economico,
)

CERO = Decimal("0.00")
CIEN = Decimal("100")
CAMPOS_PLAN = (
    "nombre",
    "tipo",
    "valor_separacion",
    "porcentaje_cuota_inicial",
    "plazo_meses",
    "frecuencia_meses",
    "porcentaje_escritura",
    "descuento_tipo",
    "descuento_valor",
    "descuento_sobre",
    "tasa_interes_anual",
    "beneficio",
    "activo",
)
LIMITE_ACTIVOS = (
    f"El proyecto ya tiene {MAXIMO_PLANES_ACTIVOS} planes activos; desactive uno antes de "
    "activar otro."
)
CANDADO_RANURAS = 16017  # PostgreSQL advisory lock class: a project's active plans
SOLO_ESPECIAL = "Solo un administrador o un director comercial puede usar un plan especial."


def puede_usar_plan_especial(usuario) -> bool:
    """Especial plans (terms typed freely) are for admins and directors (auth/permisos.py)."""
    return permisos.PLAN_ESPECIAL in permisos.permisos_de(getattr(usuario, "rol", None))


# --- plans: validation, create, edit, delete -------------------------------------


def _decimal(valor) -> Decimal | None:
    if valor is None or valor == "":
        return None
    try:
        return Decimal(valor)
    except (ArithmeticError, ValueError, TypeError):
        return None


def _dos_decimales(valor: Decimal) -> bool:
    return valor == valor.quantize(Decimal("0.01"))


def validar_plan(datos: dict, proyecto: Proyecto | None, errores: Errores) -> dict:
    """The normalised values of a plan, every broken rule added to `errores`."""
    limpio: dict = {}
    nombre = (datos.get("nombre") or "").strip()
    largo = PlanPago.nombre.type.length
    if not nombre:
        errores.add("nombre", "Indique el nombre del plan.")
    elif len(nombre) > largo:
        errores.add("nombre", f"No puede tener más de {largo} caracteres.")
    else:
        try:
            TextoVisible().check(nombre)
        except ValueError as exc:
            errores.add("nombre", str(exc))
    limpio["nombre"] = nombre

    tipo = datos.get("tipo")
    if tipo not in TipoPlan.ALL:
        errores.add("tipo", "Elija el tipo de plan: mensual, contado, diferido o especial.")
    limpio["tipo"] = tipo
    contado = tipo == TipoPlan.CONTADO

    separacion = _decimal(datos.get("valor_separacion"))
    separacion = CERO if separacion is None else separacion
    if separacion < 0 or not _dos_decimales(separacion):
        errores.add("valor_separacion", "La separación no puede ser negativa (pesos, 2 decimales).")
    elif proyecto is not None and separacion < proyecto.valor_min_separacion:
        errores.add(
            "valor_separacion",
            f"La separación debe ser de al menos {pesos(proyecto.valor_min_separacion)} "
            "en este proyecto.",
        )
    limpio["valor_separacion"] = separacion

    porcentaje = _decimal(datos.get("porcentaje_cuota_inicial"))
    if contado and porcentaje is None:
        porcentaje = CIEN
    escritura = _decimal(datos.get("porcentaje_escritura"))
    if porcentaje is None:
        errores.add("porcentaje_cuota_inicial", "Indique el porcentaje de la cuota inicial.")
    elif not (0 <= porcentaje <= CIEN) or not _dos_decimales(porcentaje):
        errores.add(
            "porcentaje_cuota_inicial", "Debe ser un porcentaje entre 0 y 100 (2 decimales)."
        )
    elif contado and porcentaje != CIEN:
        errores.add(
            "porcentaje_cuota_inicial",
            "En un plan de contado la cuota inicial es el 100 % del precio.",
        )
    elif proyecto is not None and porcentaje < proyecto.porcentaje_cuota_inicial_min:
        errores.add(
            "porcentaje_cuota_inicial",
            "La cuota inicial debe ser al menos el "
            f"{proyecto.porcentaje_cuota_inicial_min.normalize():f} % en este proyecto.",
        )
    elif escritura is not None and porcentaje + escritura != CIEN:
        errores.add(
            "porcentaje_escritura",
            f"Los porcentajes no suman 100: cuota inicial {porcentaje.normalize():f} % + "
            f"escritura {escritura.normalize():f} %.",
        )
    if porcentaje is not None and escritura is None:
        escritura = CIEN - porcentaje
    limpio["porcentaje_cuota_inicial"] = porcentaje
    limpio["porcentaje_escritura"] = escritura

    plazo = datos.get("plazo_meses")
    if plazo in (None, "") and contado:
        plazo = 1
    maximo = PLAZO_MAXIMO_CUOTA_INICIAL_MESES
    if proyecto is not None:
        maximo = min(proyecto.plazo_max_cuota_inicial_meses, maximo)
    if not isinstance(plazo, int) or isinstance(plazo, bool):
        errores.add("plazo_meses", "Indique el plazo en meses.")
        plazo = None
    elif not 1 <= plazo <= maximo:
        errores.add(
            "plazo_meses",
            f"El plazo debe estar entre 1 y {maximo} meses (el máximo del proyecto).",
        )
    limpio["plazo_meses"] = plazo

    frecuencia = datos.get("frecuencia_meses")
    if frecuencia in (None, ""):
        frecuencia = 1
    if tipo == TipoPlan.CONTADO:
        frecuencia = 1  # one cuota, plazo_meses after the fecha
    if frecuencia not in FRECUENCIAS or isinstance(frecuencia, bool):
        errores.add("frecuencia_meses", "La frecuencia debe ser de 1, 2, 3 o 6 meses.")
    elif tipo == TipoPlan.MENSUAL and frecuencia != 1:
        errores.add("frecuencia_meses", "Un plan mensual tiene cuotas cada mes (frecuencia 1).")
    elif plazo and not contado and plazo % frecuencia:
        errores.add(
            "frecuencia_meses",
            f"La frecuencia ({frecuencia} meses) debe dividir el plazo ({plazo} meses).",
        )
    limpio["frecuencia_meses"] = frecuencia

    descuento_tipo = datos.get("descuento_tipo") or None
    descuento_valor = _decimal(datos.get("descuento_valor"))
    descuento_sobre = datos.get("descuento_sobre") or None
    if descuento_tipo is None:
        if descuento_valor:
            errores.add("descuento_tipo", "Elija si el descuento es un valor o un porcentaje.")
        descuento_valor, descuento_sobre = CERO, None
    elif descuento_tipo not in TipoDescuento.ALL:
        errores.add("descuento_tipo", "El descuento es un valor fijo o un porcentaje.")
    else:
        if descuento_valor is None or descuento_valor <= 0 or not _dos_decimales(descuento_valor):
            errores.add("descuento_valor", "Indique un descuento mayor que cero (2 decimales).")
        elif descuento_tipo == TipoDescuento.PORCENTAJE and descuento_valor >= CIEN:
            errores.add("descuento_valor", "Un descuento en porcentaje debe ser menor que 100.")
        elif descuento_valor > Decimal("9999999999999999.99"):
            errores.add("descuento_valor", "El descuento es demasiado grande.")
        if descuento_sobre is None:
            descuento_sobre = DescuentoSobre.TOTAL
        if descuento_sobre not in DescuentoSobre.ALL:
            errores.add("descuento_sobre", "El descuento es sobre el total o la cuota inicial.")
    limpio["descuento_tipo"] = descuento_tipo
    limpio["descuento_valor"] = descuento_valor if descuento_valor is not None else CERO
    limpio["descuento_sobre"] = descuento_sobre

    tasa = _decimal(datos.get("tasa_interes_anual"))
    tasa = CERO if tasa is None else tasa
    if not 0 <= tasa <= CIEN or not _dos_decimales(tasa):
        errores.add("tasa_interes_anual", "La tasa de interés anual debe estar entre 0 % y 100 %.")
    limpio["tasa_interes_anual"] = tasa

    beneficio = (datos.get("beneficio") or "").strip() or None
    largo = PlanPago.beneficio.type.length
    if beneficio and len(beneficio) > largo:
        errores.add("beneficio", f"No puede tener más de {largo} caracteres.")
    limpio["beneficio"] = beneficio
    activo = datos.get("activo")
    limpio["activo"] = True if activo is None else bool(activo)
    return limpio


def _proyecto(id_proyecto, errores: Errores) -> Proyecto | None:
    proyecto = db.session.get(Proyecto, id_proyecto) if isinstance(id_proyecto, int) else None
    if proyecto is None:
        errores.add("id_proyecto", "El proyecto seleccionado no existe.")
    return proyecto


def _nombre_repetido(plan: PlanPago) -> bool:
    stmt = select(PlanPago.id).where(
        PlanPago.id_proyecto == plan.id_proyecto,
        func.lower(PlanPago.nombre) == plan.nombre.lower(),
    )
    if plan.id is not None:
        stmt = stmt.where(PlanPago.id != plan.id)
    with db.session.no_autoflush:
        return db.session.scalar(stmt.limit(1)) is not None


def _ranuras_ocupadas(plan: PlanPago) -> set[int]:
    stmt = select(PlanPago.ranura).where(
        PlanPago.id_proyecto == plan.id_proyecto, PlanPago.ranura.is_not(None)
    )
    if plan.id is not None:
        stmt = stmt.where(PlanPago.id != plan.id)
    with db.session.no_autoflush:
        return set(db.session.scalars(stmt))


def _guardar(plan: PlanPago) -> PlanPago:
    """Flush the plan; an active one takes a free slot of its project's ten. Two
    activations racing for one slot: the unique (id_proyecto, ranura) lets one in
    and the other is told, so there are never eleven."""
    if not plan.activo:
        plan.ranura = None
    elif plan.ranura is None:
        if db.session.get_bind().dialect.name == "postgresql":
            # One activation per project at a time: the second sees the first's slot.
            db.session.execute(
                text("SELECT pg_advisory_xact_lock(:clase, :proyecto)"),
                {"clase": CANDADO_RANURAS, "proyecto": plan.id_proyecto},
            )
        libres = sorted(set(range(1, MAXIMO_PLANES_ACTIVOS + 1)) - _ranuras_ocupadas(plan))
        if not libres:
            raise Conflict.on_field("activo", LIMITE_ACTIVOS)
        plan.ranura = libres[0]
    db.session.add(plan)
    try:
        db.session.flush()
    except IntegrityError as exc:
        if "ranura" not in str(exc.orig):
            raise
        raise Conflict.on_field(
            "activo",
            "Otro usuario activó un plan de este proyecto al mismo tiempo; intente de nuevo. "
            + LIMITE_ACTIVOS,
        ) from exc
    return plan


def crear_plan(datos: dict) -> PlanPago:
    errores = Errores()
    proyecto = _proyecto(datos.get("id_proyecto"), errores)
    limpio = validar_plan(datos, proyecto, errores)
    errores.raise_if_any()
    plan = PlanPago(id_proyecto=proyecto.id, **limpio)
    if _nombre_repetido(plan):
        raise ValidationFailed.on_field(
            "nombre", "Ya existe un plan con ese nombre en el proyecto."
        )
    return _guardar(plan)


def actualizar_plan(plan: PlanPago, datos: dict) -> PlanPago:
    """Change a plan: the operations and quotes made with it keep their copy of its terms."""
    actuales = {campo: getattr(plan, campo) for campo in CAMPOS_PLAN}
    actuales["id_proyecto"] = plan.id_proyecto
    nuevos = {**actuales, **datos}
    if "descuento_tipo" in datos and not datos["descuento_tipo"]:
        # Removing the discount removes its amount, unless one was sent with it.
        nuevos["descuento_valor"] = datos.get("descuento_valor")
    errores = Errores()
    if nuevos["id_proyecto"] != plan.id_proyecto:
        errores.add("id_proyecto", "Un plan no cambia de proyecto; cree uno en el otro proyecto.")
    limpio = validar_plan(nuevos, plan.proyecto, errores)
    errores.raise_if_any()
    activar = limpio["activo"] and not plan.activo
    for campo, valor in limpio.items():
        setattr(plan, campo, valor)
    if _nombre_repetido(plan):
        raise ValidationFailed.on_field(
            "nombre", "Ya existe un plan con ese nombre en el proyecto."
        )
    if activar:
        plan.ranura = None
    return _guardar(plan)


def eliminar_plan(plan: PlanPago) -> None:
    usos = db.session.scalar(
        select(func.count()).select_from(Venta).where(Venta.id_plan_pago == plan.id)
    ) + db.session.scalar(
        select(func.count()).select_from(Cotizacion).where(Cotizacion.id_plan_pago == plan.id)
    )
    if usos:
        raise Conflict.on_field(
            "id",
            f"El plan «{plan.nombre}» está en uso por {usos} operaciones o cotizaciones; "
            "desactívelo en lugar de eliminarlo.",
        )
    db.session.delete(plan)
    db.session.flush()


def planes_activos(id_proyecto: int | None = None) -> list[PlanPago]:
    stmt = select(PlanPago).where(PlanPago.activo).order_by(PlanPago.nombre)
    if id_proyecto is not None:
        stmt = stmt.where(PlanPago.id_proyecto == id_proyecto)
    return list(db.session.scalars(stmt))


# --- units a quote or a simulation prices -----------------------------------------


@dataclass
class UnidadPedida:
    clase: str  # apartamento | local | parqueadero
    unidad: object
    rol: str
    precio: Decimal

    @property
    def campo(self) -> str:
        return f"id_{self.clase}"


@dataclass
class Unidades:
    proyecto: Proyecto
    lista: list[UnidadPedida] = field(default_factory=list)

    @property
    def precio_bruto(self) -> Decimal:
        return sum((u.precio for u in self.lista), CERO)

    @property
    def principal(self) -> UnidadPedida:
        return self.lista[0]


def _proyecto_de(clase: str, unidad) -> Proyecto:
    if clase == "local":
        return unidad.proyecto
    return unidad.torre.proyecto


def resolver_unidades(
    *,
    id_apartamento: int | None = None,
    id_local: int | None = None,
    id_parqueadero: int | None = None,
    adicionales: list[int] | None = None,
    exigir_disponible: bool = True,
) -> Unidades:
    """The main unit (exactly one of the three keys) and the adicionales
    (parqueaderos not included in an apartment, of the same project), each at its
    current list price. Not Disponible: Conflict naming the unit."""
    errores = Errores()
    claves = {
        "apartamento": (id_apartamento, Apartamento),
        "local": (id_local, Local),
        "parqueadero": (id_parqueadero, Parqueadero),
    }
    dadas = [(clase, clave, modelo) for clase, (clave, modelo) in claves.items() if clave]
    if len(dadas) != 1:
        mensaje = "Indique una unidad principal: un apartamento, un local o un parqueadero."
        errores.add("id_apartamento", mensaje)
        errores.raise_if_any()
    clase, clave, modelo = dadas[0]
    principal = db.session.get(modelo, clave)
    if principal is None:
        errores.add(f"id_{clase}", f"El {clase} seleccionado no existe.")
        errores.raise_if_any()
    proyecto = _proyecto_de(clase, principal)
    unidades = Unidades(
        proyecto, [UnidadPedida(clase, principal, RolUnidad.PRINCIPAL, principal.precio)]
    )
    vistos = set()
    for id_parq in adicionales or []:
        parqueadero = db.session.get(Parqueadero, id_parq) if isinstance(id_parq, int) else None
        if (
            parqueadero is None
            or id_parq in vistos
            or (clase == "parqueadero" and id_parq == clave)
        ):
            errores.add("adicionales", f"El parqueadero {id_parq} no existe o está repetido.")
            continue
        vistos.add(id_parq)
        if parqueadero.incluido:
            errores.add(
                "adicionales",
                f"El parqueadero {parqueadero} va incluido con un apartamento; no es adicional.",
            )
        elif parqueadero.torre.id_proyecto != proyecto.id:
            errores.add("adicionales", f"El parqueadero {parqueadero} es de otro proyecto.")
        else:
            unidades.lista.append(
                UnidadPedida("parqueadero", parqueadero, RolUnidad.ADICIONAL, parqueadero.precio)
            )
    errores.raise_if_any()
    if exigir_disponible:
        exigir_disponibles(unidades)
    return unidades


def exigir_disponibles(unidades: Unidades) -> None:
    disponible = estados_inmueble()[EstadoInmueble.DISPONIBLE]
    for pedida in unidades.lista:
        if pedida.unidad.id_estado_inmueble != disponible:
            campo = pedida.campo if pedida.rol == RolUnidad.PRINCIPAL else "adicionales"
            raise Conflict.on_field(
                campo,
                f"{pedida.unidad} no está disponible: su estado es {pedida.unidad.estado.nombre}.",
            )


# --- applying a plan ---------------------------------------------------------------


def plan_para(
    id_plan_pago, proyecto: Proyecto, usuario, *, campo: str = "id_plan_pago"
) -> PlanPago:
    """The plan chosen for a unit of `proyecto`: it exists, is active, is of that
    project, and an especial one only for who may use it."""
    plan = db.session.get(PlanPago, id_plan_pago) if isinstance(id_plan_pago, int) else None
    if plan is None:
        raise ValidationFailed.on_field(campo, "El plan de pago seleccionado no existe.")
    if plan.id_proyecto != proyecto.id:
        raise ValidationFailed.on_field(
            campo,
            f"El plan «{plan.nombre}» es del proyecto {plan.proyecto.nombre}, no de "
            f"{proyecto.nombre}.",
        )
    if not plan.activo:
        raise ValidationFailed.on_field(campo, f"El plan «{plan.nombre}» está inactivo.")
    if plan.tipo == TipoPlan.ESPECIAL and not puede_usar_plan_especial(usuario):
        raise ValidationFailed.on_field(campo, SOLO_ESPECIAL)
    return plan


def resumen(precio_bruto: Decimal, terminos: TerminosPlan, campo_precio: str) -> ResumenEconomico:
    """resumen_economico, its refusal as a field error (the price's field for a
    discount that exceeds it)."""
    try:
        return resumen_economico(precio_bruto, terminos)
    except PlanInaplicable as exc:
        campo = campo_precio if exc.campo in ("descuento_valor", "precio_bruto") else exc.campo
        raise ValidationFailed.on_field(campo, exc.mensaje) from None


def terminos_copiados(plan: PlanPago, resultado: ResumenEconomico) -> dict:
    """The TerminosPlanMixin columns of an operation or a quote made with `plan`."""
    return {
        "plan_nombre": plan.nombre if hasattr(plan, "nombre") else plan.plan_nombre,
        "plan_tipo": plan.tipo if hasattr(plan, "tipo") else plan.plan_tipo,
        "frecuencia_meses": resultado.frecuencia_meses,
        "porcentaje_cuota_inicial": resultado.porcentaje_cuota_inicial,
        "porcentaje_escritura": CIEN - resultado.porcentaje_cuota_inicial,
        "descuento_tipo": plan.descuento_tipo,
        "descuento_valor": plan.descuento_valor if plan.descuento_tipo else None,
        "descuento_sobre": plan.descuento_sobre,
        "plan_beneficio": plan.beneficio if hasattr(plan, "beneficio") else plan.plan_beneficio,
        "precio_bruto": resultado.precio_bruto,
        "descuento": resultado.descuento,
    }


@dataclass
class Simulacion:
    resumen: ResumenEconomico
    cuotas: list[CuotaPlan]
    unidades: Unidades | None = None


def simular(
    plan: PlanPago,
    *,
    fecha: date,
    usuario=None,
    precio_bruto: Decimal | None = None,
    **unidades,
) -> Simulacion:
    """The summary and the cuotas of a plan for some units (at today's prices, any
    estado) or a gross price; nothing is saved."""
    if plan.tipo == TipoPlan.ESPECIAL and not puede_usar_plan_especial(usuario):
        raise ValidationFailed.on_field("id_plan_pago", SOLO_ESPECIAL)
    if fuera := fecha_fuera_de_rango(fecha):
        raise ValidationFailed.on_field("fecha", fuera)
    pedidas = None
    hay_unidades = any(unidades.get(k) for k in ("id_apartamento", "id_local", "id_parqueadero"))
    if precio_bruto is not None and (hay_unidades or unidades.get("adicionales")):
        raise ValidationFailed.on_field(
            "precio_bruto", "Indique las unidades o un precio bruto, no ambos."
        )
    if precio_bruto is None:
        pedidas = resolver_unidades(exigir_disponible=False, **unidades)
        if pedidas.proyecto.id != plan.id_proyecto:
            raise ValidationFailed.on_field(
                pedidas.principal.campo,
                f"La unidad es del proyecto {pedidas.proyecto.nombre}; el plan «{plan.nombre}» "
                f"es de {plan.proyecto.nombre}.",
            )
        precio_bruto = pedidas.precio_bruto
        campo = pedidas.principal.campo
    else:
        campo = "precio_bruto"
    resultado = resumen(precio_bruto, TerminosPlan.de(plan), campo)
    return Simulacion(resultado, cuotas_de_resumen(resultado, fecha), pedidas)
