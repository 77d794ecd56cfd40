"""The person list (人员名单): search, filters, pagination, and the same selection as an xlsx export.

Both pages read through `people.selectors.search_people` with the same form, so the list and the export
hold the same people: those inside the user's jurisdiction that match the filters. Numbers appear masked
only. The filter form is a plain Django form: every filter is a computed one (age bands from birth-date
ranges, education bands, code prefixes, any-of skills, the search box), so django-filter's per-field
lookups would have been overridden one by one.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from yanzhen.core import guards, xlsx
from yanzhen.core.ids import IdsField
from yanzhen.core.listing import ListSpec, selected_ids
from yanzhen.core.text import NormalisedFormField
from yanzhen.core.views_kit import export_response
from yanzhen.core.xlsx import XLSX, content_disposition  # noqa: F401 (imported from here by other apps)
from yanzhen.divisions.place_filter import JurisdictionPlaceMixin, place_filter
from yanzhen.people import selectors
from yanzhen.people.codes import Education, EducationBand, Ethnicity, Gender, PoliticalStatus
from yanzhen.people.models import Skill, Source

# The exported sheet is an administrative document in Chinese whatever the interface language.
EXPORT_HEADER = [
    "姓名",
    "性别",
    "年龄",
    "民族",
    "政治面貌",
    "最高学历",
    "来源",
    "乡镇（街道）",
    "居住村",
    "身份证号（脱敏）",
    "手机号码（脱敏）",
    "特长",
]


def can_export_people(user) -> bool:
    """Exports leave the system: the roles that manage people may take one (the county organisation
    department and the township clerks); the auditor and the village secretary only look."""
    return user.can_edit


ALL = _("All")


def _with_empty(choices):
    return [("", ALL), *choices]


def _options_html(choices, selected: set[str]):
    """<option>s built in Python: a county lists 120 villages, and a template loop per option is slow."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, mark_safe(" selected") if key in selected else "", label) for key, label in choices),
    )


