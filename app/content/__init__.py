"""The programme content: six modules loaded from ``sessions/moduleN.yaml``."""
from .loader import ContentError, load_programme
from .model import LANGUAGES, Item, Module, Programme, localise

__all__ = ["ContentError", "load_programme", "LANGUAGES", "Item", "Module",
           "Programme", "localise"]
