from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp


EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class AccountForm(FlaskForm):
    """Used by the first-start setup page and by an admin adding a colleague."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=80)])
    email = EmailField(_l("Email address"), validators=[DataRequired(), Length(max=254),
                                                        Regexp(EMAIL, message=_l("This is not an email address."))])
    password = PasswordField(_l("Password (at least 10 characters)"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))])

