"""Import and export pages (导入导出): the roster upload → preview with every row's outcome → confirm, the
import report, the template, the roster export and the .lrmx import. Views parse input and call the
importer, exporter and lrmx_import modules; an upload is only ever seen by the user who made it."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts import reauth
from yanzhen.core import audit, crypto
from yanzhen.core.guards import require_editor, today
from yanzhen.core.models import AuditAction, AuditOutcome
from yanzhen.core.xlsx import XLSX
from yanzhen.people.services import can_view_full_personal_data
from yanzhen.rosters.exporter import build_template, export_roster
from yanzhen.rosters.forms import ExportForm, LrmxImportForm, RosterUploadForm
from yanzhen.rosters.importer import import_roster
from yanzhen.rosters.lrmx_import import LrmxError, import_lrmx
from yanzhen.rosters.models import ImportRun, RosterUpload
from yanzhen.rosters.reader import max_upload_bytes, sha256_of
from yanzhen.rosters.report import build_report
from yanzhen.rosters.results import ImportResult, Problem, RowResult

UPLOAD_LIFETIME = timedelta(days=1)
ROWS_PER_PAGE = 200
ERRORS_SHOWN = 1000


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


# -- the preview kept with an upload --------------------------------------------------------------------------


def to_json(result: ImportResult) -> dict:
    return {
        "file_name": result.file_name,
        "sha256": result.sha256,
        "division_code": result.division_code,
        "division_name": result.division_name,
        "dry_run": result.dry_run,
        "sheet_count": result.sheet_count,
        "counts": {
            name: getattr(result, name)
            for name in (
                "persons_created",
                "persons_updated",
                "candidacies_created",
                "candidacies_updated",
                "unchanged",
            )
        },
        "problems": [[p.sheet, p.row, p.column, p.message] for p in result.problems],
        "rows": [[r.sheet, r.row, r.name, r.id_masked, r.village, r.outcome, r.detail] for r in result.rows],
    }


def from_json(data: dict) -> ImportResult:
    result = ImportResult(
        data["file_name"], data["sha256"], data["division_code"], data["division_name"], data["dry_run"]
    )
    result.sheet_count = data.get("sheet_count", 1)
    for name, value in data.get("counts", {}).items():
        setattr(result, name, value)
    result.problems = [Problem(*values) for values in data.get("problems", [])]
    result.rows = [RowResult(*values) for values in data.get("rows", [])]
    return result


def _content_of(upload: RosterUpload) -> bytes:
    return base64.b64decode(crypto.decrypt(upload.content_encrypted))


# -- pages ----------------------------------------------------------------------------------------------------


def _index_context(request, upload_form=None) -> dict:
    user = request.user
    context = {
        "can_import": user.can_edit,
        "upload_form": upload_form or (RosterUploadForm(user) if user.can_edit else None),
        "export_form": ExportForm(user) if user.can_edit else None,
        "runs": ImportRun.objects.restrict(user).select_related("division", "user")[:20],
        "uploads": [
            (upload, len(upload.preview.get("problems", [])), len(upload.preview.get("rows", [])))
            for upload in RosterUpload.objects.filter(user=user).select_related("division")[:10]
        ],
        "max_mb": max_upload_bytes() // (1024 * 1024),
    }
    context["failed_uploads"] = sum(1 for _upload, problems, _rows in context["uploads"] if problems)
    return context


@require_GET
def index(request):
    return render(request, "rosters/index.html", _index_context(request))


@require_POST
def upload(request):
    require_editor(request.user)
    form = RosterUploadForm(request.user, request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > max_upload_bytes():
            form.add_error("file", f"文件超过 {max_upload_bytes() // (1024 * 1024)} MB，请拆分后分批导入")
    if not form.is_valid():
        return render(request, "rosters/index.html", _index_context(request, form), status=400)
    division = form.cleaned_data["division"]
    content = uploaded.read()
    result = import_roster(
        actor=request.user,
        content=content,
        file_name=uploaded.name,
        division=division,
        dry_run=True,
        request=request,
    )
    whole_file = [problem for problem in result.problems if problem.row is None]
    if whole_file and not result.rows:
        for problem in whole_file:
            form.add_error("file", problem.message)
        return render(request, "rosters/index.html", _index_context(request, form), status=400)
    RosterUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_LIFETIME).delete()
    staged = RosterUpload.objects.create(
        user=request.user,
        division=division,
        file_name=uploaded.name[:255],
        sha256=sha256_of(content),
        size=len(content),
        content_encrypted=crypto.encrypt(base64.b64encode(content).decode("ascii")),
        preview=to_json(result),
    )
    return redirect("rosters:preview", pk=staged.pk)


def _staged(request, pk: int) -> RosterUpload:
    """The user's own upload, else 404 (an upload is nobody else's business, not even his superior's)."""
    return get_object_or_404(RosterUpload.objects.select_related("division"), pk=pk, user=request.user)


