"""The staff preview of a module: every item as a girl sees it, with its solution and staff notes."""
from __future__ import annotations

from flask_babel import get_locale

from .. import item_types


def preview_items(module) -> list[dict]:
    locale = str(get_locale() or "nl")
    return [{"item": item, "locale": locale, "config": item_types.public_config(item, locale),
             "solution": item_types.solution(item, locale)} for item in module.items]
