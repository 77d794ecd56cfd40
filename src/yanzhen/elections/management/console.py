"""What the two election import commands share: the user, the election, the file, the outcome."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.http import Http404

from yanzhen.accounts.models import User
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
