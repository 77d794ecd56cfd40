"""Forms of the accounts pages: the county security policy and a one-time code."""

from typing import cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from yanzhen.accounts.models import PASSWORD_MAX_AGE_DAYS, PASSWORD_REUSE_COUNT
from yanzhen.core.text import NormalisedFormField


class SecurityPolicyForm(forms.Form):
    # The ranges are checked by the service (accounts.services.save_security_policy), whose messages name the
    # field and its bounds; the form only parses.
    password_max_age_days = forms.IntegerField(
        label=_("Password maximum age (days)"),
        help_text=format_lazy("{}–{} {}", *PASSWORD_MAX_AGE_DAYS, _("days")),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    password_reuse_count = forms.IntegerField(
        label=_("Previous passwords that may not be reused"),
        help_text=format_lazy("{}–{}", *PASSWORD_REUSE_COUNT),
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    two_factor_required = forms.BooleanField(
        label=_("Require two-factor login"),
        required=False,
        help_text=_(
            "Administrators, township clerks and the three system administrators of the county log in with a "
            "one-time code from an authenticator app (from their next login)."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class CodeForm(forms.Form):
    code = NormalisedFormField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
            }
        ),
    )


class AccountForm(forms.Form):
    """An account as the system administrator edits it. The service checks everything (jurisdiction,
    三员分立, the password rules) and names the field; the form only parses."""

    username = NormalisedFormField(
        label=_("Username"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    display_name = NormalisedFormField(
        label=_("display name"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    division_code = NormalisedFormField(
        label=_("Division code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, choices=(), widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Account active"), required=False, initial=True)
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        help_text=_("The user must change it at his first login. Leave empty to keep the current password."),
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        from yanzhen.accounts.roles import Role

        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = Role.choices
