from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("Wrong e-mail or password for this network. Check both and try again."),
        "inactive": _("This account is not active."),
    }


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    full_name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, association: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [Role.VOLUNTEER, Role.COORDINATOR, Role.ADMIN]
        if association:
            roles.append(Role.BOARD)
        role_field = cast(forms.ChoiceField, self.fields["role"])  # declared above
        role_field.choices = [(role.value, role.label) for role in roles]


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ. Type the same password twice."))
        return cleaned


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app."""

    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the six digits shown in your authenticator app."))
        return token