class PersonFilterForm(JurisdictionPlaceMixin, forms.Form):
    """The search box and the filters of the list and the export (query parameters, all optional)."""

    q = NormalisedFormField(label=_("Search"), max_length=50, required=False)
    age_band = forms.ChoiceField(
        label=_("Age"), choices=_with_empty(selectors.AgeBand.choices), required=False
    )
    education_band = forms.ChoiceField(
        label=_("Education"), choices=_with_empty(EducationBand.choices), required=False
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=_with_empty(Gender.choices), required=False)
    political_status = forms.ChoiceField(
        label=_("Political status"), choices=_with_empty(PoliticalStatus.choices), required=False
    )
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=Source.objects.all(), required=False, empty_label=ALL
    )
    skills = IdsField(
        label=_("Skills (any of)"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def controls(self) -> list[dict]:
        """The filter controls for the template, which draws them with plain loops: Django's widget
        templates render a template per option. The township and village come from `place()`."""
        controls = []
        for name in ("age_band", "education_band", "gender", "political_status", "source"):
            bound = self[name]
            value = str(bound.value() or "")
            choices = [(str(key), label) for key, label in cast(Any, self.fields[name]).choices]
            controls.append(
                {
                    "name": name,
                    "id": bound.auto_id,
                    "label": bound.label,
                    "value": value,
                    "errors": bound.errors,
                    "options": _options_html(choices, {value}),
                }
            )
        return controls

    def place(self) -> dict:
        """The 乡镇 → 村 filter shared by every list (`divisions.place_filter`)."""
        return place_filter(self.user, self.data, errors={n: self[n].errors for n in ("township", "village")})

    def skill_options(self) -> list[tuple[str, str, bool]]:
        chosen = set(cast(QueryDict, self.data).getlist("skills")) if self.is_bound else set()
        return [(str(skill.pk), skill.name, str(skill.pk) in chosen) for skill in Skill.objects.all()]

    def filters(self) -> dict:
        """The cleaned values as `selectors.search_people` keywords (only the valid ones)."""
        data = getattr(self, "cleaned_data", {})
        filters = {
            name: data[name]
            for name in (
                "q",
                "age_band",
                "education_band",
                "gender",
                "political_status",
                "township",
                "village",
            )
            if data.get(name)
        }
        if data.get("source"):
            filters["source"] = data["source"].pk
        if data.get("skills"):
            filters["skills"] = [skill.pk for skill in data["skills"]]
        return filters

    def describe(self) -> dict:
        """The filters for the audit log, by name where a name reads better than an id."""
        data = getattr(self, "cleaned_data", {})
        described = {key: value for key, value in self.filters().items() if key not in ("source", "skills")}
        if data.get("source"):
            described["source"] = data["source"].name
        if data.get("skills"):
            described["skills"] = [skill.name for skill in data["skills"]]
        return described


URL_PLACEHOLDER = "2147483647"  # reverse() once per page, then one replace per row


# Labels by code, looked up once: Model.get_FOO_display() rebuilds its choices dict on every call, which
# for fifty rows of four code lists was a fifth of the page's time.
LABELS = {
    "gender": dict(Gender.choices),
    "ethnicity": dict(Ethnicity.choices),
    "political_status": dict(PoliticalStatus.choices),
    "highest_education": dict(Education.choices),
}


def list_row(person, on: date, archive_url: str = "") -> dict:
    village = person.village
    return {
        "pk": person.pk,
        "url": archive_url.replace(URL_PLACEHOLDER, str(person.pk)),
        "name": person.name,
        "gender": LABELS["gender"].get(person.gender, ""),
        "age": person.age(on),
        "ethnicity": LABELS["ethnicity"].get(person.ethnicity, ""),
        "political_status": LABELS["political_status"].get(person.political_status, ""),
        "highest_education": LABELS["highest_education"].get(person.highest_education, ""),
        "source": person.source.name if person.source else "",
        "township": village.parent.name if village.parent else "",
        "village": village.name,
        "id_number_masked": person.id_number_masked,
        "phone_masked": person.phone_masked,
        "skills": "",
    }


# The sortable columns (whitelist) and their order_by terms. Names sort by pinyin, as a clerk reads them;
# age ascending is the youngest first; the village sorts by code, that is township by township.
PEOPLE_LIST = ListSpec(
    sorts={
        "name": ("name_pinyin", "name"),
        "gender": ("gender",),
        "age": ("-birth_date",),
        "ethnicity": ("ethnicity",),
        "political_status": ("political_status",),
        "highest_education": ("highest_education",),
        "source": ("source__name",),
        "village": ("village_id", "name_pinyin"),
    },
    default_sort="village",
)


@require_GET
def person_list(request):
    form = PersonFilterForm(request.user, request.GET or None)
    if form.is_bound:
        form.is_valid()  # the valid filters apply; the wrong ones are shown with their errors
    # The page is counted and cut on the ids alone (the list index, no joins), then its people are fetched:
    # three queries whatever the page size.
    ids = selectors.search_people(request.user, **form.filters()).values_list("pk", flat=True)
    listing = PEOPLE_LIST.page(request, ids)
    today = guards.today()
    archive_url = reverse("people:archive", args=[URL_PLACEHOLDER])
    listing.page.object_list = selectors.people_in_order(listing.page.object_list)
    listing.rows = [list_row(person, today, archive_url) for person in listing.page.object_list]
    can_export = can_export_people(request.user)
    bulk_actions = []
    if can_export:
        bulk_actions = [
            {"url": reverse("people:export"), "label": _("Export selected"), "css": "btn-outline-success"},
            {"url": reverse("cultivation:enrol-selected"), "label": _("Add to a training…")},
        ]
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "listing": listing,
            "page": listing.page,
            "can_export": can_export,
            "bulk_actions": bulk_actions,
        },
    )


def _text_cell(sheet, value):
    """A cell Excel shows as text, whatever it begins with (core.xlsx: no formula injection)."""
    return xlsx.cell(sheet, value)


EXPORT_COLUMNS = [
    "name",
    "gender",
    "age",
    "ethnicity",
    "political_status",
    "highest_education",
    "source",
    "township",
    "village",
    "id_number_masked",
    "phone_masked",
    "skills",
]


def export_rows(people, on: date):
    for person in people:
        row = list_row(person, on)
        row["skills"] = "、".join(skill.name for skill in person.skills.all())
        yield [row[column] for column in EXPORT_COLUMNS]


@require_GET
def export(request):
    if not can_export_people(request.user):
        raise PermissionDenied
    form = PersonFilterForm(request.user, request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("筛选条件有误，未导出", content_type="text/plain; charset=utf-8")
    today = guards.today()
    people = selectors.person_list(request.user, **form.filters()).prefetch_related("skills")
    chosen = selected_ids(request)
    if chosen:
        # Only the ticked rows, still inside the jurisdiction and the filters: another id selects nothing.
        people = people.filter(pk__in=chosen)
    people = PEOPLE_LIST.order(request, people)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人员名单")
    xlsx.append(sheet, EXPORT_HEADER)
    rows = 0
    for row in export_rows(people.iterator(chunk_size=2000), today):
        sheet.append([_text_cell(sheet, value) for value in row])
        rows += 1
    return export_response(
        request,
        workbook,
        title="人员名单",
        detail={"rows": rows, "filters": form.describe(), **({"selected": len(chosen)} if chosen else {})},
        filename=f"人员名单_{today:%Y-%m-%d}.xlsx",
        fallback=f"people_{today:%Y-%m-%d}.xlsx",
    )
