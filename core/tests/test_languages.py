"""The list of languages: ISO 639 codes with Swedish and English names."""

from __future__ import annotations

from django.utils import translation

from core.languages import LANGUAGES, language_choices, language_lookup, language_name


def test_codes_fit_the_model_and_are_unique() -> None:
    codes = [language.code for language in LANGUAGES]
    assert len(codes) == len(set(codes))
    assert all(2 <= len(code) <= 3 and code.islower() for code in codes)


def test_names_follow_the_ui_language() -> None:
    with translation.override("sv"):
        assert language_name("ar") == "arabiska"
        assert language_choices()[0][0] == "sv"
    with translation.override("en"):
        assert language_name("ar") == "Arabic"
    assert language_name("xx") == "xx"


def test_lookup_accepts_codes_and_names_in_swedish_english_and_the_language_itself() -> None:
    assert language_lookup("Arabiska") == "ar"
    assert language_lookup("tigrinya") == "ti"
    assert language_lookup("TI") == "ti"
    assert language_lookup("українська") == "uk"
    assert language_lookup("klingon") is None
