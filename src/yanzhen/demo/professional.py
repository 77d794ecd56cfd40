"""The demo's 专业化管理的村党组织书记 (issue 18 §4, seed 001): two sitting secretaries of 花马池镇, the first two
villages' by code, held as professionally managed terms (through `posts.services.set_term_kind`, history naming
the demo administrator). 盐池县 keeps the default four assessment dimensions: its figures are the tests'; the
settings page offers the 五强 preset. Idempotent: nothing is done while the township has a professional term."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from yanzhen.posts.models import Term, TermKind

TOWNSHIP = "640323100"  # 花马池镇
HOW_MANY = 2


def build_professional_secretaries(actor=None, today: date | None = None) -> int:
    """Make two sitting secretaries of 花马池镇 professional; the number made."""
    from yanzhen.accounts.models import User
    from yanzhen.demo.people import DEMO_ADMIN
    from yanzhen.posts import services

    in_township = Term.objects.filter(seat__village__code__startswith=TOWNSHIP)
    if in_township.filter(kind=TermKind.PROFESSIONAL).exists():
        return 0
    actor = actor or User.objects.get(username=DEMO_ADMIN)
    terms = list(
        in_township.current(today or timezone.localdate())
        .filter(seat__post_type__code="secretary")
        .select_related("seat__village", "seat__post_type")
        .order_by("seat__village_id", "pk")[:HOW_MANY]
    )
    for term in terms:
        services.set_term_kind(actor=actor, term=term, kind=TermKind.PROFESSIONAL)
    return len(terms)
