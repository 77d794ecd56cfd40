"""yanzhen create-token USERNAME: print a new API token for `Authorization: Bearer <token>`."""

from django.core.management.base import BaseCommand, CommandError

from yanzhen.accounts.models import User
from yanzhen.accounts.services import issue_token


class Command(BaseCommand):
    help = "Create an API token for a user and print it (it is shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在或已停用")
        self.stdout.write(issue_token(user=user, name=name))
