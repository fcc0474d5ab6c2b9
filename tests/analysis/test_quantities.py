"""Numbers, units and years as policy texts write them."""
import pytest

from alignment.analysis.quantities import cn_decimal, format_amount, parse_value, per_population, unit_of


@pytest.mark.parametrize("text, value", [
    ("55", 55.0), ("1.5", 1.5), ("1,200", 1200.0), ("１２", 12.0),
    ("五十五", 55.0), ("一点五", 1.5), ("十", 10.0), ("两千", 2000.0), ("七十", 70.0),
])
def test_parse_value_reads_every_notation(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize("text", ["", "abc", "五点x"])
def test_parse_value_gives_none_for_non_numbers(text):
    assert parse_value(text) is None


def test_cn_decimal_keeps_leading_zeros_of_the_fraction():
    assert cn_decimal("零点零五") == pytest.approx(0.05)


def test_permille_is_a_tenth_of_a_percent():
    pm, pct = unit_of("‰"), unit_of("%")
    assert (pm.name, pm.dimension, pm.factor) == ("%", "ratio", 0.1)
    assert (pct.name, pct.factor) == ("%", 1.0)


def test_per_population_units_are_a_dimension_of_their_own():
    beds = unit_of("张", per="千人")
    assert (beds.name, beds.dimension) == ("张/千人", "beds/千人")
    assert unit_of("%", per="千人").name == "%"  # a ratio stays a ratio
    assert per_population("每千名老年人拥有养老床位数") == "千人"
    assert per_population("养老床位数") == ""


def test_unknown_units_are_none():
    assert unit_of("公顷") is None


def test_format_amount_uses_wan_and_yi():
    assert format_amount(12_000_000) == "1200万"
    assert format_amount(1.3e12) == "1.3万亿"
    assert format_amount(5.5) == "5.5"
