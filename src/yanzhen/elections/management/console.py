"""What the two election import commands share: the user, the election, the file, the outcome."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from yanzhen.accounts.models import User
from yanzhen.core.guards import require_editor, visible
from yanzhen.elections.importer import ImportOutcome, run_import
from yanzhen.elections.models import Election


def actor_of(username: str) -> User:
    """The user the import runs as (his jurisdiction and role apply). The election's services check a real
    user's jurisdiction and role, so the console names one (the county's organisation department)."""
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"找不到有效用户：{username}")
    return actor


def election_of(pk: int) -> Election:
    election = Election.objects.select_related("county").filter(pk=pk).first()
    if election is None:
        raise CommandError(f"找不到换届 {pk}")
    return election


def content_of(file: str) -> tuple[bytes, str]:
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"找不到文件：{file}")
    return path.read_bytes(), path.name


def run(importer, *, username: str, election: Election, what: str, **arguments) -> ImportOutcome:
    """Run the import as the user; every problem on stderr through CommandError (exit status 1)."""
    try:
        outcome = run_import(importer, election=election, **arguments)
    except Http404:
        raise CommandError(f"{election}不在用户 {username} 的辖区内，拒绝导入") from None
    except PermissionDenied:
        raise CommandError(f"用户 {username} 的角色不能导入{what}") from None
    if outcome.problems:
        raise CommandError("未导入任何内容：\n" + "\n".join(outcome.messages))
    return outcome


class ImportCommand(BaseCommand):
    """An election import command: FILE --election ID [its own options] --user USERNAME, all or nothing."""

    what = ""  # what is imported, in the messages

    def add_arguments(self, parser):
        parser.add_argument("file", help="the filled template, an .xlsx file")
        parser.add_argument("--election", type=int, required=True, help="the election's id")
        self.add_own_arguments(parser)
        parser.add_argument(
            "--user", required=True, help="import as this user (his jurisdiction and role apply)"
        )

    def add_own_arguments(self, parser) -> None:
        """The command's own options, between --election and --user."""

    def own_arguments(self, options: dict) -> dict:
        """The importer's own arguments from the command's options (a CommandError when one is wrong)."""
        return {}

    def importer(self, **arguments) -> ImportOutcome:
        raise NotImplementedError

    def done(self, election: Election, outcome: ImportOutcome, **arguments) -> str:
        raise NotImplementedError

    def handle(self, *args, file: str, election: int, user: str, **options):
        actor = actor_of(user)
        target = election_of(election)
        own = self.own_arguments(options)
        content, name = content_of(file)
        try:
            target = visible(actor, target)
            require_editor(actor)
        except Http404:
            raise CommandError(f"{target}不在用户 {user} 的辖区内，拒绝导入") from None
        except PermissionDenied:
            raise CommandError(f"用户 {user} 的角色不能导入{self.what}") from None
        own.update(actor=actor, content=content, file_name=name)
        outcome = run(self.importer, username=user, election=target, what=self.what, **own)
        self.stdout.write(self.done(target, outcome, **own))
