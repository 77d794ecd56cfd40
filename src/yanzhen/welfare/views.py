"""Pages of 待遇保障: the overview, the county's settings (schemes, grade rule, required insurance, allowance
rule), a township's monthly pay sheet and its xlsx, the coverage list of a township, the register of 离任生活
补贴 and its xlsx, and a person's insurance and health checks (reached from the archive).

Order of the checks: the division or record (404 outside the jurisdiction), then the role (403), then the data."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yanzhen.accounts.roles import Role
from yanzhen.assessments.views.common import person_from_query
from yanzhen.core import versioning
from yanzhen.core.bad_input import BadInput
from yanzhen.core.guards import get_for_view, require_editor, today
from yanzhen.core.jurisdiction import jurisdiction_prefix
from yanzhen.core.listing import ListSpec
from yanzhen.core.views_kit import form_page, saved, village_form_page
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.divisions.place_filter import code_of_jurisdiction, townships_for_filter
from yanzhen.posts.models import PostType, TermEndReason
from yanzhen.welfare import allowance, exports, pay, rules, selectors, services
from yanzhen.welfare.forms import AllowanceForm, CheckForm, KindsForm, PerformanceForm, PolicyForm, SchemeForm
from yanzhen.welfare.models import INSURANCE_NAMES, InsuranceKind, InsurancePolicy, PayScheme, PerformanceRule

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# -- what a page is about -----------------------------------------------------------------------------------------


def county_of(request) -> Division:
    """The county of the user's jurisdiction (a county user's own; a township clerk's county)."""
    code = (jurisdiction_prefix(request.user) or "")[:6]
    county = Division.objects.filter(code=code, level=Level.COUNTY).first() if len(code) == 6 else None
    if county is None:
        raise Http404
    return county


def township_from_query(request) -> Division | None:
    """The township asked for (?township=), else the user's own, else the first of his jurisdiction; a
    code outside the jurisdiction or not a township answers 404."""
    code = request.GET.get("township", "").strip()
    if not code:
        root = jurisdiction_prefix(request.user) or ""
        if len(root) >= 9:
            code = root[:9]
        else:
            first = townships_for_filter(request.user)
            return first[0] if first else None
    if not (code.isdigit() and len(code) == 9):
        raise Http404
    return get_for_view(Division.objects.filter(level=Level.TOWNSHIP), request.user, code=code)


def month_from_query(request) -> date:
    raw = request.GET.get("month", "").strip()
    if not raw:
        return today().replace(day=1)
    found = MONTH.match(raw)
    if not found or not 1 <= int(found.group(2)) <= 12 or not 2000 <= int(found.group(1)) <= 2100:
        raise BadInput(f"月份“{raw[:20]}”格式不对，应为 YYYY-MM（2000 至 2100 年）")
    return date(int(found.group(1)), int(found.group(2)), 1)


def _reader(request) -> None:
    rules.require_reader(request.user)


def _page(request, template: str, context: dict):
    """A reading page of the area, its tabs showing the county's settings to the county administrator."""
    return render(request, template, {**context, "may_configure": request.user.has_role(Role.ADMIN)})


# -- overview -----------------------------------------------------------------------------------------------------


@require_GET
def index(request):
    _reader(request)
    township = township_from_query(request)
    return _page(request, "welfare/index.html", {"township": township, "month": today().replace(day=1)})


# -- the county's settings ------------------------------------------------------------------------------------------


def _settings_forms(request, county: Division, action: str | None):
    rule = rules.allowance_rule(county.code)
    current = rules.performance_rule(county.code, today().replace(day=1))
    data = request.POST if request.method == "POST" else None
    month = today().replace(day=1)
    return {
        "scheme": SchemeForm(
            data if action == "scheme" else None, initial={"effective_from": month}, prefix="scheme"
        ),
        "performance": PerformanceForm(
            data if action == "performance" else None,
            initial={
                "effective_from": month,
                "excellent": current.excellent,
                "competent": current.competent,
                "basically_competent": current.basically_competent,
                "incompetent": current.incompetent,
            },
            prefix="performance",
        ),
        "kinds": KindsForm(
            data if action == "kinds" else None,
            initial={"kinds": rules.welfare_settings(county.code).required_kinds},
            prefix="kinds",
        ),
        "allowance": AllowanceForm(
            data if action == "allowance" else None,
            initial={
                "min_age": rule.min_age,
                "post_types": rule.post_types,
                "disqualifying": rule.disqualifying,
                "bands": "\n".join(f"{years} {amount}" for years, amount in rule.band_list),
            },
            prefix="allowance",
        ),
    }


