"""What a hand-made roster says and how to read it: the header synonyms, and the readers of each kind of
value (text, dates, gender, codes, posts). Everything here is pure: no database.

Every text goes through `clean`: full-width digits, letters and spaces become half-width (NFKC), traditional
characters become simplified (OpenCC's t2s table, from `opencc-python-reimplemented`), and the leading
apostrophe our own exports put before = + - @ (against formula injection) is taken off again.
Readers raise `ValueProblem` with a Chinese message; the importer adds the row and the column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import opencc

from yanzhen.core.text import normalise
from yanzhen.people.codes import ETHNICITY_NAMES, Degree, Education, EducationKind, Gender, PoliticalStatus


class ValueProblem(ValueError):
    """A cell that cannot be read; the message is Chinese and names the value."""


_converter = opencc.OpenCC("t2s")

# Our exports escape cells that begin with these (a spreadsheet would run them as formulas).
FORMULA_STARTS = ("=", "+", "-", "@")
# What clerks write in an empty cell.
PLACEHOLDERS = frozenset({"-", "—", "——", "/", "无", "暂无", "空"})


@lru_cache(maxsize=20000)
def _to_simplified(text: str) -> str:
    return _converter.convert(text)


# Full-width digits, Latin letters and the ideographic space → half-width; punctuation stays as written.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_HALF_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_HALF_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_HALF_WIDTH[0x3000] = 0x20


def clean(value, *, keep_punctuation: bool = False) -> str:
    """A cell's value as simplified, half-width text without surrounding spaces ("" for None).

    Codes, numbers and names go through NFKC entirely; free text (`keep_punctuation`) only has its
    full-width digits, letters and spaces made half-width, so "婚姻状况：已婚" keeps its colon."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _clean_text(str(value), keep_punctuation)


# A roster repeats most of its texts (性别, 民族, 政治面貌, the villages, the posts ...) on every row, and each
# is cleaned several times (blank? footer? the reader): each distinct text is cleaned once.
@lru_cache(maxsize=50_000)
def _clean_text(text: str, keep_punctuation: bool) -> str:
    # core.text first: zero-width and bidi characters, BOM and control characters go, NFC.
    text = normalise(text, multiline=keep_punctuation)
    if keep_punctuation:
        text = text.translate(_HALF_WIDTH).strip()
    else:
        text = unicodedata.normalize("NFKC", text).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    if not text.isascii():
        text = _to_simplified(text)
    return text


def compact(value) -> str:
    """`clean` without any whitespace inside either: names, codes, ID numbers ("张  三" → "张三")."""
    return "".join(clean(value).split())


def is_blank(text: str) -> bool:
    return not text or text in PLACEHOLDERS


# -- the header ---------------------------------------------------------------------------------------------

