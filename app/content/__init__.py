"""The programme content: six modules loaded from ``sessions/moduleN.yaml``."""
from pathlib import Path

from .arc import arc_problems, group_address_problems
from .loader import ContentError, load_programme
from .model import LANGUAGES, Item, Module, Programme, localise

__all__ = ["ContentError", "load_programme", "LANGUAGES", "Item", "Module",
           "Programme", "localise", "arc_problems", "group_address_problems",
           "content_problems"]


def content_problems(programme, directory) -> list[str]:
    """Everything `gps content check` reports beyond the module files' shapes: the arc, the minutes,
    the one-to-one wording, the shared guide (guide.yaml) and the glossary (glossary.yaml)."""
    from .glossary import glossary_problems, load_glossary
    from .guide import load_guide

    directory = Path(directory)
    problems = arc_problems(programme)
    try:
        load_guide(directory / "guide.yaml")
    except ContentError as error:
        problems.append(str(error))
    try:
        glossary = load_glossary(directory / "glossary.yaml")
    except ContentError as error:
        return problems + [str(error)]
    return problems + glossary_problems(glossary, directory)