def _save_settings(request, county: Division, action: str, form) -> bool:
    actor = request.user
    calls = {
        "scheme": lambda: services.save_pay_scheme(
            actor=actor, county=county, data=services.SchemeInput(**form.cleaned_data)
        ),
        "performance": lambda: services.save_performance_rule(
            actor=actor,
            county=county,
            effective_from=form.cleaned_data["effective_from"],
            percents={name: form.cleaned_data[name] for name in services.GRADE_LABELS},
        ),
        "kinds": lambda: services.save_required_kinds(
            actor=actor, county=county, kinds=form.cleaned_data["kinds"]
        ),
        "allowance": lambda: services.save_allowance_rule(
            actor=actor, county=county, data=services.AllowanceInput(**form.cleaned_data)
        ),
    }
    return saved(request, form, calls[action])


@require_http_methods(["GET", "POST"])
def settings_page(request):
    county = county_of(request)
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ("scheme", "performance", "kinds", "allowance"):
        raise BadInput("未知的操作")
    forms = _settings_forms(request, county, action)
    if action is not None and _save_settings(request, county, action, forms[action]):
        return redirect("welfare:settings")
    rule = rules.allowance_rule(county.code)
    return form_page(
        request,
        "welfare/settings.html",
        forms[action] if action else None,
        county=county,
        forms=forms,
        schemes=PayScheme.objects.filter(county=county).select_related("post_type"),
        performance_rules=PerformanceRule.objects.filter(county=county),
        required=[
            INSURANCE_NAMES[InsuranceKind(kind)]
            for kind in rules.welfare_settings(county.code).required_kinds
        ],
        allowance_rule=rule,
        may_configure=True,
    )


@require_POST
def scheme_delete(request, pk: int):
    scheme = PayScheme.objects.filter(pk=pk).first()
    if scheme is None:
        raise Http404
    services.delete_pay_scheme(actor=request.user, scheme=scheme)
    messages.success(request, _("Deleted."))
    return redirect("welfare:settings")


# -- the pay sheet ----------------------------------------------------------------------------------------------------


@require_GET
def pay_sheet_page(request):
    township = township_from_query(request)
    _reader(request)
    month = month_from_query(request)
    sheet = pay.pay_sheet(township, month) if township is not None else None
    return _page(
        request,
        "welfare/pay_sheet.html",
        {
            "township": township,
            "townships": townships_for_filter(request.user),
            "month": month,
            "sheet": sheet,
            "rules_text": pay.RULES_TEXT,
            "can_export": request.user.can_edit,
        },
    )


@require_GET
def pay_sheet_export(request):
    township = township_from_query(request)
    if township is None:
        raise Http404
    month = month_from_query(request)
    _reader(request)
    require_editor(request.user)
    return exports.send_pay_sheet(request, pay.pay_sheet(township, month))


# -- coverage ------------------------------------------------------------------------------------------------------


@require_GET
def coverage_page(request):
    township = township_from_query(request)
    _reader(request)
    rows = selectors.coverage(request.user, township) if township is not None else []
    return _page(
        request,
        "welfare/coverage.html",
        {
            "township": township,
            "townships": townships_for_filter(request.user),
            "rows": rows,
            "on": today(),
            "required": rules.welfare_settings(township.code[:6]).required_kinds if township else [],
        },
    )


# -- the register of 离任生活补贴 ---------------------------------------------------------------------------------------

