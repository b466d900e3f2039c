"""What a URL or a form may carry, checked before any view runs.

A NUL character cannot be stored in PostgreSQL's text (the driver refuses it)
and SQLite would keep it silently: it is refused at the door. In a query string
or outside the admin's forms it is a Spanish 400; in an admin form it is an
error on the field (campos.SinCaracterNulo), so the rest of the form is kept.
"""

from flask import Flask, request
from werkzeug.exceptions import BadRequest, NotFound

NULO = "\x00"
MENSAJE_NULO = "No puede contener el carácter nulo."
URL_CON_NULO = (
    "La dirección contiene un carácter nulo (%00), que no es válido en una búsqueda, "
    "un filtro ni un identificador. Corrija la dirección e intente de nuevo."
)
FORMULARIO_CON_NULO = "El formulario contiene un carácter nulo, que no es válido. Corríjalo."


class EntradaInvalida(BadRequest):
    """A 400 whose Spanish text is shown as is (errors.py reads `texto`)."""

    def __init__(self, texto: str):
        super().__init__(texto)
        self.texto = texto


class RegistroInexistente(NotFound):
    """A 404 for an id that names no row (or is no id at all)."""

    texto = "El registro no existe."


def _tiene_nulo(pares) -> bool:
    return any(NULO in clave or NULO in valor for clave, valor in pares)


def init_input_guards(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if request.path.startswith("/api/"):
            return  # the API's schemas refuse it with a 422 on the field (api/parser.py)
        if NULO in request.path or _tiene_nulo(request.args.items(multi=True)):
            raise EntradaInvalida(URL_CON_NULO)
        # The admin's forms put the message on the field (admin/campos.py).
        outside_admin = not request.path.startswith("/admin/")
        if (
            request.method == "POST"
            and outside_admin
            and _tiene_nulo(request.form.items(multi=True))
        ):
            raise EntradaInvalida(FORMULARIO_CON_NULO)
