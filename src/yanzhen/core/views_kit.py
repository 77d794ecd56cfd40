"""Small pieces the pages of every app share: the form of an edit page, a form saved through its service, a
form page (of a village), an xlsx export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from io import BytesIO

from django import forms
from django.contrib import messages
from django.shortcuts import render
from django.utils.translation import gettext as _

from yanzhen.core import audit, versioning, xlsx
from yanzhen.core.forms import run_service
from yanzhen.core.models import AuditAction


def edit_form(request, form_class, record, *, source=None, initial: Callable[[], Mapping] | None = None):
    """The form of an edit page, tracked against `record` for lost updates (`core.versioning`): the posted
    form, else one showing `initial()`, by default each of the form's fields as `source` (else `record`)
    holds it."""
    if request.method == "POST":
        form = form_class(request.POST)
    elif initial is not None:
        form = form_class(initial=initial())
    else:
        values = source if source is not None else record
        form = form_class(initial={name: getattr(values, name) for name in form_class.base_fields})
    versioning.track(form, record)
    return form


def saved(
    request,
    form: forms.Form,
    call: Callable[[], object],
    *,
    within: AbstractContextManager | None = None,
    rename: Mapping[str, str | None] | None = None,
    message: str | None = None,
) -> bool:
    """Whether the request posts a valid form that the service `call` accepted (`core.forms.run_service`), then
    said ("Saved." unless `message` says otherwise). False otherwise: the page shows the form, with the
    service's errors on it when it refused."""
    if request.method != "POST" or not form.is_valid():
        return False
    if not run_service(form, call, within=within, rename=rename):
        return False
    messages.success(request, message or _("Saved."))
    return True


def form_page(request, template: str, form, **context):
    """A page with a form: 400 when the form (if any) was refused."""
    return render(
        request, template, {**context, "form": form}, status=400 if form is not None and form.errors else 200
    )


def village_form_page(request, template: str, village, form, **context):
    """A page of one record of a village with its form (`form_page`), with the village's breadcrumb."""
    return form_page(request, template, form, **context, division=village, breadcrumb=village.ancestors())


def export_response(request, workbook, *, title: str, detail: dict, filename: str, fallback: str):
    """An xlsx export: the workbook written, the export recorded in the audit log (`title`, `detail`) and the
    workbook answered as a download named `filename` (`fallback` in ASCII, `core.xlsx.download`)."""
    buffer = BytesIO()
    workbook.save(buffer)
    audit.record(
        action=AuditAction.EXPORT, user=request.user, request=request, object_repr=title, detail=detail
    )
    return xlsx.download(buffer.getvalue(), filename, fallback)
