from datetime import date

import pytest

from yanzhen.people.idcard import (
    IdNumberError,
    check_character,
    make_id_number,
    mask_id_number,
    parse_id_number,
)

# A number with check character X: 11010519491231002X (the GB 11643 example).
EXAMPLE = "11010519491231002X"


def test_the_standard_example_is_valid():
    parsed = parse_id_number(EXAMPLE)
    assert parsed.number == EXAMPLE
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "2"


def test_lowercase_x_full_width_digits_and_spaces_are_normalised():
    assert parse_id_number("１１０１０５ 1949 1231 002x").number == EXAMPLE


def test_fifteen_digit_numbers_become_eighteen():
    # 15-digit 110105491231002 → 110105 19 491231 002 + check
    assert parse_id_number("110105491231002").number == EXAMPLE


@pytest.mark.parametrize(
    "raw,message",
    [
        ("110105194912310021", "身份证号校验位错误：应为 X"),
        ("11010519491331002X", "身份证号中的出生日期 19491331 不存在"),
        ("1101051949123100", "身份证号应为 18 位（或旧式 15 位），现为 16 位"),
        ("11010519491231A02X", "身份证号前 17 位须为数字，最后一位为数字或 X"),
    ],
)
def test_wrong_numbers_are_refused_with_the_reason(raw, message):
    with pytest.raises(IdNumberError) as wrong:
        parse_id_number(raw)
    assert str(wrong.value) == message


def test_make_and_mask():
    number = make_id_number("640323", date(1990, 5, 12), 1)
    assert number[:17] == "64032319900512001" and number[17] == check_character(number[:17])
    assert parse_id_number(number).gender == "1"
    assert mask_id_number("64032319900512002X") == "640323********002X"
