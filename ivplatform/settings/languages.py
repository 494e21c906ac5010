"""Languages. Staff pages: Swedish and English. Newcomer-facing public pages: five more.

Django knows Arabic and Ukrainian; Dari (prs), Tigrinya (ti) and Somali (so) are added to its table here.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO

LANG_INFO.update(
    {
        "prs": {"bidi": True, "code": "prs", "name": "Dari", "name_local": "دری"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
        "so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"},
    }
)

LANGUAGE_CODE = "sv"
STAFF_LANGUAGES = ("sv", "en")
# Order as shown in the language switch of the public pages.
LANGUAGES = [
    ("sv", "Svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("prs", "دری"),
    ("ti", "ትግርኛ"),
    ("so", "Soomaali"),
    ("uk", "Українська"),
]

# Written right to left. Django's own list lacks Dari.
LANGUAGES_BIDI = ["ar", "prs", "fa", "he", "ur", "ckb"]
