"""The loaded programme: plain frozen objects, no validation here."""
from dataclasses import dataclass, field

from app.item_types.base import LANGUAGES, localise

__all__ = ["Item", "Module", "Programme", "LANGUAGES", "localise"]

MODULE_TEXTS = ("title", "aim", "staff_intro", "content_note", "girl_notice")


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    channel: str
    sensitive: bool
    modes: tuple
    duration: int
    texts: dict  # message, question, info, staff_notes -> {nl, fr, en}
    data: dict   # the type-specific fields as written in the YAML
    module_number: int

    def text(self, name: str, locale: str) -> str:
        """A common text (or a translated type field such as ``why``) in ``locale``."""
        if name in self.texts:
            return localise(self.texts[name], locale)
        if isinstance(self.data.get(name), dict):
            return localise(self.data[name], locale)
        raise KeyError(name)


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

    def text(self, name: str, locale: str) -> str | None:
        if name not in MODULE_TEXTS:
            raise KeyError(name)
        return localise(getattr(self, name), locale)

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
