"""The election's Excel uploads: a department's joint-review replies and the results of many villages.

Each has a page (GET: the form and the template's download link; POST: the import, then the count written or
every problem, with row and column) and its template. The election must be the user's (404 otherwise: an
outsider, a missing id), then the role (a reader or a village secretary: 403). A county user may narrow the
template to a township (`?township=CODE`); a township clerk's is his own township, and another township
answers 404. The template's download is written to the audit log as an export, a saved import as an import.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.core import audit, guards, xlsx
from yanzhen.core.jurisdiction import code_in_jurisdiction, jurisdiction_prefix
from yanzhen.core.models import AuditAction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.elections import importer
from yanzhen.elections.models import Election, ReviewDepartment
from yanzhen.rosters.reader import max_upload_bytes


def _election(request, pk: int) -> Election:
    """The election, inside the user's county (404), for an editor (403)."""
    election = guards.get_for_view(Election.objects.select_related("county"), request.user, pk=pk)
    guards.require_editor(request.user)
    return election


def _townships(request, election: Election) -> list[Division]:
    """The townships of the election's county the user may choose (a clerk: his own)."""
    prefix = jurisdiction_prefix(request.user) or ""
    found = Division.objects.filter(level=Level.TOWNSHIP, code__startswith=election.county_id).order_by(
        "code"
    )
    if len(prefix) > len(election.county_id):
        found = found.filter(code__startswith=prefix[: len(election.county_id) + 3])
    return list(found)


def _township(request, election: Election) -> Division | None:
    """The township asked for (404 outside the county or the user's jurisdiction); a clerk's own by default."""
    code = (request.GET.get("township") or "").strip()
    if not code:
        prefix = jurisdiction_prefix(request.user) or ""
        if len(prefix) != len(election.county_id) + 3:
            return None
        code = prefix
    township = Division.objects.filter(code=code, level=Level.TOWNSHIP).first()
    if (
        township is None
        or not code.startswith(election.county_id)
        or not code_in_jurisdiction(request.user, code)
    ):
        raise Http404
    return township


def _audit(request, action: AuditAction, kind: str, election: Election, place: str, **detail) -> None:
    key = "export" if action == AuditAction.EXPORT else "import"
    audit.record(
        action=action,
        user=request.user,
        request=request,
        object_repr=f"{election} {place}",
        division_code=election.county_id,
        detail={key: kind, "election": election.pk, **detail},
    )


def _uploaded(request) -> tuple[bytes | None, str, list[str]]:
    """The uploaded file's content and name, or the reason it is not read."""
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return None, "", ["请选择要导入的 .xlsx 文件"]
    if uploaded.size > max_upload_bytes():
        return None, "", [f"文件超过 {max_upload_bytes() // (1024 * 1024)} MB，请拆分后分批导入"]
    return uploaded.read(), uploaded.name or "", []


def _page(request, template: str, election: Election, **context):
    township = context.pop("township", None)
    return render(
        request,
        template,
        {
            "election": election,
            "townships": _townships(request, election),
            "township": township,
            "max_mb": max_upload_bytes() // (1024 * 1024),
            **context,
        },
        status=422 if context.get("problems") else 200,
    )


# -- the department's replies ------------------------------------------------------------------------------


@login_required
@require_GET
def replies_template(request, pk: int):
    election = _election(request, pk)
    township = _township(request, election)
    department = None
    if request.GET.get("department", "").strip().isdigit():
        department = ReviewDepartment.objects.filter(pk=int(request.GET["department"])).first()
    candidates = list(importer.reviewable_candidates(request.user, election, township))
    place = importer.place_name(township, election)
    _audit(
        request,
        AuditAction.EXPORT,
        "election_replies_template",
        election,
        place,
        division=township.code if township else election.county_id,
        rows=len(candidates),
    )
    return xlsx.download(
        importer.build_replies_template(election, place, candidates, department),
        f"资格联审意见_{place}_第{election.number}届.xlsx",
        f"election_replies_{election.pk}_{township.code if township else election.county_id}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def replies_upload(request, pk: int):
    election = _election(request, pk)
    township = _township(request, election)
    departments = list(ReviewDepartment.objects.all())
    chosen = (request.POST.get("department") or request.GET.get("department") or "").strip()
    problems: list[str] = []
    if request.method == "POST":
        department = next((d for d in departments if str(d.pk) == chosen), None)
        content, name, problems = _uploaded(request)
        if department is None:
            problems.insert(0, "请选择联审部门")
        if not problems:
            assert department is not None and content is not None
            outcome = importer.run_import(
                importer.import_replies,
                actor=request.user,
                election=election,
                department=department,
                content=content,
                file_name=name,
            )
            problems = outcome.messages
            if not problems:
                _audit(
                    request,
                    AuditAction.IMPORT,
                    "election_replies",
                    election,
                    department.name,
                    department=department.name,
                    rows=outcome.saved,
                    file=name[:200],
                )
                messages.success(
                    request,
                    _("Joint review replies of %(department)s imported: %(count)d.")
                    % {"department": department.name, "count": outcome.saved},
                )
                return redirect(
                    _back("elections:upload-replies", election, township, department=department.pk)
                )
    return _page(
        request,
        "elections/upload_replies.html",
        election,
        township=township,
        departments=departments,
        chosen=chosen,
        problems=problems,
        query=_query(township, department=chosen),
    )


# -- the results ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def results_template(request, pk: int):
    election = _election(request, pk)
    township = _township(request, election)
    seats = list(importer.open_seats(request.user, election, township))
    candidates = list(importer.template_candidates(request.user, election, seats))
    place = importer.place_name(township, election)
    _audit(
        request,
        AuditAction.EXPORT,
        "election_results_template",
        election,
        place,
        division=township.code if township else election.county_id,
        rows=len(seats),
    )
    return xlsx.download(
        importer.build_results_template(election, place, seats, candidates),
        f"选举结果_{place}_第{election.number}届.xlsx",
        f"election_results_{election.pk}_{township.code if township else election.county_id}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def results_upload(request, pk: int):
    election = _election(request, pk)
    township = _township(request, election)
    problems: list[str] = []
    if request.method == "POST":
        content, name, problems = _uploaded(request)
        if not problems:
            assert content is not None
            outcome = importer.run_import(
                importer.import_results,
                actor=request.user,
                election=election,
                content=content,
                file_name=name,
            )
            problems = outcome.messages
            if not problems:
                _audit(
                    request,
                    AuditAction.IMPORT,
                    "election_results",
                    election,
                    importer.place_name(township, election),
                    rows=outcome.saved,
                    file=name[:200],
                )
                messages.success(
                    request, _("Election results imported: %(count)d seats.") % {"count": outcome.saved}
                )
                return redirect(_back("elections:upload-results", election, township))
    return _page(
        request,
        "elections/upload_results.html",
        election,
        township=township,
        problems=problems,
        query=_query(township),
    )


def _query(township: Division | None, **extra) -> str:
    values = {"township": township.code} if township is not None else {}
    values.update({key: value for key, value in extra.items() if value})
    return urlencode(values)


def _back(name: str, election: Election, township: Division | None, **extra) -> str:
    query = _query(township, **extra)
    return reverse(name, args=[election.pk]) + (f"?{query}" if query else "")
