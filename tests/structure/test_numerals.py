import pytest

from alignment.structure.numerals import (
    circled_to_int,
    cn_to_int,
    fullwidth_to_ascii,
    int_to_circled,
    int_to_cn,
    int_to_cn_digits,
    parse_number,
)


def test_round_trip_positional_0_to_9999():
    for n in range(10_000):
        assert cn_to_int(int_to_cn(n)) == n


def test_round_trip_digit_by_digit_0_to_9999():
    for n in range(10_000):
        assert cn_to_int(int_to_cn_digits(n)) == n


@pytest.mark.parametrize(
    "text, value",
    [
        ("一", 1), ("十", 10), ("十二", 12), ("一十", 10), ("二十", 20), ("九十九", 99),
        ("一百", 100), ("一百零三", 103), ("一百一十", 110), ("一百二十五", 125),
        ("两", 2), ("两百", 200), ("两千", 2000), ("一千零一", 1001), ("三千零五十", 3050),
        ("九千九百九十九", 9999), ("一万二千", 12000), ("十万", 100_000),
        ("二〇二一", 2021), ("二○三五", 2035), ("一九九六", 1996), ("零", 0), ("〇", 0),
    ],
)
def test_known_strings(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    "value, text",
    [(0, "零"), (10, "十"), (12, "十二"), (20, "二十"), (103, "一百零三"), (110, "一百一十"),
     (1001, "一千零一"), (1010, "一千零一十"), (9999, "九千九百九十九"), (10001, "一万零一")],
)
def test_label_form(value, text):
    assert int_to_cn(value) == text


def test_digit_form_for_years():
    assert int_to_cn_digits(2021) == "二〇二一"
    assert int_to_cn_digits(2035) == "二〇三五"


@pytest.mark.parametrize("bad", ["", "十十", "百", "一千百", "万", "abc", "第一"])
def test_rejects_non_numerals(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)


def test_circled_round_trip_and_bounds():
    for n in range(1, 51):
        assert circled_to_int(int_to_circled(n)) == n
    assert int_to_circled(1) == "①" and int_to_circled(20) == "⑳" and int_to_circled(21) == "㉑"
    with pytest.raises(ValueError):
        int_to_circled(0)
    with pytest.raises(ValueError):
        circled_to_int("1")


def test_fullwidth_digits_keep_length():
    assert fullwidth_to_ascii("第１２条．") == "第12条．"


@pytest.mark.parametrize(
    "text, value",
    [("12", 12), ("１２", 12), ("十二", 12), ("③", 3), ("㉕", 25), (" 七 ", 7), ("abc", None), ("", None)],
)
def test_parse_number_any_notation(text, value):
    assert parse_number(text) == value