# field → the headers that mean it (after `header_key`). Several posts in one cell are separated by 、or ，.
HEADERS: dict[str, tuple[str, ...]] = {
    "sequence": ("序号", "编号", "序"),
    "name": ("姓名", "名字"),
    "gender": ("性别",),
    "ethnicity": ("民族",),
    "birth": ("出生年月", "出生日期", "出生年月日", "出生时间", "出生年份"),
    "age": ("年龄", "周岁"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证"),
    "native_place": ("籍贯",),
    "political_status": ("政治面貌",),
    "party_join_date": ("入党时间", "入党年月", "入党日期"),
    "education": ("学历", "文化程度", "最高学历"),
    "degree": ("学位", "最高学位"),
    "school": ("毕业院校", "毕业院校及专业", "毕业学校", "毕业院校系及专业"),
    "major": ("专业", "所学专业"),
    "township": ("乡镇", "所在乡镇", "镇(乡)", "乡(镇)", "乡镇(街道)", "镇(街道)", "所属乡镇", "乡镇名称"),
    "village": ("村", "所在村", "行政村", "村(社区)", "村名", "所属村", "村(居)", "村名称", "所在村(社区)"),
    "current_post": ("现任职务", "现职务", "现任职位", "现工作单位及职务"),
    "target_posts": ("后备岗位", "拟培养岗位", "培养方向", "拟任职务", "后备职位", "拟培养职务"),
    "source": ("来源", "人员类别", "身份类别", "人员来源"),
    "skills": ("特长", "专业特长", "个人特长"),
    "phone": ("联系电话", "手机号码", "手机号", "联系方式", "手机", "电话"),
    "entered_pool_on": ("入库时间", "入库日期", "纳入时间", "入库年月"),
    "notes": ("备注",),
}
# Columns read for nothing: the number of the line, and the age (it depends on the day; the ID number
# gives the birth date).
IGNORED_FIELDS = frozenset({"sequence", "age"})
# Free text: its punctuation is kept as written (see `clean`).
FREE_TEXT_FIELDS = frozenset({"native_place", "school", "major", "current_post", "skills", "notes"})

# The headers of our template and export, in order.
CANONICAL_HEADERS: dict[str, str] = {
    "sequence": "序号",
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth": "出生年月",
    "native_place": "籍贯",
    "id_number": "身份证号",
    "political_status": "政治面貌",
    "party_join_date": "入党时间",
    "education": "学历",
    "degree": "学位",
    "school": "毕业院校",
    "major": "专业",
    "township": "乡镇",
    "village": "村",
    "current_post": "现任职务",
    "target_posts": "后备岗位",
    "source": "来源",
    "skills": "特长",
    "phone": "联系电话",
    "entered_pool_on": "入库时间",
    "notes": "备注",
}


def header_key(value) -> str:
    """A header cell as compared: no spaces or line breaks, no "*" of a required column."""
    return compact(value).strip("*※")


_HEADER_INDEX = {header_key(text): field for field, texts in HEADERS.items() for text in texts}
_PARENTHESIS = re.compile(r"\([^)]*\)")


def field_of_header(value) -> str | None:
    """The field a header names, or None: "身份证号码（18位）" still means id_number."""
    key = header_key(value)
    if not key:
        return None
    if key in _HEADER_INDEX:
        return _HEADER_INDEX[key]
    bare = _PARENTHESIS.sub("", key)
    return _HEADER_INDEX.get(bare) if bare else None


# -- dates --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterDate:
    """A date as rosters give it: often only a year and a month."""

    year: int
    month: int
    day: int | None = None

    def to_date(self) -> date:
        """The day itself, or the first of the month when the roster gives none."""
        return date(self.year, self.month, self.day or 1)

    def matches(self, other: date) -> bool:
        return (self.year, self.month) == (other.year, other.month) and self.day in (None, other.day)

    def __str__(self) -> str:
        return f"{self.year}.{self.month:02d}" + (f".{self.day:02d}" if self.day else "")


_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_DATE_PARTS = re.compile(
    r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*(?:月)?\s*(?:[.\-/]?\s*(\d{1,2})\s*(?:日|号)?)?\s*$"
)
EXCEL_EPOCH = date(1899, 12, 30)


def _checked(year: int, month: int, day: int | None, shown: str) -> RosterDate:
    if not 1900 <= year <= 2100:
        raise ValueProblem(f"日期“{shown}”的年份不合理")
    if not 1 <= month <= 12:
        raise ValueProblem(f"日期“{shown}”的月份不存在")
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise ValueProblem(f"日期“{shown}”不存在") from None
    return RosterDate(year, month, day)


def read_date(value, number_format: str = "General") -> RosterDate | list[RosterDate]:
    """A roster date from an Excel date, a number (1990.05, 199005, 19900512, an Excel serial) or text
    (1990.05, 1990年5月, 1990-05-12, 1990/5/12, 199005).

    A number like 1990.1 is ambiguous: Excel keeps 1990.10 as 1990.1. Then both readings come back as a
    list, for the caller to choose with what it knows (the ID number) or to refuse."""
    if isinstance(value, date):  # datetime too
        # A date cell formatted without the day ("yyyy.mm", "yyyy年m月") holds a month: Excel stored the 1st.
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format).lower()
        day = value.day if "d" in shown or number_format == "General" else None
        return RosterDate(value.year, value.month, day)
    if isinstance(value, bool):
        raise ValueProblem(f"“{value}”不是日期")
    if isinstance(value, float) and not value.is_integer():
        decimals = number_format.split(".")[-1] if "." in number_format else ""
        if decimals.startswith("00"):
            text = f"{value:.2f}"
        else:
            text = repr(value)
        year_text, month_text = text.split(".", 1)
        if len(month_text) == 1 and month_text == "1" and not decimals.startswith("00"):
            return [_checked(int(year_text), 1, None, text), _checked(int(year_text), 10, None, text)]
        if len(month_text) > 2:
            raise ValueProblem(f"“{text}”不是日期")
        return _checked(int(year_text), int(month_text), None, text)
    if isinstance(value, float | int):
        number = int(value)
        text = str(number)
        if len(text) in (6, 8):
            value = text
        elif 1 <= number <= 80000:
            day = EXCEL_EPOCH + timedelta(days=number)
            return RosterDate(day.year, day.month, day.day)
        else:
            raise ValueProblem(f"“{text}”不是日期")
    text = compact(value)
    text = text.split("T")[0] if re.match(r"^\d{4}-\d{2}-\d{2}T", text) else text
    text = re.sub(r"(\d)0{2}:0{2}(:0{2})?$", r"\1", text)  # "1990-05-12 00:00:00" after compact
    match = _DATE_DIGITS.match(text)
    if match:
        year, month, day = match.groups()
        return _checked(int(year), int(month), int(day) if day else None, text)
    match = _DATE_PARTS.match(text)
    if match:
        year, month, day = match.groups()
        return _checked(int(year), int(month), int(day) if day else None, text)
    if re.fullmatch(r"\d{4}(年)?", text):
        raise ValueProblem(f"日期“{text}”只有年份，请至少写到月（如 {text[:4]}.05）")
    raise ValueProblem(f"“{text}”不是可识别的日期（可写作 1990.05、1990年5月、1990-05-12、199005）")


