"""The OpenAPI 3.0 description of /api, served at /api/openapi.json.

Built here in Python so the shared pieces (errors, pagination, money) are
written once; tests/api/test_openapi.py checks that every route is described
and every described path is a route, and fuzzes the API against it.
"""

from . import api_bp

MAX_INT = 2147483647

# -- reusable schemas --------------------------------------------------------------------
MONEY = {
    "type": "string",
    "pattern": r"^-?[0-9]+\.[0-9]{2}$",
    "description": "Pesos colombianos como texto con dos decimales.",
    "example": "250000000.00",
}
MONEY_IN = {
    "type": "string",
    "pattern": r"^[0-9]{1,16}(\.[0-9]{1,2})?$",
    "description": "Valor como texto, con hasta dos decimales (también se acepta un entero).",
    "example": "250000000.00",
}
PERCENT_IN = {
    "type": "string",
    "pattern": r"^[0-9]{1,3}(\.[0-9]{1,2})?$",
    "description": 'Porcentaje anual efectivo como texto: "12.00" es 12 %.',
    "example": "12.00",
}
DATE = {"type": "string", "format": "date", "example": "2026-11-25"}
TIMESTAMP = {
    "type": "string",
    "format": "date-time",
    "description": "Instante en UTC con su desfase, ej. 2026-11-25T15:30:00+00:00.",
}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_INT}
DOCUMENTO = {"type": "string", "maxLength": 40}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def obj(properties: dict, required=None, **extra) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required is None:
        required = list(properties)
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def array(schema: dict) -> dict:
    return {"type": "array", "items": schema}


CATALOGO = obj({"id": ID, "nombre": {"type": "string"}})
TIPO_DOCUMENTO = obj({"id": ID, "codigo": {"type": "string"}, "nombre": {"type": "string"}})

