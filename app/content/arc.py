"""The programme's arc (content format v2, issue 12): rules about whole modules
and the whole programme, beyond the shape of one field.

``arc_problems(programme)`` returns one readable line per problem, in the same
form as a ``ContentError`` ("sessions/module3.yaml: item m3-x: field role: …"),
so `flask --app app gps content check`, the tests and (once every file is
converted) the loader all report the same thing.
"""
import re
from collections import Counter

from app.item_types import TYPES
from app.item_types.base import LANGUAGES

from .loader import MODES
from .model import Item, Module, Programme

MIN_ITEMS_PER_MODULE = 7
MIN_ITEMS_IN_PROGRAMME = 48
MIN_USES_PER_TYPE = 3
MINUTES = (45, 75)
MIDDLE_ROLES = ("exercise", "dilemma")
MIDDLE_COUNT = (4, 6)
# A dilemma splits the group: a type with a fixed right answer cannot.
NO_DILEMMA_TYPES = ("truefalse", "order", "redflags")

# Words that address a group; refused in what one girl reads in one-to-one work.
GROUP_ADDRESS = {
    "nl": ("jullie", "squad", "de groep", "iedereen hier", "samen met de groep"),
    "fr": ("vous", "squad", "le groupe", "vous toutes", "tout le monde ici"),
    "en": ("you all", "squad", "the group", "everyone here", "guys"),
}
_GROUP_RE = {lang: re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words), re.IGNORECASE)
             for lang, words in GROUP_ADDRESS.items()}
GIRL_TEXTS = ("message", "question", "info")
# The truefalse buttons' words (glossary): its question starts with them, its `why` with the answer's word.
# French puts a space before ":" and "!": a plain, a no-break (U+00A0) or a narrow no-break (U+202F) one.
_SPACE = "[ \u00a0\u202f]"
TRUEFALSE_QUESTION = {"nl": "Feit of fabel:", "fr": "Vrai ou faux :", "en": "True or false:"}
TRUEFALSE_WHY = {"nl": ("Feit!", "Fabel!"), "fr": ("Vrai !", "Faux !"), "en": ("True!", "False!")}


def _starts_with(text, words):
    return re.match(_SPACE.join(re.escape(part) for part in words.split(" ")), text.strip()) is not None


def arc_problems(programme: Programme) -> list[str]:
    """Every arc, minutes, v2-field and one-to-one wording problem, one line each."""
    problems = []
    for number in sorted(programme.modules):
        problems += module_problems(programme.modules[number])
    problems += programme_problems(programme)
    return problems


def module_problems(module: Module) -> list[str]:
    where = module.source or f"sessions/module{module.number}.yaml"
    problems = [f"{where}: {p}" for p in _module_level(module)]
    for item in module.items:
        problems += [f"{where}: item {item.id}: {p}" for p in _item_level(item)]
    return problems


def programme_problems(programme: Programme) -> list[str]:
    items = programme.items()
    problems = []
    if len(items) < MIN_ITEMS_IN_PROGRAMME:
        problems.append(f"sessions/: programme: has {len(items)} items, needs at least {MIN_ITEMS_IN_PROGRAMME}")
    uses = Counter(i.type for i in items)
    for name in TYPES:
        if uses[name] < MIN_USES_PER_TYPE:
            problems.append(f"sessions/: programme: type {name} is used {uses[name]} time(s), "
                            f"needs at least {MIN_USES_PER_TYPE}")
    return problems


# ------------------------------------------------------------------ a module

def _module_level(module: Module) -> list[str]:
    problems = []
    if module.guide is None:
        problems.append("field guide: is missing (the module's facilitator guide)")
    items = module.items
    if len(items) < MIN_ITEMS_PER_MODULE:
        problems.append(f"field items: has {len(items)} items, needs at least {MIN_ITEMS_PER_MODULE}")
    low, high = MINUTES
    if not low <= module.minutes <= high:
        problems.append(f"field items: the durations add up to {module.minutes} minutes, "
                        f"must be between {low} and {high}")
    if all(i.role for i in items):
        problems += _role_order(items)
    return problems


