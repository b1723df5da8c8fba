"""The languages of GPS Live (issue 14): content, catalogs, pages and broadcasts take the list from here.
Defined once in config.py, which must load without the app package."""
from config import DEFAULT_LANGUAGE as DEFAULT
from config import LANGUAGES

# Each language is offered under its own name, written as its speakers write it, whatever the page's language.
NAMES = {"nl": "Nederlands", "fr": "Français", "en": "English"}
assert set(NAMES) == set(LANGUAGES), "every language in config.LANGUAGES needs its own name here"


def choices() -> list[tuple[str, str]]:
    """(code, own name) in the order of config.LANGUAGES: the language switches and the join form."""
    return [(code, NAMES[code]) for code in LANGUAGES]


__all__ = ["DEFAULT", "LANGUAGES", "NAMES", "choices"]
