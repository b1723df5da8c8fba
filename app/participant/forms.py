from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    pseudonym = StringField(_l("Your pseudonym"), validators=[DataRequired(), Length(max=100)])
    language = RadioField(_l("Language"), choices=[("nl", "Nederlands"), ("fr", "Français"), ("en", "English")],
                          default="nl")


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
