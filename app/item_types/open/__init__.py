"""Open text: a short free answer. Markup is allowed because it is shown as text."""
import unicodedata

from flask_babel import lazy_gettext as _l

from ..base import AnswerError, check_int, payload_value

REQUIRED = ()
OPTIONAL = ("max_length",)
label = _l("Open question")  # its name for staff
LISTS_ANSWERS = True  # its answers are the result: a report lists them even without names
DEFAULT_MAX = 280


def check_config(data):
    if "max_length" in data:
        check_int(data["max_length"], "max_length", 20, 280)


def max_length(item):
    return item.data.get("max_length", DEFAULT_MAX)


def _has_control(text):
    # Control (Cc) and lone surrogate (Cs) characters break displays and storage.
    return any(ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


def validate(item, payload):
    text = payload_value(payload, "text")
    if not isinstance(text, str):
        raise AnswerError("wrong_shape")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if not text:
        raise AnswerError("empty")
    if len(text) > max_length(item):
        raise AnswerError("too_long")
    if _has_control(text):
        raise AnswerError("control_chars")
    return {"text": text}


def aggregate(item, values):
    return {"texts": [v["text"] for v in values if isinstance(v.get("text"), str)]}


def public_config(item, locale):
    return {"max_length": max_length(item)}


def solution(item, locale):
    return None


def describe(item, value, locale):
    return value["text"]
