"""Password rules of 等保 level 3: at least 3 of 4 character classes (the length rule is Django's own), and none
of the user's last passwords again."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    def __init__(self, required_classes: int = 3):
        self.required_classes = required_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required_classes:
            raise ValidationError(
                _(
                    "The password must contain at least %(count)d of: lowercase letters, uppercase letters, "
                    "digits, symbols."
                )
                % {"count": self.required_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least %(count)d of: lowercase, uppercase, digits, symbols."
        ) % {"count": self.required_classes}


class PasswordHistoryValidator:
    """Refuses any of the user's last `password_policy.reuse_count` passwords (his current one included).
    It runs wherever a password is validated for a known user: the change page, `create_or_update_user`.
    A generated password (a reserve's login issued by a clerk) is validated without a user, and is changed
    at the first login, where this check applies."""

    def validate(self, password: str, user=None) -> None:
        from yanzhen.accounts import password_policy, passwords

        if user is None or getattr(user, "pk", None) is None:
            return
        if passwords.was_used_recently(user, password):
            raise ValidationError(
                _("The new password must not be one of the last %(count)d passwords used.")
                % {"count": password_policy.reuse_count(user)},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be one of your recent passwords.")