@require_GET
def preview(request, pk: int):
    staged = _staged(request, pk)
    result = from_json(staged.preview)
    page = Paginator(result.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "rosters/preview.html",
        {
            "upload": staged,
            "result": result,
            "problems": result.problem_texts()[:ERRORS_SHOWN],
            "more_problems": max(len(result.problems) - ERRORS_SHOWN, 0),
            "page": page,
        },
    )


@require_POST
def confirm(request, pk: int):
    require_editor(request.user)
    staged = _staged(request, pk)
    content = _content_of(staged)
    if request.POST.get("sha256") != staged.sha256 or sha256_of(content) != staged.sha256:
        return HttpResponseBadRequest("文件与预览时不一致，未导入", content_type="text/plain; charset=utf-8")
    # Validated again: the archive may have changed since the preview.
    result = import_roster(
        actor=request.user,
        content=content,
        file_name=staged.file_name,
        division=staged.division,
        request=request,
    )
    if not result.ok:
        staged.preview = to_json(result)
        staged.save(update_fields=["preview"])
        messages.error(request, _("The roster has errors now; nothing was imported."))
        return redirect("rosters:preview", pk=staged.pk)
    staged.delete()
    # The whole summary: the file, how many rows were read, and what was written.
    messages.success(request, " ".join(result.summary_lines()))
    return redirect("rosters:index")


def _discard(request, staged: RosterUpload) -> None:
    """Delete an unconfirmed upload (its encrypted file goes with the row); the audit log keeps what it was."""
    result = from_json(staged.preview)
    audit.record(
        action=AuditAction.IMPORT,
        outcome=AuditOutcome.FAILURE,
        user=request.user,
        request=request,
        object_repr=f"放弃未确认的花名册上传：{staged.file_name}",
        detail={
            "discarded": True,
            "file": staged.file_name,
            "sha256": staged.sha256,
            "division": staged.division_id,
            "rows": len(result.rows),
            "problems": len(result.problems),
            "uploaded_at": staged.created_at.isoformat(),
        },
    )
    staged.delete()


@require_POST
def discard(request, pk: int):
    """放弃 an upload awaiting confirmation (a confirmed one no longer exists: 404)."""
    require_editor(request.user)
    staged = _staged(request, pk)
    with transaction.atomic():
        _discard(request, staged)
    messages.success(request, _("The upload %(file)s was discarded.") % {"file": staged.file_name})
    return redirect("rosters:index")


@require_POST
def discard_failed(request):
    """Discard at once every upload of the user whose check found errors (they can never be imported)."""
    require_editor(request.user)
    failed = [
        staged
        for staged in RosterUpload.objects.filter(user=request.user).select_related("division")
        if staged.preview.get("problems")
    ]
    with transaction.atomic():
        for staged in failed:
            _discard(request, staged)
    messages.success(request, _("Uploads with errors discarded: %(count)d.") % {"count": len(failed)})
    return redirect("rosters:index")


@require_GET
def report(request, pk: int):
    staged = _staged(request, pk)
    result = from_json(staged.preview)
    return _xlsx_response(build_report(result), f"导入报告_{staged.sha256[:12]}.xlsx")


@require_GET
def template(request):
    return _xlsx_response(build_template(), "村级后备力量花名册模板.xlsx")


@require_GET
def export(request):
    require_editor(request.user)
    form = ExportForm(request.user, request.GET or {"division": request.user.division_id or ""})
    if not form.is_valid():
        return HttpResponseBadRequest("区划有误，未导出", content_type="text/plain; charset=utf-8")
    division = form.cleaned_data["division"]
    if can_view_full_personal_data(request.user) and not reauth.is_recent(request):
        # The roster carries full ID numbers and phones for this user: his password first.
        return reauth.ask(request, next_url=request.get_full_path(), download=True)
    content, _rows, _full = export_roster(actor=request.user, division=division, request=request)
    return _xlsx_response(content, f"{division.name}村级后备力量花名册_{today():%Y-%m-%d}.xlsx")


@require_http_methods(["GET", "POST"])
def lrmx(request):
    require_editor(request.user)
    form = LrmxImportForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if not uploaded.name.lower().endswith(".lrmx"):
                raise LrmxError(["只接受 .lrmx 文件"])
            result = import_lrmx(
                actor=request.user,
                content=uploaded.read(),
                file_name=uploaded.name,
                village=form.cleaned_data["village"],
                political_status=form.cleaned_data["political_status"],
                request=request,
            )
        except LrmxError as refused:
            for error in refused.errors:
                form.add_error("file", error)
        except ValidationError as invalid:
            for error in invalid.messages:
                form.add_error("file", error)
        else:
            if result.created:
                messages.success(request, _("Imported: a new archive was created."))
            elif result.changed:
                messages.success(request, _("Imported: the archive was updated."))
            else:
                messages.info(request, _("Nothing to change: the archive already says the same."))
            return redirect("people:archive", pk=result.person.pk)
    return render(request, "rosters/lrmx.html", {"form": form}, status=400 if form.errors else 200)
