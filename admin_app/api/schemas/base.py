"""What every request body, query string and answer of the API shares."""

from functools import cache

from marshmallow import EXCLUDE, Schema, fields, post_load, pre_load


class BodySchema(Schema):
    """A JSON body: unknown fields, missing ones and wrong types, all in one 422."""

    error_messages = {"unknown": "Campo desconocido: este recurso no lo admite."}
    # An empty body reads as {} only where the schema says so (POST .../anular).
    optional = False

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        field_obj.error_messages |= {
            "required": "Este campo es obligatorio.",
            "null": "Este campo es obligatorio.",
        }


class NullAsMissingBodySchema(BodySchema):
    """A body where null means the same as leaving the field out (the service's default)."""

    @post_load
    def _without_nulls(self, data: dict, **kwargs) -> dict:
        return {key: value for key, value in data.items() if value is not None}


class QuerySchema(Schema):
    """A query string: unknown parameters are ignored, an empty one counts as absent."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _without_empty(self, data, **kwargs) -> dict:
        return {key: value for key, value in data.items() if value != ""}


@cache
def one(schema: type[Schema]) -> type[Schema]:
    """The answer with one row: {"data": {...}}."""
    name = schema.__name__.removesuffix("Schema")
    return type(f"{name}RespuestaSchema", (Schema,), {"data": fields.Nested(schema)})
