"""Word cloud: one to three short words; shown big on the projector."""
import re
import unicodedata
from collections import Counter

from confusable_homoglyphs import categories

from flask_babel import lazy_gettext as _l

from ..base import AnswerError, check_int, payload_value

REQUIRED = ()
OPTIONAL = ("max_words",)
label = _l("Word cloud")  # its name for staff
LISTS_ANSWERS = True  # its answers are the result: a report lists them even without names
DEFAULT_MAX = 3
# A word fits the projector's cloud at its largest size: 30 letters overflowed a 1920 px screen by 1,728 px.
MAX_CHARS = 20
# Combining marks on one letter: Vietnamese needs two; more only stacks "zalgo" marks over the lines around.
MAX_MARKS = 2
# Scripts girls here write words in (Latin for Dutch, French, Turkish, Somali…, plus the scripts of the
# languages of newcomers); digits and marks go with any. Others, such as cuneiform signs, are not words here.
SCRIPTS = {"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "GEORGIAN", "HEBREW", "ARABIC", "SYRIAC", "THAANA",
           "ETHIOPIC", "TIFINAGH", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "TAMIL", "TELUGU", "KANNADA",
           "MALAYALAM", "SINHALA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN", "HANGUL", "HIRAGANA", "KATAKANA",
           "HAN", "COMMON", "INHERITED"}
CLOUD_SIZE = 40
MARKUP = set("<>&{}")
EXTRA_CHARS = set(" -'\u2019")  # phones often type a curly apostrophe


def check_config(data):
    if "max_words" in data:
        check_int(data["max_words"], "max_words", 1, 3)


def max_words(item):
    return item.data.get("max_words", DEFAULT_MAX)


def _allowed(ch):
    # Letters of the scripts above (with their combining marks) and digits.
    return ch in EXTRA_CHARS or (unicodedata.category(ch)[0] in "LMN" and _script(ch) in SCRIPTS)


def _script(ch):
    try:
        return categories.alias(ch)
    except (KeyError, IndexError):  # unassigned in the library's data: not a letter of a known script
        return None


def _stacked(word):
    """More than MAX_MARKS combining marks on one letter (counted decomposed: é is e and one mark)."""
    run = 0
    for ch in unicodedata.normalize("NFD", word):
        run = run + 1 if unicodedata.combining(ch) else 0
        if run > MAX_MARKS:
            return True
    return False


def _normalise(word):
    if not isinstance(word, str):
        raise AnswerError("wrong_shape")
    word = re.sub(r"\s+", " ", unicodedata.normalize("NFC", word)).strip()
    if not word:
        raise AnswerError("empty")
    if len(word) > MAX_CHARS:
        raise AnswerError("too_long")
    if MARKUP & set(word):
        raise AnswerError("markup")
    if not all(_allowed(ch) for ch in word) or _stacked(word):
        raise AnswerError("bad_chars")
    return word.lower()


def validate(item, payload):
    words = payload_value(payload, "words")
    if not isinstance(words, list):
        raise AnswerError("wrong_shape")
    if not words:
        raise AnswerError("empty")
    if len(words) > max_words(item):
        raise AnswerError("too_many")
    normalised = []
    for index, word in enumerate(words):
        try:
            normalised.append(_normalise(word))
        except AnswerError as refused:
            refused.index = index  # the phone marks that word only and keeps the others (issue 15)
            raise
    return {"words": list(dict.fromkeys(normalised))}


def aggregate(item, values):
    counts = Counter(w for v in values for w in (v.get("words") or []))
    ranked = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))
    return {"words": [{"word": w, "count": n} for w, n in ranked[:CLOUD_SIZE]]}


def public_config(item, locale):
    """The phone's boxes take as many letters as the server accepts, so a long word is stopped while typing."""
    return {"max_words": max_words(item), "max_chars": MAX_CHARS}


def solution(item, locale):
    return None


def describe(item, value, locale):
    return ", ".join(value["words"])
