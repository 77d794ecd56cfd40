"""The authentication backend: Django's ModelBackend, reading a session's user with his division.

Nearly every page scopes its queries by the user's division (`core.jurisdiction`) and shows it in the
navigation, so it is read in the same query as the user instead of in a second one on every request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from yanzhen.accounts.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("division").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
