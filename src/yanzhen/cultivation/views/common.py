"""What the cultivation pages share: the form page, the checks, the overview and the county's rules."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yanzhen.accounts.roles import Role
from yanzhen.core import versioning
from yanzhen.core.forms import add_service_errors, run_service
from yanzhen.core.guards import today
from yanzhen.cultivation import selectors, services
from yanzhen.cultivation.forms import EndForm, RulesForm
from yanzhen.cultivation.models import CultivationRules
from yanzhen.divisions.models import Division

RULE_FIELDS = [
    "yearly_minimum_hours",
    "mentee_cap",
    "secondment_minimum_months",
    "secondment_maximum_months",
    "concentrated_minimum_days",
    "concentrated_maximum_days",
    "practice_minimum_months",
    "practice_maximum_months",
]


def require_manager(user, division_code: str) -> None:
    """The record is visible (else the caller's selector answered 404); may this user change it?"""
    if not selectors.can_manage(user, division_code):
        raise PermissionDenied


def form_page(
    request, form, *, title: str, cancel: str, intro: str = "", breadcrumb=None, extra=None, confirm: str = ""
):
    """The one form page of 育; `confirm` is the question asked before an irreversible save."""
    context = {
        "form": form,
        "title": title,
        "cancel": cancel,
        "intro": intro,
        "breadcrumb": breadcrumb or [],
        "confirm": confirm,
    }
    context.update(extra or {})
    return render(request, "cultivation/form.html", context, status=400 if form.errors else 200)


def submit(request, form, call, *, to, **page):
    """The form flow of 育: on a valid POST call the service (its refusal goes on the form) and redirect with
    "Saved." to `to` (a URL name and its arguments, or a function of what the service returned that gives
    them); else the form page (the keywords of `form_page`)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call()
        except ValidationError as invalid:
            add_service_errors(form, invalid)
        else:
            return saved(request, *(to(result) if callable(to) else to))
    return form_page(request, form, **page)


def end_page(request, end, *, to, title: str, cancel: str, confirm: str):
    """The page that ends a record (a mentorship, a practice post) on a day, today unless the user picks
    another, after the question `confirm`: `end` is the service, called with the day and the note (`submit`)."""
    form = EndForm(request.POST or None, initial={"end": today()})
    return submit(
        request, form, lambda: end(**form.cleaned_data), to=to, title=title, cancel=cancel, confirm=confirm
    )


def run(form, call) -> bool:
    """Call the service; on bad input put its Chinese messages on the form and answer False."""
    return run_service(form, call)


def saved(request, to: str, *args):
    messages.success(request, _("Saved."))
    return redirect(to, *args)


def date_param(request, name: str = "on") -> date:
    raw = request.GET.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else today()
    except ValueError:
        return today()


@require_GET
def index(request):
    context = selectors.dashboard(request.user, date_param(request))
    context["is_admin"] = request.user.has_role(Role.ADMIN)
    return render(request, "cultivation/index.html", context)


@require_http_methods(["GET", "POST"])
def rules(request):
    """The county administrator sets the cultivation rules of his county."""
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    code = selectors.user_county(request.user)
    county = Division.objects.filter(code=code).first() if code else None
    if county is None:
        raise Http404
    current = services.rules_for(county)
    form = RulesForm(request.POST or None, initial={name: getattr(current, name) for name in RULE_FIELDS})
    versioning.track(form, current)

    def call():
        with versioning.saving(form, CultivationRules, county_id=county.code):
            services.save_rules(actor=request.user, county=county, **form.cleaned_data)

    return submit(
        request,
        form,
        call,
        to=("cultivation:rules",),
        title=_("Cultivation rules of %(county)s") % {"county": county.name},
        cancel="cultivation:index",
        intro=_("The defaults apply until the county sets its own rules."),
    )
