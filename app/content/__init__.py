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
    the one-to-one wording, the shared guide (guide.yaml), the printables (printables.yaml) and the glossary (glossary.yaml)."""
    from .glossary import glossary_problems, load_glossary
    from .guide import load_guide, load_printables

    directory = Path(directory)
    problems = arc_problems(programme)
    for load, name in ((load_guide, "guide.yaml"), (load_printables, "printables.yaml")):
        try:
            load(directory / name)
        except ContentError as error:
            problems.append(str(error))
    try:
        glossary = load_glossary(directory / "glossary.yaml")
    except ContentError as error:
        return problems + [str(error)]
    return problems + glossary_problems(glossary, directory)
