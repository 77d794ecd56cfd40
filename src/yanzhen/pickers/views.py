"""The pickers' JSON endpoints. Who may read them is who may read the records: every logged-in user sees
his jurisdiction (a reserve's own login never gets here, `SelfServiceOnlyMiddleware`)."""

from __future__ import annotations

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from yanzhen.pickers import selectors


def _kind(request, allowed: tuple[str, ...]) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in allowed else ""


@require_GET
def people(request):
    options = selectors.people(
        request.user,
        request.GET.get("q", ""),
        kind=_kind(request, selectors.PEOPLE_KINDS),
        within=request.GET.get("within", "")[:12],
    )
    return JsonResponse(options.as_json())


@require_GET
def divisions(request):
    options = selectors.divisions(
        request.user, request.GET.get("q", ""), kind=_kind(request, selectors.DIVISION_KINDS)
    )
    return JsonResponse(options.as_json())


@require_GET
def mentors(request):
    return JsonResponse(selectors.mentors(request.user, request.GET.get("q", "")).as_json())


@require_GET
def prospects(request):
    return JsonResponse(selectors.prospects(request.user, request.GET.get("q", "")).as_json())