def read_single_date(value, number_format: str = "General") -> RosterDate:
    """`read_date` where nothing can settle an ambiguity: an ambiguous number is an error."""
    found = read_date(value, number_format)
    if isinstance(found, list):
        raise ValueProblem(
            f"日期“{found[0].year}.1”有歧义：Excel 会把 {found[0].year}.10 存成 {found[0].year}.1，"
            f"请把单元格设为文本后写作 {found[0].year}.01 或 {found[0].year}.10"
        )
    return found


# -- coded values -------------------------------------------------------------------------------------------

GENDERS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "1": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
}
GENDERS["2"] = Gender.FEMALE


def read_gender(text: str) -> str:
    code = GENDERS.get(compact(text).upper())
    if code is None:
        raise ValueProblem(f"性别“{text}”应为男或女（或 1、2）")
    return code


_ETHNICITY = {name: f"{index:02d}" for index, name in enumerate(ETHNICITY_NAMES, start=1)}
_ETHNICITY.update({name.removesuffix("族"): code for name, code in list(_ETHNICITY.items())})
_ETHNICITY["汉"] = "01"


def read_ethnicity(text: str) -> str:
    key = compact(text)
    if key.isdigit() and 1 <= int(key) <= len(ETHNICITY_NAMES):
        return f"{int(key):02d}"
    code = _ETHNICITY.get(key) or _ETHNICITY.get(key.removesuffix("族"))
    if code is None:
        raise ValueProblem(f"民族“{text}”不在 GB/T 3304 民族名称中")
    return code


_POLITICAL = {str(label): str(code) for code, label in PoliticalStatus.choices}
_POLITICAL.update(
    {
        "中国共产党党员": "01",
        "共产党员": "01",
        "党员": "01",
        "正式党员": "01",
        "中共正式党员": "01",
        "中国共产党预备党员": "02",
        "预备党员": "02",
        "中国共产主义青年团团员": "03",
        "团员": "03",
        "共青团": "03",
        "民革": "04",
        "中国国民党革命委员会会员": "04",
        "民盟": "05",
        "中国民主同盟盟员": "05",
        "民建": "06",
        "中国民主建国会会员": "06",
        "民进": "07",
        "中国民主促进会会员": "07",
        "农工党": "08",
        "中国农工民主党党员": "08",
        "致公党": "09",
        "中国致公党党员": "09",
        "九三学社": "10",
        "九三学社社员": "10",
        "台盟": "11",
        "台湾民主自治同盟盟员": "11",
        "无党派": "12",
        "无党派民主人士": "12",
        "普通群众": "13",
    }
)


def read_political_status(text: str) -> str:
    key = compact(text)
    if key.isdigit() and 1 <= int(key) <= 13:
        return f"{int(key):02d}"
    code = _POLITICAL.get(key) or _POLITICAL.get(_PARENTHESIS.sub("", key))
    if code is None:
        raise ValueProblem(f"政治面貌“{text}”无法识别（如中共党员、中共预备党员、共青团员、群众）")
    return code


