"""Look-alike names: "Anna" and Cyrillic "Аnna" must not both be in one group (issue 11).

A pseudonym is written in one script (digits, spaces and punctuation go with any), and two pseudonyms count
as the same when their skeletons match: case and accents ignored, and every character that Unicode's
confusables (as packaged by confusable-homoglyphs) list as looking like a Latin letter replaced by it.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

KEY_LENGTH = 24  # Participant.pseudonym_key


def mixed_script(name: str) -> bool:
    return confusables.is_mixed_script(name)


def skeleton(name: str) -> str:
    """The form two look-alike names share, for the uniqueness of pseudonyms in a run."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    classes = _representatives()
    return "".join(classes.get(ch, ch) for ch in bare).casefold()[:KEY_LENGTH]


@lru_cache(maxsize=1)
def _representatives() -> dict[str, str]:
    """Each character that looks like a Latin letter (Cyrillic "а", Greek "ο", the digit "0"…) mapped to that
    letter, from its own listed look-alikes only: chaining look-alikes of look-alikes would end up calling
    "s" and "f" the same. Latin letters stand for themselves, so Dutch and French names keep their letters."""
    table: dict[str, str] = {}
    for ch, similar in confusables.confusables_data.items():
        if len(ch) != 1 or ("a" <= ch.casefold() <= "z"):
            continue
        latin = sorted(c for c in (entry["c"].casefold() for entry in similar) if len(c) == 1 and "a" <= c <= "z")
        if latin:
            table[ch] = latin[0]
            if len(ch.casefold()) == 1:  # names are compared casefolded
                table.setdefault(ch.casefold(), latin[0])
    return table
