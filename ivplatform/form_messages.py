"""Django's own form messages, listed so that our catalogues translate them.

Installed apps ship different Swedish for the same message (Django: "Fyll i en giltig e-postadress.",
Django REST framework: "Ange en giltig mejladress."), and Django has no Dari, Tigrinya or Somali at all.
Our catalogues come first (LOCALE_PATHS), so listing the messages here makes them one voice everywhere.
"""

from django.utils.translation import gettext_noop

DJANGO_FORM_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
)