# Education words → the GB/T 4658 code of graduation (毕业); 结业 adds 1 and 肄业 2 where the standard has it.
_EDUCATION_BASE = [
    ("博士研究生", "11"),
    ("博士", "11"),
    ("硕士研究生", "14"),
    ("硕士", "14"),
    ("研究生班", "17"),
    ("大学本科", "21"),
    ("本科", "21"),
    ("大学普通班", "28"),
    ("大学专科", "31"),
    ("大专", "31"),
    ("专科", "31"),
    ("高职", "31"),
    ("中等专科", "41"),
    ("中等职业", "41"),
    ("中专", "41"),
    ("职业高中", "44"),
    ("职高", "44"),
    ("技工学校", "47"),
    ("技校", "47"),
    ("中技", "47"),
    ("普通高中", "61"),
    ("高中", "61"),
    ("初级中学", "71"),
    ("初中", "71"),
    ("小学", "81"),
]
_EDUCATION_CODES = frozenset(Education.values)
_EDUCATION_LABELS = {str(label): str(code) for code, label in Education.choices}
_EDUCATION_LABELS.update({"研究生": "10", "大学": "21", "文盲": "90", "半文盲": "90", "其它": "90"})
_IN_SERVICE = ("在职", "函授", "党校", "自考", "自学考试", "成人", "电大", "网络教育", "夜大", "业余")
_FULL_TIME = ("全日制",)


def read_education(text: str) -> tuple[str, str]:
    """(GB/T 4658 code, 全日制 or 在职) from what a roster writes: 大专, 本科(函授), 高中肄业 ..."""
    key = compact(text)
    kind = EducationKind.FULL_TIME
    if any(marker in key for marker in _IN_SERVICE):
        kind = EducationKind.IN_SERVICE
    bare = _PARENTHESIS.sub("", key)
    for marker in (*_IN_SERVICE, *_FULL_TIME, "学历", "教育", "文化"):
        bare = bare.replace(marker, "") if bare != marker else bare
    if key in _EDUCATION_LABELS:
        return _EDUCATION_LABELS[key], kind
    for candidate in (bare, bare + "毕业"):
        if candidate in _EDUCATION_LABELS:
            return _EDUCATION_LABELS[candidate], kind
    if key.isdigit() and key in _EDUCATION_CODES:
        return key, kind
    for word, code in _EDUCATION_BASE:
        if bare.startswith(word):
            rest = bare[len(word) :]
            step = {"": 0, "毕业": 0, "结业": 1, "肄业": 2, "在读": 2}.get(rest)
            if step is None:
                break
            result = f"{int(code) + step:02d}"
            if result in _EDUCATION_CODES:
                return result, kind
            break
    raise ValueProblem(f"学历“{text}”无法识别（如研究生、本科、大专、中专、高中、初中、小学）")


_DEGREES = {str(label): str(code) for code, label in Degree.choices}
_DEGREES.update({"学士学位": "4", "硕士学位": "3", "博士学位": "2", "名誉博士学位": "1", "无学位": "0"})


def read_degree(text: str) -> str:
    key = compact(text)
    code = _DEGREES.get(key) or _DEGREES.get(key.removesuffix("学位"))
    if code is None:
        raise ValueProblem(f"学位“{text}”应为学士、硕士、博士或无")
    return code


SEPARATORS = re.compile(r"[、,，;；/／\s]+")
POST_SEPARATORS = re.compile(r"[、,，;；/／\s]+|兼")


def split_list(text: str, separators: re.Pattern = SEPARATORS) -> list[str]:
    return [part for part in separators.split(clean(text, keep_punctuation=True)) if part]


# Default post type codes (posts migration 0002) → what rosters call them.
POST_SYNONYMS: dict[str, tuple[str, ...]] = {
    "secretary": (
        "书记",
        "村书记",
        "支书",
        "村支书",
        "支部书记",
        "党支部书记",
        "村党支部书记",
        "党总支书记",
        "村党总支书记",
        "村党委书记",
        "党组织书记",
    ),
    "deputy_secretary": ("副书记", "村副书记", "党支部副书记", "村党支部副书记"),
    "chair": ("主任", "村主任", "村委主任", "村委会主任", "村民委员会主任", "居委会主任"),
    "deputy_chair": ("副主任", "村副主任", "村委副主任"),
    "member": ("委员", "两委委员", "村两委委员", "支委", "支委委员", "村委委员", "村委会委员", "两委成员"),
    "supervision_chair": ("监委会主任", "监督委员会主任", "村监委会主任", "村务监督委员会主任"),
    "secretary_assistant": ("书记助理", "村书记助理"),
    "grid_worker": ("网格员", "专职网格员"),
    "group_leader": ("组长", "小组长", "村民小组长"),
}
BOTH_POSTS = ("一肩挑", "书记主任一肩挑", "书记兼主任")


def read_id_number_cell(value) -> str:
    """The ID number as text. A number means Excel has rounded the last digits away: refuse it."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if isinstance(value, int) and len(str(value)) == 15:
            return str(value)  # a legacy 15-digit number survives as a number
        raise ValueProblem("身份证号被 Excel 存成了数字，末几位已丢失；请把该列设为文本后重新填写")
    return compact(value).upper()


def read_phone_cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return compact(value)
