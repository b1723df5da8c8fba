"""The loaded programme: plain frozen objects, no validation here."""
from dataclasses import dataclass, field

from app.item_types.base import LANGUAGES, localise

__all__ = ["Item", "Module", "Programme", "LANGUAGES", "localise"]

MODULE_TEXTS = ("title", "aim", "staff_intro", "content_note", "girl_notice")
OPTIONAL_TEXTS = ("answer_key", "transition", "split_group")


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    channel: str
    sensitive: bool
    modes: tuple
    duration: int
    texts: dict  # message, question, info, staff_notes (+ answer_key, transition, split_group) -> {nl, fr, en}
    data: dict   # the type-specific fields as written in the YAML
    module_number: int
    role: str | None = None  # checkin | hook | exercise | dilemma | takeaway | checkout
    individual: dict = field(default_factory=dict)  # one-to-one variants: staff_notes, message, question, info

    def text(self, name: str, locale: str, individual: bool = False) -> str | None:
        """A text (or a translated type field such as ``why``) in ``locale``.

        With ``individual`` the one-to-one variant is used where the module file
        has one, else the common text. A v2 staff text that is not written
        (``answer_key``, ``transition``, ``split_group``) is None.
        """
        if individual and name in self.individual:
            return localise(self.individual[name], locale)
        if name in self.texts:
            return localise(self.texts[name], locale)
        if name in OPTIONAL_TEXTS:
            return None
        if isinstance(self.data.get(name), dict):
            return localise(self.data[name], locale)
        raise KeyError(name)

    def staff_notes(self, locale: str, individual: bool = False) -> str:
        """The notes for the way of working: in a one-to-one run of an item that
        is also used in groups, ``individual.staff_notes`` (when written)."""
        return self.text("staff_notes", locale, individual=individual)

    @property
    def individual_usable(self) -> bool:
        return "individual" in self.modes


@dataclass(frozen=True)
class Module:
    number: int
    slug: str
    title: dict
    aim: dict
    staff_intro: dict
    content_note: dict | None
    girl_notice: dict | None
    items: tuple = field(default_factory=tuple)
    guide: dict | None = None  # format v2: prepare, opening, closing, if_a_girl_says, individual
    source: str = ""           # "sessions/module3.yaml", for one-line messages

    def text(self, name: str, locale: str) -> str | None:
        if name not in MODULE_TEXTS:
            raise KeyError(name)
        return localise(getattr(self, name), locale)

    def guide_text(self, name: str, locale: str, individual: bool = False) -> str | None:
        """``prepare``/``opening``/``closing`` of the facilitator guide (None while
        the file has no guide). One-to-one work has its own prepare and opening."""
        if not self.guide:
            return None
        if individual and name in self.guide["individual"]:
            return localise(self.guide["individual"][name], locale)
        return localise(self.guide.get(name), locale)

    def remarks(self, locale: str) -> list[dict]:
        """The guide's "if a girl says …" entries as {says, do} in ``locale``."""
        if not self.guide:
            return []
        return [{"says": localise(r["says"], locale), "do": localise(r["do"], locale)}
                for r in self.guide["if_a_girl_says"]]

    @property
    def minutes(self) -> int:
        return sum(i.duration for i in self.items)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def index_of(self, item_id: str) -> int:
        """Position of the item in the module; -1 when it is not in this module."""
        return next((n for n, i in enumerate(self.items) if i.id == item_id), -1)

    @property
    def sensitive(self) -> bool:
        return any(i.sensitive for i in self.items)


@dataclass(frozen=True)
class Programme:
    modules: dict  # number -> Module, keys 0..5

    def module(self, number: int) -> Module | None:
        return self.modules.get(number)

    def item(self, item_id: str) -> Item | None:
        for module in self.modules.values():
            found = module.item(item_id)
            if found is not None:
                return found
        return None

    def items(self):
        """All items in programme order."""
        return [i for n in sorted(self.modules) for i in self.modules[n].items]
