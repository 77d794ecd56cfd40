"""Snapshots travelling between deployments (issue 20 §3): a file for people (xlsx, the structure table's
layout with who submitted when) and one for machines (JSON with the signature).

The JSON file: `{"format": "yanzhen-snapshot/1", "content": {...}, "signature": {"algorithm": "Ed25519",
"key_id": "...", "value": "<base64>"}}`; the content is what was signed, byte for byte once made canonical
(`signing.canonical`). `import_snapshot` checks, before writing anything: the file's shape, the signature
against the keys this deployment trusts (a changed figure, or a key it does not know, refuses the file), the
importer's role, and that the division is a county inside the importer's jurisdiction.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yanzhen.accounts.roles import Role
from yanzhen.core import xlsx
from yanzhen.core.guards import attribute_to, raise_errors
from yanzhen.core.jurisdiction import code_in_jurisdiction
from yanzhen.divisions.codes import Level
from yanzhen.divisions.models import Division
from yanzhen.reports_up import signing
from yanzhen.reports_up.content import COUNTS, FORMAT, HEADINGS, KIND_TITLES, SHARES, derived
from yanzhen.reports_up.models import CURRENT, Kind, Snapshot, Status

FILE_MAX = 5 * 1024 * 1024
NOT_A_SNAPSHOT = "文件不是有效的报表快照（应为本系统导出的 JSON 文件），未导入"
TAMPERED = "签名校验失败：文件内容在签发后被改动过，或不是由受信任的部署签发的，未导入"


def envelope(snapshot: Snapshot) -> dict:
    """The JSON file of a snapshot: its content and its signature."""
    return {
        "format": FORMAT,
        "content": snapshot.content,
        "signature": signing.Signature(snapshot.key_id, snapshot.signature).as_dict(),
    }


def envelope_bytes(snapshot: Snapshot) -> bytes:
    return json.dumps(envelope(snapshot), ensure_ascii=False, indent=2, sort_keys=True).encode()


def verifies(snapshot: Snapshot) -> bool:
    return signing.verifies(snapshot.content, snapshot.key_id, snapshot.signature)


# --- Import -----------------------------------------------------------------------------------------------


def _parse(data: bytes) -> tuple[dict, dict]:
    """The content and the signature of a file, or a refusal naming the file."""
    if len(data) > FILE_MAX:
        raise_errors({"file": "文件过大（最大 5 MB），未导入"})
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        parsed = None
    if not isinstance(parsed, dict):
        raise_errors({"file": NOT_A_SNAPSHOT})
    content, signature = parsed.get("content"), parsed.get("signature")
    if not (isinstance(content, dict) and isinstance(signature, dict) and content.get("format") == FORMAT):
        raise_errors({"file": NOT_A_SNAPSHOT})
    return content, signature


def _checked(actor, content: dict, signature: dict) -> Division:
    """The county of a verified content inside the importer's jurisdiction, or a refusal."""
    key_id, value = signature.get("key_id"), signature.get("value")
    if not (isinstance(key_id, str) and isinstance(value, str)) or not signing.verifies(
        content, key_id, value
    ):
        raise_errors({"file": TAMPERED})
    code = str(content.get("division", ""))
    name = content.get("division_name", "")
    if not code_in_jurisdiction(actor, code):
        raise_errors({"file": f"文件中的单位“{name}”（{code}）不在您的管辖范围内，未导入"})
    county = Division.objects.filter(code=code, level=Level.COUNTY).first()
    if county is None:
        raise_errors({"file": f"本系统中没有县级单位 {code}，未导入"})
    if content.get("kind") not in Kind.values or not isinstance(content.get("year"), int):
        raise_errors({"file": NOT_A_SNAPSHOT})
    if Snapshot.objects.filter(key_id=key_id, signature=value).exists():
        raise_errors({"file": "这份报表快照已经导入过了"})
    return county  # type: ignore[return-value]


@transaction.atomic
def import_snapshot(*, actor, data: bytes) -> Snapshot:
    """File a snapshot signed elsewhere (or here) as its county's current one of its kind and year; the
    previous current one is superseded. Nothing is written when any check refuses."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise PermissionDenied
    content, signature = _parse(data)
    county = _checked(actor, content, signature)
    previous = (
        Snapshot.objects.filter(
            division=county, kind=content["kind"], year=content["year"], status__in=CURRENT
        )
        .select_for_update()
        .first()
    )
    if previous is not None:
        previous.status = Status.SUPERSEDED
        attribute_to(previous, actor)
        previous.save()
    snapshot = Snapshot(
        division=county,
        kind=content["kind"],
        year=content["year"],
        as_of=date.fromisoformat(str(content.get("as_of"))),
        submitted_by=None,
        submitted_by_name=str(content.get("submitted_by", ""))[:150],
        submitted_on=datetime.fromisoformat(str(content.get("submitted_on"))),
        content=content,
        key_id=signature["key_id"],
        signature=signature["value"],
        supersedes=previous,
        imported=True,
        imported_by=actor,
    )
    attribute_to(snapshot, actor)
    snapshot.save()
    return snapshot


# --- The xlsx for people ----------------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def columns(kind: str) -> list[tuple[str, str]]:
    """(key, heading) of a kind's table: the counts, then the shares computed from them."""
    keys = [*COUNTS[kind], *(name for name, *_rest in SHARES[kind])]
    return [(key, HEADINGS[key]) for key in keys]


def table_workbook(*, title: str, lines: list[str], kind: str, rows: list[tuple[str, dict]]) -> Workbook:
    """A table in the structure table's manner: the title, the header lines (who submitted when), one line
    per unit with its counts and shares, the total last (the caller's last row)."""
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "报表"
    heads = columns(kind)
    width = 1 + len(heads)
    xlsx.harden(sheet.cell(1, 1, title)).font = Font(size=16, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).alignment = CENTRE
    for offset, text in enumerate(lines, start=2):
        xlsx.harden(sheet.cell(offset, 1, text))
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=width)
    top = 2 + len(lines)
    for column, heading in enumerate(["单位", *(text for _key, text in heads)], start=1):
        head = sheet.cell(top, column, heading)
        head.font, head.alignment, head.border = Font(bold=True), CENTRE, BOX
    for index, (unit, counts) in enumerate(rows, start=1):
        values = {**counts, **derived(kind, counts)}
        line: list = [unit, *(values.get(key, "") for key, _heading in heads)]
        for column, value in enumerate(line, start=1):
            cell = xlsx.harden(sheet.cell(top + index, column, value))
            cell.border = BOX
            if index == len(rows):
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    sheet.freeze_panes = f"B{top + 1}"
    return workbook


def snapshot_workbook(snapshot: Snapshot) -> Workbook:
    frozen = snapshot.content
    table = frozen["table"]
    rows = [(row["unit"], row["counts"]) for row in table["rows"]] + [("合计", table["total"])]
    lines = [
        f"填报单位：{frozen['division_name']}　报表：{KIND_TITLES[snapshot.kind]}　年度：{frozen['year']}"
        f"　统计日期：{frozen['as_of']}",
        f"上报人：{frozen['submitted_by']}　上报时间：{frozen['submitted_on']}　签名密钥：{snapshot.key_id}",
    ]
    title = f"{frozen['division_name']}{frozen['year']}年{KIND_TITLES[snapshot.kind]}（上报快照）"
    return table_workbook(title=title, lines=lines, kind=snapshot.kind, rows=rows)