SCHEMAS = {
    "Error": obj(
        {
            "message": {"type": "string", "description": "Qué pasó, en español."},
            "errors": {
                "type": "object",
                "description": "Campo -> mensajes; vacío cuando el error no es de un campo.",
                "additionalProperties": array({"type": "string"}),
            },
        },
        example={
            "message": "Revise los campos marcados.",
            "errors": {"correo": ["Escriba un correo electrónico válido."]},
        },
    ),
    "Meta": obj(
        {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "total_exacto": {
                "type": "boolean",
                "description": "false: el total de una lista sin filtros de una tabla grande "
                "se cuenta a lo sumo una vez por minuto y puede tener hasta 60 s.",
            },
            "total_contado_hace_s": {
                "type": "integer",
                "minimum": 0,
                "description": "Solo cuando total_exacto es false: edad del total.",
            },
            "siguiente": {
                "type": "string",
                "nullable": True,
                "description": "Solo en /api/clientes: pásela como despues_de para la "
                "página siguiente (null: no hay más). Igual de rápida a cualquier "
                "profundidad.",
            },
        },
        required=["page", "per_page", "total", "total_exacto"],
    ),
    "Catalogo": CATALOGO,
    "TipoDocumento": TIPO_DOCUMENTO,
    "Cliente": obj(
        {
            "documento": DOCUMENTO,
            "nombre": {"type": "string"},
            "id_tipo_cliente": ID,
            "tipo_cliente": ref("Catalogo"),
            "id_tipo_documento": ID,
            "tipo_documento": ref("TipoDocumento"),
            "direccion": nullable({"type": "string"}),
            "telefono": nullable({"type": "string"}),
            "correo": nullable({"type": "string"}),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "Catalogos": obj(
        {
            "tipos_cliente": array(ref("Catalogo")),
            "tipos_documento": array(ref("TipoDocumento")),
            "estados_inmueble": array(ref("Catalogo")),
            "formas_pago": array(ref("Catalogo")),
            "medios_pago": array(ref("Catalogo")),
        }
    ),
    "Proyecto": obj(
        {
            "id": ID,
            "nombre": {"type": "string"},
            "ciudad": {"type": "string"},
            "porcentaje_cuota_inicial_min": MONEY,
            "valor_min_separacion": MONEY,
            "plazo_max_cuota_inicial_meses": {"type": "integer"},
            "plazo_max_separacion_dias": {"type": "integer"},
            "activo": {"type": "boolean"},
            "torres": array(obj({"id": ID, "nombre": {"type": "string"}})),
        }
    ),
    "Apartamento": obj(
        {
            "id": ID,
            "id_torre": ID,
            "torre": obj({"id": ID, "nombre": {"type": "string"}}),
            "id_proyecto": ID,
            "proyecto": obj({"id": ID, "nombre": {"type": "string"}}),
            "numero": {"type": "string"},
            "piso": {"type": "integer"},
            "area_m2": MONEY,
            "habitaciones": {"type": "integer"},
            "banos": {"type": "integer"},
            "precio": MONEY,
            "id_estado_inmueble": ID,
            "estado": {"type": "string", "example": "Disponible"},
            "documento_cliente": nullable(DOCUMENTO),
        }
    ),
    "Venta": obj(
        {
            "id": ID,
            "tipo_operacion": {"type": "string", "enum": ["venta", "separacion"]},
            "estado_operacion": {
                "type": "string",
                "enum": ["vigente", "convertida", "caducada", "anulada"],
            },
            "documento_cliente": DOCUMENTO,
            "id_apartamento": ID,
            "id_forma_pago": nullable(ID),
            "fecha": DATE,
            "fecha_separacion": nullable(DATE),
            "valor_total": MONEY,
            "valor_separacion": MONEY,
            "fecha_limite_separacion": nullable(DATE),
            "cuota_inicial": nullable(MONEY),
            "plazo_cuota_inicial_meses": nullable({"type": "integer"}),
            "tasa_interes_anual": MONEY,
            "observaciones": nullable({"type": "string"}),
            "motivo_anulacion": nullable({"type": "string"}),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    "Totales": obj(
        {
            "total": MONEY,
            "pagado": MONEY,
            "pendiente": MONEY,
            "vencido": MONEY,
            "cuotas_vencidas": {"type": "integer", "minimum": 0},
        }
    ),
    "Cuota": obj(
        {
            "id": ID,
            "numero": {"type": "integer"},
            "concepto": {
                "type": "string",
                "enum": ["Separación", "Cuota inicial", "Saldo final"],
            },
            "fecha_vencimiento": DATE,
            "valor": MONEY,
            "capital": MONEY,
            "interes": MONEY,
            "saldo": MONEY,
            "valor_pagado": MONEY,
            "pendiente": MONEY,
            "estado": {"type": "string", "enum": ["Pendiente", "Parcial", "Pagada", "Vencida"]},
        }
    ),
    "Plan": obj(
        {"id_venta": ID, "cuotas": array(ref("Cuota")), "totales": ref("Totales")},
    ),
    "Pago": obj(
        {
            "id": ID,
            "id_venta": ID,
            "fecha": DATE,
            "valor": MONEY,
            "id_medio_pago": ID,
            "medio_pago": ref("Catalogo"),
            "referencia": nullable({"type": "string"}),
            "observaciones": nullable({"type": "string"}),
            "aplicaciones": array(
                obj({"id_cuota": ID, "valor": MONEY}, description="Parte del pago en una cuota.")
            ),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        }
    ),
    # -- request bodies: unknown fields are refused (422 naming them) --
    "ClienteNuevo": obj(
        {
            "documento": {**DOCUMENTO, "description": "Según su tipo: CC, NIT con dígito..."},
            "nombre": {"type": "string", "maxLength": 150},
            "id_tipo_cliente": ID,
            "id_tipo_documento": ID,
            "direccion": nullable({"type": "string", "maxLength": 200}),
            "telefono": nullable({"type": "string", "maxLength": 30}),
            "correo": nullable({"type": "string", "maxLength": 150, "format": "email"}),
            "redirect": {
                "type": "string",
                "description": "Ruta local (ej. /admin/cliente/) que se devuelve en "
                "meta.redirect; cualquier otra cosa es un 422 en `redirect`.",
            },
        },
        required=["documento", "nombre", "id_tipo_cliente", "id_tipo_documento"],
    ),
    "ClienteCompleto": obj(
        {
            "documento": {
                **DOCUMENTO,
                "description": "Opcional; si se envía debe ser el mismo (no se puede cambiar).",
            },
            "nombre": {"type": "string", "maxLength": 150},
            "id_tipo_cliente": ID,
            "id_tipo_documento": ID,
            "direccion": nullable({"type": "string", "maxLength": 200}),
            "telefono": nullable({"type": "string", "maxLength": 30}),
            "correo": nullable({"type": "string", "maxLength": 150, "format": "email"}),
        },
        required=["nombre", "id_tipo_cliente", "id_tipo_documento"],
        description="PUT reemplaza: un campo opcional omitido queda vacío.",
    ),
    "ClienteCambios": obj(
        {
            "documento": {**DOCUMENTO, "description": "Si se envía debe ser el mismo."},
            "nombre": {"type": "string", "maxLength": 150},
            "id_tipo_cliente": ID,
            "id_tipo_documento": ID,
            "direccion": nullable({"type": "string", "maxLength": 200}),
            "telefono": nullable({"type": "string", "maxLength": 30}),
            "correo": nullable({"type": "string", "maxLength": 150, "format": "email"}),
        },
        required=[],
        description="PATCH: solo los campos enviados cambian.",
    ),
    "VentaNueva": obj(
        {
            "tipo_operacion": {"type": "string", "enum": ["venta", "separacion"]},
            "documento_cliente": DOCUMENTO,
            "id_apartamento": ID,
            "id_forma_pago": nullable({**ID, "description": "Obligatoria en una venta."}),
            "fecha": DATE,
            "valor_total": nullable(
                {**MONEY_IN, "description": "Por defecto, el precio del apartamento."}
            ),
            "valor_separacion": nullable(MONEY_IN),
            "fecha_limite_separacion": nullable(
                {**DATE, "description": "Obligatoria en una separación."}
            ),
            "cuota_inicial": nullable({**MONEY_IN, "description": "Obligatoria en una venta."}),
            "plazo_cuota_inicial_meses": nullable(
                {**ID, "description": "Obligatorio en una venta."}
            ),
            "tasa_interes_anual": nullable({**PERCENT_IN, "default": "0.00"}),
            "observaciones": nullable({"type": "string", "maxLength": 300}),
        },
        required=["tipo_operacion", "documento_cliente", "id_apartamento", "fecha"],
    ),
    "Conversion": obj(
        {
            "cuota_inicial": MONEY_IN,
            "plazo_cuota_inicial_meses": ID,
            "id_forma_pago": ID,
            "tasa_interes_anual": nullable({**PERCENT_IN, "default": "0.00"}),
            "fecha": nullable({**DATE, "description": "Por defecto, hoy (Bogotá)."}),
            "valor_total": nullable(
                {**MONEY_IN, "description": "Por defecto, el de la separación."}
            ),
        },
        required=["cuota_inicial", "plazo_cuota_inicial_meses", "id_forma_pago"],
    ),
    "Anulacion": obj(
        {"motivo": nullable({"type": "string", "maxLength": 300})},
        required=[],
    ),
    "PagoNuevo": obj(
        {
            "fecha": DATE,
            "valor": MONEY_IN,
            "id_medio_pago": ID,
            "referencia": nullable({"type": "string", "maxLength": 60}),
            "observaciones": nullable({"type": "string"}),
        },
        required=["fecha", "valor", "id_medio_pago"],
    ),
}

ERRORS = {
    "400": "JSON mal formado, o el cuerpo no es un objeto.",
    "401": "Falta el token, no es válido, fue revocado o su usuario está inactivo. "
    "La respuesta trae `WWW-Authenticate: Bearer`.",
    "403": "El rol del token no permite esta acción (solo admin).",
    "404": "No existe.",
    "409": "Choca con los datos existentes.",
    "412": "If-Match no corresponde a la versión actual: alguien cambió el registro. "
    "La respuesta trae el ETag actual.",
    "415": "El cuerpo no es application/json.",
    "422": "Datos inválidos: `errors` lista todos los campos que fallan (también los "
    "campos desconocidos y los parámetros de consulta inválidos).",
}

ETAG_HEADER = {
    "ETag": {
        "description": 'Versión del registro ("3"); envíela en If-Match al modificarlo.',
        "schema": {"type": "string"},
    }
}
LOCATION_HEADER = {
    "Location": {"description": "Dirección del recurso creado.", "schema": {"type": "string"}}
}


def error_response(code: str) -> dict:
    response = {
        "description": ERRORS[code],
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if code == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if code == "412":
        response["headers"] = ETAG_HEADER
    return response


def json_response(description: str, schema: dict, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def one(name: str) -> dict:
    return obj({"data": ref(name)})


def one_with_meta(name: str) -> dict:
    return obj(
        {
            "data": ref(name),
            "meta": obj({"redirect": {"type": "string"}}, required=[]),
        },
        required=["data"],
    )


def page_of(name: str) -> dict:
    return obj({"data": array(ref(name)), "meta": ref("Meta")})


# -- parameters ------------------------------------------------------------------------
def path_param(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


DOCUMENTO_PATH = path_param(
    "documento",
    {"type": "string", "pattern": r"^[A-Za-z0-9-]{1,40}$"},
    "Documento del cliente tal como se guarda (NIT con guion: 900123456-8).",
)
ID_VENTA = path_param("id_venta", ID, "Id de la venta o separación.")
ID_PAGO = path_param("id_pago", ID, "Id del pago.")
PAGINATION = [
    query("page", {"type": "integer", "minimum": 1, "maximum": 1000000, "default": 1}, "Página."),
    query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
        "Registros por página (máximo 100).",
    ),
]
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": 'El ETag leído (ej. "3"). Si el registro cambió desde entonces: 412. '
    "Sin este encabezado el cambio se aplica sobre la versión actual.",
}


def operation(
    summary: str,
    tag: str,
    ok: tuple[str, dict],
    errors: tuple[str, ...] = (),
    params: list | None = None,
    body: str | None = None,
    body_required: bool = True,
    description: str | None = None,
) -> dict:
    code, response = ok
    op = {"summary": summary, "tags": [tag], "responses": {code: response}}
    if description:
        op["description"] = description
    if params:
        op["parameters"] = params
    if body:
        op["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": ref(body)}},
        }
        errors = (*errors, "400", "415", "422")
    for error in sorted({"401", *errors}):
        op["responses"][error] = error_response(error)
    op["responses"]["default"] = {
        "description": "Cualquier otro error, con la misma forma.",
        "content": {"application/json": {"schema": ref("Error")}},
    }
    return op


NO_CONTENT = ("204", {"description": "Eliminado."})


def build_spec() -> dict:
    paths = {
        "/api/openapi.json": {
            "get": {
                "summary": "Esta especificación",
                "tags": ["Documentación"],
                "description": "Pública: es el único recurso que no necesita token.",
                "security": [],
                "responses": {
                    "200": json_response("La especificación OpenAPI 3.0.", {"type": "object"})
                },
            }
        },
        "/api/clientes": {
            "get": operation(
                "Lista de clientes",
                "Clientes",
                ("200", json_response("Una página de clientes.", page_of("Cliente"))),
                ("422",),
                params=[
                    *PAGINATION,
                    query(
                        "q",
                        {"type": "string"},
                        "Prefijo del documento (con o sin puntos) o palabras del nombre "
                        "(sin importar tildes ni mayúsculas).",
                    ),
                    query("id_tipo_cliente", ID, "Solo de este tipo de cliente."),
                    query("id_tipo_documento", ID, "Solo de este tipo de documento."),
                    query(
                        "despues_de",
                        {"type": "string", "maxLength": 40},
                        "Los clientes con documento posterior a este (el meta.siguiente "
                        "de la página anterior), en lugar de page.",
                    ),
                ],
            ),
            "post": operation(
                "Crear un cliente",
                "Clientes",
                (
                    "201",
                    json_response(
                        "Creado.", one_with_meta("Cliente"), {**LOCATION_HEADER, **ETAG_HEADER}
                    ),
                ),
                body="ClienteNuevo",
                description="Errores comunes, cada uno un 422 en su campo: documento ya "
                "existe (`errors.documento`), correo inválido (`errors.correo`), campos "
                "obligatorios faltantes, tipo de cliente o de documento inexistente. El "
                "documento se valida según su tipo (CC, NIT con dígito de verificación, CE, "
                "PA, OTRO) y se guarda normalizado.",
            ),
        },
        "/api/clientes/{documento}": {
            "get": operation(
                "Un cliente",
                "Clientes",
                ("200", json_response("El cliente.", one("Cliente"), ETAG_HEADER)),
                ("404",),
                params=[DOCUMENTO_PATH],
            ),
            "put": operation(
                "Reemplazar los datos de un cliente",
                "Clientes",
                ("200", json_response("Actualizado.", one("Cliente"), ETAG_HEADER)),
                ("404", "412"),
                params=[DOCUMENTO_PATH, IF_MATCH],
                body="ClienteCompleto",
                description="El documento no se puede cambiar: otro valor es un 422 en "
                "`documento`.",
            ),
            "patch": operation(
                "Cambiar algunos datos de un cliente",
                "Clientes",
                ("200", json_response("Actualizado.", one("Cliente"), ETAG_HEADER)),
                ("404", "412"),
                params=[DOCUMENTO_PATH, IF_MATCH],
                body="ClienteCambios",
            ),
            "delete": operation(
                "Eliminar un cliente (solo admin)",
                "Clientes",
                NO_CONTENT,
                ("403", "404", "409", "412"),
                params=[DOCUMENTO_PATH, IF_MATCH],
                description="409 si tiene ventas o separaciones (o es dueño de apartamentos): "
                "no se elimina nada.",
            ),
        },
        "/api/clientes/{documento}/ventas": {
            "get": operation(
                "Ventas y separaciones de un cliente",
                "Clientes",
                ("200", json_response("Una página de operaciones.", page_of("Venta"))),
                ("404", "422"),
                params=[DOCUMENTO_PATH, *PAGINATION],
            )
        },
        "/api/clientes/{documento}/apartamentos": {
            "get": operation(
                "Apartamentos de los que el cliente es dueño",
                "Clientes",
                ("200", json_response("Una página de apartamentos.", page_of("Apartamento"))),
                ("404", "422"),
                params=[DOCUMENTO_PATH, *PAGINATION],
            )
        },
        "/api/catalogos": {
            "get": operation(
                "Todos los catálogos con sus ids",
                "Catálogos",
                ("200", json_response("Los catálogos.", one("Catalogos"))),
            )
        },
        "/api/proyectos": {
            "get": operation(
                "Proyectos con sus reglas de venta y torres",
                "Inventario",
                ("200", json_response("Una página de proyectos.", page_of("Proyecto"))),
                ("422",),
                params=PAGINATION,
            )
        },
        "/api/proyectos/{id_proyecto}": {
            "get": operation(
                "Un proyecto",
                "Inventario",
                ("200", json_response("El proyecto.", one("Proyecto"))),
                ("404",),
                params=[path_param("id_proyecto", ID, "Id del proyecto.")],
            )
        },
        "/api/apartamentos": {
            "get": operation(
                "Apartamentos (lo que el sitio de ventas muestra)",
                "Inventario",
                ("200", json_response("Una página de apartamentos.", page_of("Apartamento"))),
                ("422",),
                params=[
                    *PAGINATION,
                    query("id_proyecto", ID, "Solo de este proyecto."),
                    query("id_torre", ID, "Solo de esta torre."),
                    query(
                        "estado",
                        {"type": "string", "example": "Disponible"},
                        "Nombre del estado del inmueble (Disponible, Separado, Vendido, "
                        "Bloqueado), sin importar mayúsculas.",
                    ),
                    query("precio_min", MONEY_IN, "Precio mínimo."),
                    query("precio_max", MONEY_IN, "Precio máximo."),
                ],
            )
        },
        "/api/apartamentos/{id_apartamento}": {
            "get": operation(
                "Un apartamento",
                "Inventario",
                ("200", json_response("El apartamento.", one("Apartamento"))),
                ("404",),
                params=[path_param("id_apartamento", ID, "Id del apartamento.")],
            )
        },
        "/api/ventas": {
            "get": operation(
                "Ventas y separaciones",
                "Ventas",
                ("200", json_response("Una página de operaciones.", page_of("Venta"))),
                ("422",),
                params=[
                    *PAGINATION,
                    query("documento_cliente", {"type": "string"}, "Del cliente."),
                    query(
                        "tipo_operacion", {"type": "string", "enum": ["venta", "separacion"]}, ""
                    ),
                    query(
                        "estado_operacion",
                        {
                            "type": "string",
                            "enum": ["vigente", "convertida", "caducada", "anulada"],
                        },
                        "",
                    ),
                    query("id_proyecto", ID, "De apartamentos de este proyecto."),
                    query("fecha_desde", DATE, "Con fecha desde este día (incluido)."),
                    query("fecha_hasta", DATE, "Con fecha hasta este día (incluido)."),
                ],
            ),
            "post": operation(
                "Crear una venta o una separación",
                "Ventas",
                (
                    "201",
                    json_response(
                        "Creada, con su plan de pagos.",
                        one("VentaDetalle"),
                        {**LOCATION_HEADER, **ETAG_HEADER},
                    ),
                ),
                ("409",),
                body="VentaNueva",
                description="Aplica todas las reglas del negocio (cuota inicial mínima, "
                "plazos, valor mínimo de separación...). 409 si el apartamento no está "
                "Disponible.",
            ),
        },
        "/api/ventas/{id_venta}": {
            "get": operation(
                "Una venta con su cliente, apartamento y totales",
                "Ventas",
                ("200", json_response("La venta.", one("VentaDetalle"), ETAG_HEADER)),
                ("404",),
                params=[ID_VENTA],
            )
        },
        "/api/ventas/{id_venta}/convertir": {
            "post": operation(
                "Convertir una separación vigente en venta",
                "Ventas",
                ("200", json_response("La venta.", one("VentaDetalle"), ETAG_HEADER)),
                ("404", "409", "412"),
                params=[ID_VENTA, IF_MATCH],
                body="Conversion",
                description="La separación se vuelve venta (el mismo registro): su cuota "
                "de separación y sus pagos se conservan como cuota 1.",
            )
        },
        "/api/ventas/{id_venta}/anular": {
            "post": operation(
                "Anular una operación vigente",
                "Ventas",
                ("200", json_response("La operación anulada.", one("VentaDetalle"), ETAG_HEADER)),
                ("404", "409", "412"),
                params=[ID_VENTA, IF_MATCH],
                body="Anulacion",
                body_required=False,
                description="Libera el apartamento; la operación y sus pagos se conservan.",
            )
        },
        "/api/ventas/{id_venta}/plan": {
            "get": operation(
                "Plan de amortización",
                "Ventas",
                ("200", json_response("Las cuotas y los totales.", one("Plan"))),
                ("404",),
                params=[ID_VENTA],
            )
        },
        "/api/ventas/{id_venta}/pagos": {
            "get": operation(
                "Pagos de una venta",
                "Pagos",
                ("200", json_response("Una página de pagos.", page_of("Pago"))),
                ("404", "422"),
                params=[ID_VENTA, *PAGINATION],
            ),
            "post": operation(
                "Registrar un pago",
                "Pagos",
                (
                    "201",
                    json_response("Registrado.", one("Pago"), {**LOCATION_HEADER, **ETAG_HEADER}),
                ),
                ("404", "409", "412"),
                params=[ID_VENTA],
                body="PagoNuevo",
                description="Se aplica a las cuotas más antiguas sin pagar. Un pago mayor "
                "que lo pendiente es un 422 en `valor`; una operación anulada o caducada, 409.",
            ),
        },
        "/api/pagos/{id_pago}": {
            "get": operation(
                "Un pago",
                "Pagos",
                ("200", json_response("El pago.", one("Pago"), ETAG_HEADER)),
                ("404",),
                params=[ID_PAGO],
            ),
            "delete": operation(
                "Eliminar un pago (solo admin)",
                "Pagos",
                NO_CONTENT,
                ("403", "404", "412"),
                params=[ID_PAGO, IF_MATCH],
                description="Los demás pagos de la venta se vuelven a aplicar a las cuotas.",
            ),
        },
    }
    schemas = dict(SCHEMAS)
    schemas["VentaDetalle"] = obj(
        {
            **SCHEMAS["Venta"]["properties"],
            "cliente": ref("Cliente"),
            "apartamento": ref("Apartamento"),
            "totales": ref("Totales"),
        }
    )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "API del back office de ventas de apartamentos",
            "version": "1.0.0",
            "description": (
                "JSON de entrada y salida (`application/json`). Todo recurso exige "
                "`Authorization: Bearer <token>` salvo esta especificación "
                "(`GET /api/openapi.json`, pública). Los tokens pertenecen a un usuario y "
                "tienen su rol; se crean con `flask api-tokens create USUARIO` (se muestran "
                "una vez) y se revocan con `flask api-tokens revoke PREFIJO`.\n\n"
                'Errores: siempre `{"message": "...", "errors": {"campo": '
                '["..."]}}`, en español. Dinero: texto con dos decimales '
                '(`"250000000.00"`). Fechas: ISO 8601 (`2026-11-25`); instantes en UTC '
                "con desfase. Listas: `page`, `per_page` (máximo 100) y "
                "`meta.total` (en /api/clientes y /api/ventas sin filtros, contado a lo "
                "sumo una vez por minuto: `meta.total_exacto` lo dice). Un campo "
                "desconocido en el cuerpo es un 422 que lo nombra.\n\n"
                "Conflictos de edición: los GET de un cliente, una venta o un pago envían "
                "`ETag`; envíelo en `If-Match` al modificar y recibirá 412 si otro lo "
                "cambió antes."
            ),
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": name}
            for name in ("Clientes", "Catálogos", "Inventario", "Ventas", "Pagos", "Documentación")
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Token creado con `flask api-tokens create USUARIO`.",
                }
            },
            "schemas": schemas,
        },
    }


@api_bp.get("/openapi.json")
def openapi_spec():
    return build_spec()
