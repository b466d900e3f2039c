from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        "Usuario",
        validators=[DataRequired("Escriba su usuario."), Length(max=60)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        "Contraseña",
        validators=[DataRequired("Escriba su contraseña."), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