def _role_order(items) -> list[str]:
    """checkin, hook, 4-6 exercises or dilemmas (one dilemma at least), takeaway, checkout."""
    roles = [i.role for i in items]
    expected = {0: "checkin", 1: "hook", len(items) - 2: "takeaway", len(items) - 1: "checkout"}
    problems = [f"item {items[pos].id}: field role: is {roles[pos]!r}, item {pos + 1} of the module must be {role!r}"
                for pos, role in sorted(expected.items()) if pos < len(items) and roles[pos] != role]
    middle = items[2:-2]
    for item in middle:
        if item.role not in MIDDLE_ROLES:
            problems.append(f"item {item.id}: field role: is {item.role!r}, between the hook and the takeaway "
                            "only exercise or dilemma")
    low, high = MIDDLE_COUNT
    if not low <= len(middle) <= high:
        problems.append(f"field items: {len(middle)} exercises or dilemmas between the hook and the takeaway, "
                        f"needs {low} to {high}")
    if not any(i.role == "dilemma" for i in items):
        problems.append("field items: no item with role dilemma (at least one is needed)")
    return problems


# ------------------------------------------------------------------- an item

def _item_level(item: Item) -> list[str]:
    problems = []
    if item.role is None:
        problems.append("field role: is missing (checkin, hook, exercise, dilemma, takeaway or checkout)")
    if "answer_key" not in item.texts:
        problems.append("field answer_key: is missing (the right answer and why, or 'No right answer: …')")
    if item.role in ("checkin", "checkout") and set(item.modes) != set(MODES):
        problems.append(f"field modes: a {item.role} is used in both ways of working: [group, individual]")
    if item.role == "dilemma":
        if "split_group" not in item.texts:
            problems.append("field split_group: is required for a dilemma")
        if item.type in NO_DILEMMA_TYPES or item.data.get("correct"):
            problems.append(f"field role: a dilemma has no right answer, but this {item.type} item has one")
    if set(item.modes) == set(MODES) and "staff_notes" not in item.individual:
        problems.append("field individual.staff_notes: is required when modes is [group, individual]")
    if tuple(item.modes) == ("individual",) and "staff_notes" in item.individual:
        problems.append("field individual.staff_notes: not used when modes is only [individual] "
                        "(staff_notes is then the one-to-one note)")
    if item.individual_usable:
        problems += group_address_problems(item)
    if item.type == "truefalse":
        problems += truefalse_problems(item)
    return problems


def truefalse_problems(item: Item) -> list[str]:
    """The question uses the buttons' words; the `why` starts with the word of the right answer."""
    problems = []
    for lang in LANGUAGES:
        texts = [("question", item.texts["question"][lang])]
        if "question" in item.individual:
            texts.append(("individual.question", item.individual["question"][lang]))
        for name, text in texts:
            if not _starts_with(text, TRUEFALSE_QUESTION[lang]):
                problems.append(f"field {name}: language '{lang}' must start with "
                                f"\u201c{TRUEFALSE_QUESTION[lang]} \u2026\u201d (the words of the buttons)")
        word = TRUEFALSE_WHY[lang][0 if item.data["answer"] else 1]
        if not _starts_with(item.data["why"][lang], word):
            problems.append(f"field why: language '{lang}' must start with \u201c{word}\u201d (the right answer)")
    return problems


def girl_texts_one_to_one(item: Item):
    """(field, language, text) of everything one girl reads of this item in one-to-one work."""
    for name in GIRL_TEXTS:
        source = item.individual if name in item.individual else item.texts
        prefix = "individual." if name in item.individual else ""
        for lang in LANGUAGES:
            yield f"{prefix}{name}", lang, source[name][lang]
    yield from _type_texts(item)


def _type_texts(item: Item):
    data = item.data
    for list_name in ("options", "statements", "steps", "chat", "points"):
        for i, entry in enumerate(data.get(list_name) or ()):
            for key in ("text", "why"):
                if isinstance(entry.get(key), dict):
                    for lang in LANGUAGES:
                        yield f"{list_name}[{i}].{key}", lang, entry[key][lang]
    if isinstance(data.get("why"), dict):
        for lang in LANGUAGES:
            yield "why", lang, data["why"][lang]


def group_address_problems(item: Item) -> list[str]:
    problems = []
    for field_name, lang, text in girl_texts_one_to_one(item):
        found = _GROUP_RE[lang].search(text)
        if found:
            override = "" if field_name.startswith("individual.") or "[" in field_name or field_name == "why" \
                else f" (write individual.{field_name} for one-to-one work)"
            problems.append(f"field {field_name}: language '{lang}' addresses a group "
                            f"(\u201c{found.group(0)}\u201d) in a text one girl reads in one-to-one work{override}")
    return problems
