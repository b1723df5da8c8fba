from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..languages import DEFAULT as DEFAULT_LANGUAGE
from ..languages import choices as language_choices


class JoinForm(FlaskForm):
    pseudonym = StringField(_l("Your pseudonym"), validators=[DataRequired(), Length(max=100)])
    language = RadioField(_l("Language"), default=DEFAULT_LANGUAGE,
                          choices=[SelectChoice(code, name) for code, name in language_choices()])


class CodeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20)])
