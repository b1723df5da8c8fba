from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..models import SquadMode


def mode_choices():
    return [SelectChoice(SquadMode.GROUP.value, _l("Offline group (projector and phones)")),
            SelectChoice(SquadMode.OFFLINE_INDIVIDUAL.value, _l("Offline individual (one girl, face to face)")),
            SelectChoice(SquadMode.ONLINE_INDIVIDUAL.value, _l("Online individual (one girl at her own pace, with a coach)"))]


class SquadForm(FlaskForm):
    name = StringField(_l("Name of the squad"), validators=[DataRequired(), Length(max=80)])
    mode = SelectField(_l("Way of working"), choices=mode_choices, default=SquadMode.GROUP.value)


class RenameForm(FlaskForm):
    name = StringField(_l("New name"), validators=[DataRequired(), Length(max=80)])
