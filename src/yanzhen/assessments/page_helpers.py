"""What every page of 管 does first: the reader check (a reserve has only his self-service page), the
division, period and person from the query string (jurisdiction first: 404 outside it), and file downloads."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone

from yanzhen.assessments import rules, selectors
from yanzhen.assessments.periods import Half, Period, half_containing, last_finished_period, parse_period
from yanzhen.core.jurisdiction import get_scoped_or_404
from yanzhen.divisions.models import Division
from yanzhen.people.models import Person


def require_reader(request) -> None:
    if not rules.may_read(request.user):
        raise PermissionDenied


def local_today() -> date:
    return timezone.localdate()


def division_from_query(request) -> Division | None:
    """The division a list is narrowed to: the village or township of the 乡镇 → 村 filter, else `division`."""
    for name in ("village", "township", "division"):
        code = request.GET.get(name, "").strip()
        if code:
            return selectors.scope_division(request.user, code)
    return selectors.scope_division(request.user, "")


def division_code(division: Division | None) -> str:
    return division.code if division is not None else ""


def breadcrumb_of(division: Division | None) -> list[Division]:
    return (division.ancestors() + [division]) if division is not None else []


def period_from_query(request, division: Division | None, *, halves_only: bool = False) -> Period:
    """The period asked for (?period=2024H1, 2024H2 or 2024), else the last one that has ended."""
    asked = parse_period(request.GET.get("period", ""))
    if asked is not None and (not halves_only or not asked.is_year):
        return asked
    kind = rules.settings_for(division_code(division)).period_kind
    return last_finished_period(local_today(), "half_year" if halves_only else kind)


def period_choices(division: Division | None, *, halves_only: bool = False) -> list[Period]:
    """The last eight periods of the county's kind, the current one first."""
    kind = "half_year" if halves_only else rules.settings_for(division_code(division)).period_kind
    today = local_today()
    periods = [Period(today.year, Half.YEAR) if kind == "year" else half_containing(today)]
    while len(periods) < 8:
        periods.append(periods[-1].previous())
    return periods


def person_from_query(request) -> Person:
    try:
        pk = int(request.GET.get("person") or request.POST.get("person") or 0)
    except ValueError:
        raise Http404 from None
    return get_scoped_or_404(Person.objects.select_related("village", "village__parent"), request.user, pk=pk)


def file_response(field_file, content_type: str, title: str):
    if not field_file:
        raise Http404
    extension = field_file.name.rsplit(".", 1)[-1].lower()
    try:
        stored = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        stored, as_attachment=True, filename=f"{title}.{extension}", content_type=content_type
    )


def county_of(user) -> Division | None:
    if not user.division_id or len(user.division_id) < 6:
        return None
    return Division.objects.filter(code=user.division_id[:6]).first()


def require_editor(request) -> None:
    if not request.user.can_edit:
        raise PermissionDenied


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def date_or_none(value) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def errors_by_field(invalid: ValidationError) -> dict[str, str]:
    """A service's errors by field, each field's messages joined."""
    if not hasattr(invalid, "error_dict"):
        return {"__all__": "；".join(invalid.messages)}
    return {field: "；".join(texts) for field, texts in invalid.message_dict.items()}


def other_errors(errors: dict[str, str], shown: list[str]) -> list[str]:
    """The messages of fields the page has no input for, shown above the form."""
    return [message for field, message in errors.items() if field not in shown]
