"""The base of ModelForms whose record a service saves."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from django import forms
from django.db.models import Model

M = TypeVar("M", bound=Model)


class ServiceModelForm(forms.ModelForm[M]):
    """A ModelForm that validates as Django's do, the model's own rules included, on a copy of its record.

    ModelForm validation writes the form's values onto the instance it checks. Here a service saves the
    record: the view hands it the record as loaded (the service tells what changed, checks the values again
    and saves), and a form shown again with errors still names the record as saved. So the form checks its
    own copy, and the view calls the service, never ``save()``. Where the service stores a value in another
    form than typed (trimmed, a phone number in one format), the form puts that value in ``cleaned_data``
    in ``clean()``, so that the model's rules see here what they will see in the service.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["instance"] = copy.copy(kwargs.get("instance"))
        super().__init__(*args, **kwargs)
