"""The CSV upload form."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from people.models import PersonGroup


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Saved from Excel, LibreOffice or Google Sheets as CSV (semicolon or comma separated)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    default_group = forms.ChoiceField(
        label=_("Group for rows without one"),
        required=False,
        choices=[("", _("None: every row must say")), *PersonGroup.choices],
    )

    def clean_file(self) -> UploadedFile[bytes]:
        uploaded: UploadedFile[bytes] = self.cleaned_data["file"]
        if (uploaded.size or 0) > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(too_large_message())
        return uploaded


def too_large_message() -> str:
    return str(
        _("The file is too large: at most %(size)s. Split it into smaller files.")
        % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
    )
