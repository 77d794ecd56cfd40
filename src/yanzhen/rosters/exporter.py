"""The roster template and the roster export, both in the canonical layout the importer reads first.

The export lists the in-pool reserves (在库后备) of a division inside the user's jurisdiction. It is meant
to go back in: with the permission `people.view_full_personal_data` it carries full ID numbers and phones
(the export is audited as such), and re-importing it changes nothing. Without the permission the numbers
are masked, and such a file cannot be imported again (the importer refuses masked numbers).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yanzhen.candidacies.models import Candidacy, CandidacyState
from yanzhen.core import audit, xlsx
from yanzhen.core.exports_xlsx import workbook_bytes
from yanzhen.core.guards import today
from yanzhen.core.models import AuditAction
from yanzhen.divisions.models import Division
from yanzhen.people.codes import ETHNICITY_NAMES, Degree, Education, EducationKind, PoliticalStatus
from yanzhen.people.lrmx import best_education
from yanzhen.people.models import Source
from yanzhen.people.services import can_view_full_personal_data
from yanzhen.posts.models import PostType, Term
from yanzhen.rosters.columns import CANONICAL_HEADERS, split_list
from yanzhen.rosters.report import text_cell

HEADERS = list(CANONICAL_HEADERS.values())
FIELDS = list(CANONICAL_HEADERS)
TEMPLATE_ROWS = 1000
WIDTHS = {
    "name": 10,
    "id_number": 21,
    "school": 20,
    "target_posts": 22,
    "skills": 16,
    "notes": 24,
    "phone": 14,
}


def _column(field_name: str) -> str:
    return get_column_letter(FIELDS.index(field_name) + 1)


def build_template() -> bytes:
    """The empty roster: a title, the canonical header, and drop-down lists for the coded columns."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    xlsx.append(sheet, ["村级后备力量花名册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    xlsx.append(sheet, HEADERS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for index, field_name in enumerate(FIELDS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(field_name, 11)
    # ID numbers, phones and dates typed as text: Excel would round an 18-digit number.
    for field_name in ("id_number", "phone", "birth", "party_join_date", "entered_pool_on"):
        letter = _column(field_name)
        for row in range(3, TEMPLATE_ROWS + 3):
            sheet[f"{letter}{row}"].number_format = "@"
    lists = workbook.create_sheet("代码表")
    lists.sheet_state = "hidden"
    choices = {
        "gender": ["男", "女"],
        "ethnicity": list(ETHNICITY_NAMES),
        "political_status": [str(label) for label in PoliticalStatus.labels],
        "education": [
            str(label) for code, label in Education.choices if not code.endswith("0") or code == "90"
        ],
        "degree": [str(label) for label in Degree.labels],
        "source": list(Source.objects.values_list("name", flat=True)),
        "target_posts": list(PostType.objects.values_list("name", flat=True)),
    }
    for index, (field_name, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        lists[f"{letter}1"] = CANONICAL_HEADERS[field_name]
        for offset, value in enumerate(values, start=2):
            lists[f"{letter}{offset}"] = value
        validation = DataValidation(
            type="list",
            formula1=f"'代码表'!${letter}$2:${letter}${max(len(values), 1) + 1}",
            allow_blank=True,
        )
        if field_name == "target_posts":
            # Several posts go in one cell, separated by 、: offer the list, accept what is typed.
            validation.showErrorMessage = False
            validation.prompt = "可填多个岗位，用“、”分隔"
            validation.showInputMessage = True
        else:
            validation.showErrorMessage = True
            validation.error = "请从下拉列表中选择"
        column = _column(field_name)
        validation.add(f"{column}3:{column}{TEMPLATE_ROWS + 2}")
        sheet.add_data_validation(validation)
    return workbook_bytes(workbook)


def in_pool_candidacies(actor, division: Division):
    """The in-pool candidacies of a division inside the actor's jurisdiction, in roster order."""
    return (
        Candidacy.objects.restrict(actor)
        .filter(state=CandidacyState.IN_POOL, village__code__startswith=division.code)
        .select_related("person", "person__source", "village", "village__parent")
        .prefetch_related("targets__post_type", "person__skills", "person__educations")
        .order_by("village_id", "person__name", "id")
    )


def _current_posts(person_ids: list[int], on: date) -> dict[int, str]:
    held: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(person_ids), 500):
        for term in (
            Term.objects.current(on)
            .filter(person_id__in=person_ids[start : start + 500])
            .select_related("seat__village", "seat__post_type")
        ):
            held[term.person_id].append(f"{term.seat.village.name}{term.seat.post_type.name}")
    return {person_id: "、".join(posts) for person_id, posts in held.items()}


def _education_of(person):
    records = list(person.educations.all())
    best = None
    for kind in (EducationKind.FULL_TIME, EducationKind.IN_SERVICE):
        candidate = best_education(records, kind)
        if candidate is not None and candidate.education == person.highest_education:
            best = candidate
            break
    if best is None:
        return "", "", ""
    label = best.get_education_display()
    if best.kind == EducationKind.IN_SERVICE:
        label += "（在职）"
    return label, best.school, best.major


def roster_rows(candidacies, *, full: bool, on: date):
    candidacies = list(candidacies)
    posts = _current_posts(sorted({c.person_id for c in candidacies}), on)
    for sequence, candidacy in enumerate(candidacies, start=1):
        person, village = candidacy.person, candidacy.village
        education, school, major = _education_of(person)
        skills = [skill.name for skill in person.skills.all()] + split_list(person.skills_text)
        values = {
            "sequence": sequence,
            "name": person.name,
            "gender": person.get_gender_display(),
            "ethnicity": person.get_ethnicity_display(),
            "birth": f"{person.birth_date:%Y.%m}",
            "native_place": person.native_place,
            "id_number": person.reveal_id_number() if full else person.id_number_masked,
            "political_status": person.get_political_status_display(),
            "party_join_date": f"{person.party_join_date:%Y-%m-%d}" if person.party_join_date else "",
            "education": education,
            "degree": person.get_degree_display() if person.degree != Degree.NONE else "",
            "school": school,
            "major": major,
            "township": village.parent.name if village.parent else "",
            "village": village.name,
            "current_post": posts.get(person.pk, ""),
            "target_posts": "、".join(t.post_type.name for t in candidacy.targets.all() if t.active),
            "source": person.source.name if person.source else "",
            "skills": "、".join(skills),
            "phone": (person.reveal_phone() if full else person.phone_masked),
            "entered_pool_on": f"{candidacy.entered_pool_on:%Y-%m-%d}" if candidacy.entered_pool_on else "",
            "notes": person.notes,
        }
        yield [values[field_name] for field_name in FIELDS]


def export_roster(
    *, actor, division: Division, request=None, on: date | None = None
) -> tuple[bytes, int, bool]:
    """(the xlsx, the number of rows, whether the numbers are full). The caller has checked that the actor
    may export and sees the division."""
    on = on or today()
    full = can_view_full_personal_data(actor)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    for index, field_name in enumerate(FIELDS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(field_name, 11)
    sheet.append([text_cell(sheet, f"{division.name}村级后备力量花名册（{on:%Y-%m-%d} 导出）", bold=True)])
    sheet.append([text_cell(sheet, header, bold=True) for header in HEADERS])
    rows = 0
    for values in roster_rows(in_pool_candidacies(actor, division), full=full, on=on):
        sheet.append([text_cell(sheet, value) for value in values])
        rows += 1
    content = workbook_bytes(workbook)
    audit.record(
        action=AuditAction.EXPORT,
        user=actor,
        request=request,
        object_repr=f"花名册 {division.name}",
        detail={"format": "roster", "division": division.code, "rows": rows, "full_id_number": full},
    )
    return content, rows, full
