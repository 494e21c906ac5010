"""Names of the languages people speak, for showing ISO 639 codes on public pages."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SPOKEN_LANGUAGES: dict[str, Promise] = {
    "sv": _("Swedish"),
    "en": _("English"),
    "ar": _("Arabic"),
    "prs": _("Dari"),
    "fa": _("Persian"),
    "ti": _("Tigrinya"),
    "so": _("Somali"),
    "uk": _("Ukrainian"),
    "ru": _("Russian"),
    "ku": _("Kurdish"),
    "tr": _("Turkish"),
    "bs": _("Bosnian"),
    "es": _("Spanish"),
    "fr": _("French"),
    "de": _("German"),
    "pl": _("Polish"),
}


def language_name(code: str) -> str:
    return str(SPOKEN_LANGUAGES.get(code, code))
