"""Forms every staff blueprint shares (issue 14: no blueprint imports another)."""
from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """Only the CSRF token: for buttons that change something."""
