"""Password rule of 等保 level 3: at least 3 of 4 character classes (the length rule is Django's own)."""

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
