"""Stored text holds no control characters: what a form, the API or an import brings is normalised before
it is saved, so that every page, export, calendar feed and e-mail can show it.

- Line breaks become ``\\n`` (``\\r\\n`` and ``\\r`` too) in multi-line text (``TextField``); in one-line
  text (``CharField``) every line break or tab becomes a space.
- Other control characters (C0, DEL, C1) are removed, and so are the bidirectional overrides and isolates
  (U+202A–U+202E, U+2066–U+2069) that can make a name read differently from what it is.
- Unicode is normalised to NFC, so "ö" typed two ways is one name.

``normalise_instance_text`` runs before every save of a model in the apps that hold people's data
(``CoreConfig.ready`` connects it); bulk writes call it themselves (``people.services.imports``).
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models

_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str, *, multiline: bool) -> str:
    """``value`` without control characters; line breaks kept (as ``\\n``) only when ``multiline``."""
    text = unicodedata.normalize("NFC", value)
    text = _LINE_BREAKS.sub("\n", text)
    text = _CONTROL.sub("", text)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return text


def normalise_instance_text(instance: models.Model) -> None:
    """Clean every text field of ``instance`` in place (see the module's docstring)."""
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and value:
            cleaned = clean_text(value, multiline=isinstance(field, models.TextField))
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
