"""Turn database constraint errors into Spanish messages, never SQL."""

from sqlalchemy.exc import IntegrityError

# A constraint, as PostgreSQL names it or SQLite describes it -> (field, message).
KNOWN_CONSTRAINTS: dict[str, tuple[str | None, str]] = {
    "pk_clientes": ("documento", "Ya existe un cliente con este documento."),
    "clientes.documento": ("documento", "Ya existe un cliente con este documento."),
    "uq_ventas_apartamento_vigente": (
        "id_apartamento",
        "El apartamento ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "ventas.id_apartamento": (
        "id_apartamento",
        "El apartamento ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "uq_operacion_unidades_apartamento_vigente": (
        "id_apartamento",
        "El apartamento ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "operacion_unidades.id_apartamento": (
        "id_apartamento",
        "El apartamento ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "uq_operacion_unidades_local_vigente": (
        "id_local",
        "El local ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "operacion_unidades.id_local": (
        "id_local",
        "El local ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "uq_operacion_unidades_parqueadero_vigente": (
        "id_parqueadero",
        "El parqueadero ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "operacion_unidades.id_parqueadero": (
        "id_parqueadero",
        "El parqueadero ya tiene una operación vigente; no se puede vender ni separar.",
    ),
    "uq_locales_torre_numero": ("numero", "Ya existe un local con ese número en la torre."),
    "uq_locales_proyecto_numero": (
        "numero",
        "Ya existe un local con ese número en el proyecto (fuera de las torres).",
    ),
    "locales.id_torre, locales.numero": (
        "numero",
        "Ya existe un local con ese número en la torre.",
    ),
    "locales.id_proyecto, locales.numero": (
        "numero",
        "Ya existe un local con ese número en el proyecto (fuera de las torres).",
    ),
    "uq_parqueaderos_id_torre_numero": (
        "numero",
        "Ya existe un parqueadero con ese número en la torre.",
    ),
    "parqueaderos.id_torre, parqueaderos.numero": (
        "numero",
        "Ya existe un parqueadero con ese número en la torre.",
    ),
    "uq_torres_id_proyecto_nombre": (
        "nombre",
        "Ya existe una torre con ese nombre en el proyecto.",
    ),
    "torres.id_proyecto, torres.nombre": (
        "nombre",
        "Ya existe una torre con ese nombre en el proyecto.",
    ),
    "uq_apartamentos_id_torre_numero": (
        "numero",
        "Ya existe un apartamento con ese número en la torre.",
    ),
    "apartamentos.id_torre, apartamentos.numero": (
        "numero",
        "Ya existe un apartamento con ese número en la torre.",
    ),
    "uq_usuarios_username": ("username", "Ya existe un usuario con ese nombre."),
    "usuarios.username": ("username", "Ya existe un usuario con ese nombre."),
    "uq_proyectos_nombre": ("nombre", "Ya existe un proyecto con ese nombre."),
    "proyectos.nombre": ("nombre", "Ya existe un proyecto con ese nombre."),
}

FOREIGN_KEY_MESSAGE = (
    "No se puede completar la operación: el registro está en uso por otros registros "
    "o hace referencia a uno que no existe."
)
GENERIC_MESSAGE = "Los datos no cumplen una regla de la base de datos; revise el formulario."


def describe_integrity_error(exc: IntegrityError) -> tuple[str | None, str]:
    """(field or None, Spanish message) for a constraint violation."""
    detail = str(getattr(exc, "orig", exc))
    for key, described in KNOWN_CONSTRAINTS.items():
        if key in detail:
            return described
    if "_nombre_lower" in detail or ".nombre" in detail or "_nombre" in detail:
        return "nombre", "Ya existe un registro con ese nombre (sin distinguir mayúsculas)."
    if "FOREIGN KEY" in detail.upper() or "foreign key" in detail:
        return None, FOREIGN_KEY_MESSAGE
    return None, GENERIC_MESSAGE