REGISTER = ListSpec(
    sorts={
        "village": lambda row: row.village.code,
        "name": lambda row: row.person.name_pinyin,
        "served": lambda row: row.months,
        "left": lambda row: row.left_on,
        "from": lambda row: row.eligible_from,
        "amount": lambda row: row.amount,
        "status": lambda row: row.status,
    },
    default_sort=None,
)
STATUSES = [("", gettext_lazy("All"))] + list(allowance.STATUS_NAMES.items())


def register_rows(request) -> tuple[Division, str, list[allowance.RegisterRow]]:
    """The register of the user's county under the 乡镇 → 村 filter and the status filter."""
    county = county_of(request)
    under = code_of_jurisdiction(
        request.user, request.GET.get("village", "").strip() or request.GET.get("township", "").strip()
    )
    rows = allowance.register(request.user, county, under=under, on=today())
    status = request.GET.get("status", "").strip()
    if status:
        rows = [row for row in rows if row.status == status]
    return county, under, rows


@require_GET
def register_page(request):
    _reader(request)
    county, under, rows = register_rows(request)
    listing = REGISTER.page(request, rows)
    rule = rules.allowance_rule(county.code)
    return _page(
        request,
        "welfare/register.html",
        {
            "county": county,
            "listing": listing,
            "rule": rule,
            "rule_posts": "、".join(
                PostType.objects.filter(pk__in=allowance.qualifying_post_types(rule)).values_list(
                    "name", flat=True
                )
            ),
            "rule_reasons": "、".join(str(TermEndReason(reason).label) for reason in rule.disqualifying),
            "statuses": STATUSES,
            "status": request.GET.get("status", ""),
            "can_export": request.user.can_edit,
            "monthly_total": sum(
                (row.amount for row in rows if row.status == allowance.Status.ELIGIBLE and row.amount), 0
            ),
            "eligible": sum(1 for row in rows if row.status == allowance.Status.ELIGIBLE),
        },
    )


@require_GET
def register_export(request):
    county, under, rows = register_rows(request)
    _reader(request)
    require_editor(request.user)
    return exports.send_register(request, county, under, REGISTER.order(request, rows))


# -- a person's insurance and health checks -----------------------------------------------------------------------------


def _policy_input(form: PolicyForm) -> services.PolicyInput:
    return services.PolicyInput(**form.cleaned_data)


@require_http_methods(["GET", "POST"])
def policy_create(request):
    person = person_from_query(request)
    require_editor(request.user)
    form = PolicyForm(request.POST or None)
    if saved(
        request,
        form,
        lambda: services.record_policy(actor=request.user, person=person, data=_policy_input(form)),
    ):
        return redirect("people:archive", pk=person.pk)
    return village_form_page(request, "welfare/policy_form.html", person.village, form, person=person)


@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    policy = selectors.get_policy(request.user, pk)
    require_editor(request.user)
    form = PolicyForm(
        request.POST or None, initial={name: getattr(policy, name) for name in PolicyForm.base_fields}
    )
    versioning.track(form, policy)
    if saved(
        request,
        form,
        lambda: services.update_policy(actor=request.user, policy=policy, data=_policy_input(form)),
        within=versioning.saving(form, InsurancePolicy, pk=policy.pk),
    ):
        return redirect("people:archive", pk=policy.person_id)
    return village_form_page(
        request, "welfare/policy_form.html", policy.person.village, form, person=policy.person, record=policy
    )


@require_POST
def policy_delete(request, pk: int):
    policy = selectors.get_policy(request.user, pk)
    services.delete_policy(actor=request.user, policy=policy)
    messages.success(request, _("Deleted."))
    return redirect("people:archive", pk=policy.person_id)


@require_http_methods(["GET", "POST"])
def check_create(request):
    person = person_from_query(request)
    require_editor(request.user)
    form = CheckForm(request.POST or None)
    if saved(
        request, form, lambda: services.record_check(actor=request.user, person=person, **form.cleaned_data)
    ):
        return redirect("people:archive", pk=person.pk)
    return village_form_page(request, "welfare/check_form.html", person.village, form, person=person)


@require_POST
def check_delete(request, pk: int):
    check = selectors.get_check(request.user, pk)
    services.delete_check(actor=request.user, check=check)
    messages.success(request, _("Deleted."))
    return redirect("people:archive", pk=check.person_id)
