"""A large roster for `python -m bench --only roster`: rows spread over the 村委会 of a seed county,
written like a clerk's sheet (a title row, the header, varied spellings), from the seed CSV files alone (no
database needed to write it)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

import yanzhen
from yanzhen.people.idcard import make_id_number

SEED_DIR = Path(yanzhen.__file__).resolve().parent / "divisions" / "data" / "seed"

HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "身份证号",
    "政治面貌",
    "入党时间",
    "文化程度",
    "毕业院校",
    "乡镇",
    "村",
    "后备岗位",
    "来源",
    "特长",
    "联系电话",
    "入库时间",
    "备注",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "建国军平文华明玉兰芳秀英志强伟磊静丽心灵海燕红霞春梅晓东小龙云飞学成德宝新民生福林俊杰慧敏"
STATUSES = ["党员", "中共党员", "中共预备党员", "团员", "共青团员", "群众", "群众"]
EDUCATIONS = ["大专", "本科", "中专", "高中", "初中", "大学专科", "技校", "研究生", "小学"]
POSTS = ["书记", "主任", "村党组织书记、村委会主任", "两委委员", "网格员", "村民小组长", "书记助理", "副主任"]
SOURCES = ["致富带头人", "返乡创业青年", "退役军人", "本土大学毕业生", "现任村干部", None]
SKILLS = ["养殖", "种植、电商", "会开车", None, "财会", None]


def villages_of(county: str) -> list[tuple[str, str, str]]:
    """(code, township name, village name) of the county's 村委会 in the seed data."""
    with (SEED_DIR / "streets.csv").open(encoding="utf-8") as streets:
        townships = {
            row["code"]: row["name"] for row in csv.DictReader(streets) if row["code"].startswith(county)
        }
    with (SEED_DIR / "villages.csv").open(encoding="utf-8") as villages:
        return [
            (row["code"], townships[row["code"][:9]], row["name"])
            for row in csv.DictReader(villages)
            if row["code"].startswith(county) and 200 <= int(row["code"][9:12]) <= 399
        ]


def write_roster(path: Path, rows: int, county: str = "640323", seed: int = 10_000) -> None:
    rng = random.Random(seed)
    units = villages_of(county)
    # A normal workbook, as Excel writes it: shared strings and a <dimension> element (a write-only
    # openpyxl file has inline strings and makes the reader scan the sheet twice).
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    sheet.append(["村级后备力量花名册"])
    sheet.append(HEADER)
    used: set[str] = set()
    for sequence in range(1, rows + 1):
        while True:
            born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
            number = make_id_number(county, born, rng.randrange(0, 1000))
            if number not in used:
                used.add(number)
                break
        _code, township, village = units[sequence % len(units)]
        status = rng.choice(STATUSES)
        party = born.replace(day=1) + timedelta(days=365 * 25) if "党员" in status else None
        village_name = rng.choice([village, village.removesuffix("村委会"), village.replace("村委会", "村")])
        sheet.append(
            [
                sequence,
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2]))),
                "男" if int(number[16]) % 2 else "女",
                "回族" if sequence % 5 == 0 else "汉族",
                f"{born:%Y.%m}",
                number,
                status,
                f"{party:%Y.%m}" if party else None,
                rng.choice(EDUCATIONS),
                None,
                township,
                village_name,
                rng.choice(POSTS),
                rng.choice(SOURCES),
                rng.choice(SKILLS),
                f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                f"{2015 + sequence % 9}.{1 + sequence % 12:02d}",
                None,
            ]
        )
    sheet.append(["合计", f"{rows} 人"])
    workbook.save(path)
