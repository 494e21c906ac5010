"""Languages people speak, as ISO 639 codes, with their Swedish and English names.

The list holds the languages common among newcomers to Sweden and among established Swedes (the national
minority languages included), so a coordinator picks from a short list instead of typing codes. Two-letter
ISO 639-1 codes where they exist, three-letter ISO 639-3 codes otherwise (Dari, Kurmanji, Sorani, Assyrian),
which is why the model's field holds up to three characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class Language:
    code: str
    sv: str
    en: str
    # The name in the language itself, so a newcomer can point at their own language.
    native: str

    @property
    def name(self) -> str:
        """The name in the active UI language (Swedish unless the user chose English)."""
        return self.en if (get_language() or "sv").startswith("en") else self.sv


LANGUAGES: tuple[Language, ...] = (
    Language("sv", "svenska", "Swedish", "svenska"),
    Language("en", "engelska", "English", "English"),
    Language("ar", "arabiska", "Arabic", "العربية"),
    Language("fa", "persiska", "Persian", "فارسی"),
    Language("prs", "dari", "Dari", "دری"),
    Language("ps", "pashto", "Pashto", "پښتو"),
    Language("ti", "tigrinja", "Tigrinya", "ትግርኛ"),
    Language("am", "amhariska", "Amharic", "አማርኛ"),
    Language("om", "oromo", "Oromo", "Afaan Oromoo"),
    Language("so", "somaliska", "Somali", "Soomaali"),
    Language("ku", "kurdiska", "Kurdish", "Kurdî"),
    Language("kmr", "kurmanji (nordkurdiska)", "Kurmanji (Northern Kurdish)", "Kurmancî"),
    Language("ckb", "sorani (centralkurdiska)", "Sorani (Central Kurdish)", "سۆرانی"),
    Language("tr", "turkiska", "Turkish", "Türkçe"),
    Language("syr", "assyriska/syriska", "Assyrian/Syriac", "ܣܘܪܝܝܐ"),
    Language("uk", "ukrainska", "Ukrainian", "українська"),
    Language("ru", "ryska", "Russian", "русский"),
    Language("pl", "polska", "Polish", "polski"),
    Language("ro", "rumänska", "Romanian", "română"),
    Language("bs", "bosniska", "Bosnian", "bosanski"),
    Language("hr", "kroatiska", "Croatian", "hrvatski"),
    Language("sr", "serbiska", "Serbian", "српски"),
    Language("sq", "albanska", "Albanian", "shqip"),
    Language("el", "grekiska", "Greek", "ελληνικά"),
    Language("de", "tyska", "German", "Deutsch"),
    Language("fr", "franska", "French", "français"),
    Language("es", "spanska", "Spanish", "español"),
    Language("pt", "portugisiska", "Portuguese", "português"),
    Language("it", "italienska", "Italian", "italiano"),
    Language("ur", "urdu", "Urdu", "اردو"),
    Language("hi", "hindi", "Hindi", "हिन्दी"),
    Language("bn", "bengali", "Bengali", "বাংলা"),
    Language("ta", "tamil", "Tamil", "தமிழ்"),
    Language("th", "thailändska", "Thai", "ไทย"),
    Language("vi", "vietnamesiska", "Vietnamese", "Tiếng Việt"),
    Language("zh", "kinesiska", "Chinese", "中文"),
    Language("my", "burmesiska", "Burmese", "မြန်မာ"),
    Language("sw", "swahili", "Swahili", "Kiswahili"),
    Language("fi", "finska", "Finnish", "suomi"),
    Language("fit", "meänkieli", "Meänkieli", "meänkieli"),
    Language("se", "samiska", "Sami", "sámegiella"),
    Language("rom", "romani", "Romani", "romani ćhib"),
    Language("yi", "jiddisch", "Yiddish", "ייִדיש"),
    Language("swl", "svenskt teckenspråk", "Swedish Sign Language", "svenskt teckenspråk"),
)

BY_CODE: dict[str, Language] = {language.code: language for language in LANGUAGES}


def is_known(code: str) -> bool:
    return code in BY_CODE


def language_name(code: str) -> str:
    """The language's name in the UI language; an unknown code is shown as it is."""
    language = BY_CODE.get(code)
    return language.name if language else code


def language_choices() -> list[tuple[str, str]]:
    """Choices for a form, sorted by name in the UI language, Swedish and English first."""
    first = [BY_CODE["sv"], BY_CODE["en"]]
    rest = sorted((lang for lang in LANGUAGES if lang.code not in {"sv", "en"}), key=lambda lang: lang.name)
    return [
        (lang.code, f"{lang.name} ({lang.native})" if lang.native != lang.name else lang.name)
        for lang in first + rest
    ]


def language_lookup(value: str) -> str | None:
    """A code for ``value`` given as a code or a Swedish, English or native name (for imports), or None."""
    wanted = value.strip().casefold()
    if not wanted:
        return None
    for language in LANGUAGES:
        if wanted in {
            language.code,
            language.sv.casefold(),
            language.en.casefold(),
            language.native.casefold(),
        }:
            return language.code
    return None
