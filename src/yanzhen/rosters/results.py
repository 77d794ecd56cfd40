"""What a roster import reports (花名册导入结果): each row's outcome (`Outcome`, `RowResult`), each problem
with its sheet, row, column and Chinese reason (`Problem`), and the whole (`ImportResult`: counts, summary
lines and problem texts for the console, the preview and the report workbook). Plain data: the importer
fills it, the views keep it in the staged upload as JSON, nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yanzhen.rosters.models import ImportRun


class Outcome:
    NEW = "新建"
    UPDATED = "更新"
    UNCHANGED = "无变化"
    ERROR = "有错误"
    IGNORED = "已忽略"


@dataclass
class Problem:
    """One error: where (sheet, row, column as the sheet names it) and why, in Chinese."""

    sheet: str
    row: int | None
    column: str
    message: str

    def text(self, name_sheet: bool = False) -> str:
        if self.row is None:
            return self.message
        where = f"工作表“{self.sheet}”第 {self.row} 行" if name_sheet else f"第 {self.row} 行"
        return f"{where}【{self.column or '—'}】{self.message}"


@dataclass
class RowResult:
    sheet: str
    row: int
    name: str
    id_masked: str
    village: str
    outcome: str
    detail: str = ""


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    division_code: str
    division_name: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    persons_created: int = 0
    persons_updated: int = 0
    candidacies_created: int = 0
    candidacies_updated: int = 0
    unchanged: int = 0
    run: ImportRun | None = None
    sheet_count: int = 1

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def data_rows(self) -> int:
        return sum(1 for row in self.rows if row.outcome != Outcome.IGNORED)

    @property
    def name_sheets(self) -> bool:
        return self.sheet_count > 1

    def problem_texts(self) -> list[str]:
        return [problem.text(self.name_sheets) for problem in self.problems]

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.data_rows,
            "persons_created": self.persons_created,
            "persons_updated": self.persons_updated,
            "candidacies_created": self.candidacies_created,
            "candidacies_updated": self.candidacies_updated,
            "unchanged": self.unchanged,
        }

    def summary_lines(self) -> list[str]:
        head = f"花名册 {self.file_name}（SHA-256 {self.sha256[:12]}）导入{self.division_name}：数据 {self.data_rows} 行"
        counts = (
            f"新建人员 {self.persons_created}，更新人员 {self.persons_updated}，"
            f"新建在库后备 {self.candidacies_created}，更新在库后备 {self.candidacies_updated}，无变化 {self.unchanged}"
        )
        if not self.ok:
            return [
                head,
                f"导入失败，未写入任何数据：共 {len(self.problems)} 处错误",
                *self.problem_texts(),
            ]
        if self.dry_run:
            return [head, "试运行（--dry-run），未写入任何数据；若正式导入将会：", counts]
        return [head, "导入成功：" + counts]
