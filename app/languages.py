"""The languages of GPS Live (issue 14): content, catalogs, pages and broadcasts take the list from here.
Defined once in config.py, which must load without the app package."""
from config import DEFAULT_LANGUAGE as DEFAULT
from config import LANGUAGES

__all__ = ["DEFAULT", "LANGUAGES"]
