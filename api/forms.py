from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new token"),
        max_length=80,
        help_text=_("Say what will use it, e.g. 'Grant report spreadsheet'."),
    )
