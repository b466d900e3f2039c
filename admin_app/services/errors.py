"""Errors the services raise; the admin shows them on the form, the API as JSON."""


class ServiceError(Exception):
    """A rule was broken. `errors` maps field names to Spanish messages."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}

    @classmethod
    def on_field(cls, field: str, message: str) -> "ServiceError":
        return cls(message, {field: [message]})


class ValidationFailed(ServiceError):
    status = 422


class Errores(dict):
    """Field -> messages, gathered so that one ValidationFailed reports them all."""

    def add(self, campo: str, mensaje: str) -> None:
        self.setdefault(campo, []).append(mensaje)

    def raise_if_any(self, mensaje: str | None = None) -> None:
        if self:
            raise ValidationFailed(mensaje or next(iter(self.values()))[0], dict(self))


class Conflict(ServiceError):
    """The request is valid but clashes with the data (apartment taken, sales exist)."""

    status = 409


class NotFound(ServiceError):
    status = 404


class StaleRecord(ServiceError):
    """Someone else saved the record after it was read."""

    status = 412


class Forbidden(ServiceError):
    """The user's role (or team) does not allow it: 403 at the API."""

    status = 403
