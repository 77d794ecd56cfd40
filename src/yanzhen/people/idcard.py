"""The citizen ID number, GB 11643-1999: normalising, checking and reading it.

18 characters: 6-digit address code + birth date yyyymmdd + 3-digit sequence (odd = male) + a check
character "10X98765432"[Σ dᵢ·wᵢ mod 11]. Legacy 15-digit numbers get "19" after the address code and a
computed check character.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


class IdNumberError(ValueError):
    """The number is malformed; the message is Chinese and names the problem."""


def check_character(first17: str) -> str:
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise_text(value: str) -> str:
    """Full-width digits and letters to half-width; spaces removed."""
    return "".join(unicodedata.normalize("NFKC", value).split())


@dataclass(frozen=True)
class IdNumber:
    number: str  # 18 characters, upper-case X

    @property
    def birth_date(self) -> date:
        return date(int(self.number[6:10]), int(self.number[10:12]), int(self.number[12:14]))

    @property
    def gender(self) -> str:
        """GB/T 2261.1 code: 1 男 for an odd sequence, 2 女 for an even one."""
        return "1" if int(self.number[16]) % 2 else "2"

    @property
    def address_code(self) -> str:
        return self.number[:6]

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def mask_id_number(number: str) -> str:
    """640323********002X: first 6 and last 4 shown."""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)


def parse_id_number(raw: str) -> IdNumber:
    """Normalise and check an ID number; raise IdNumberError with a Chinese message when it is wrong."""
    number = normalise_text(raw or "").upper()
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError("15 位身份证号只能由数字组成")
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_character(first17)
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为 18 位（或旧式 15 位），现为 {len(number)} 位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号前 17 位须为数字，最后一位为数字或 X")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"身份证号中的出生日期 {number[6:14]} 不存在") from None
    if born.year < 1900:
        raise IdNumberError(f"身份证号中的出生日期 {number[6:14]} 不合理")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"身份证号校验位错误：应为 {expected}")
    return IdNumber(number)


def make_id_number(address_code: str, born: date, sequence: int) -> str:
    """Build a valid number (demo data and tests): sequence 0–999, odd for a man."""
    first17 = f"{address_code}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
