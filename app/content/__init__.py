"""The programme content: six modules loaded from ``sessions/moduleN.yaml``."""
from .arc import arc_problems, group_address_problems
from .loader import ContentError, load_programme
from .model import LANGUAGES, Item, Module, Programme, localise

__all__ = ["ContentError", "load_programme", "LANGUAGES", "Item", "Module",
           "Programme", "localise", "arc_problems", "group_address_problems",
           "content_problems"]


def content_problems(programme, directory) -> list[str]:
    """Everything `gps content check` reports beyond the file shapes: the arc,
    the minutes, the one-to-one wording (and the glossary, once it exists)."""
    return arc_problems(programme)
