from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


class JoinForm(FlaskForm):
    pseudonym = StringField(_l("Your pseudonym"), validators=[DataRequired(), Length(max=100)])
    language = RadioField(_l("Language"), default="nl", choices=[
        SelectChoice("nl", "Nederlands"), SelectChoice("fr", "Français"), SelectChoice("en", "English")])


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
