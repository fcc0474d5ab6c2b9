"""Title, 文号, issuer, date and level from real document headers in corpus/."""

from __future__ import annotations

import sys

import pytest

from alignment.ingest import extract
from alignment.ingest.metadata import (
    PROVINCES,
    find_doc_number,
    find_issuer,
    find_title,
    infer_level,
    level_of_addressees,
    level_of_doc_number,
    level_of_name,
    parse_date,
)

from .conftest import CORPUS, DATA

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def head(relative: str, lines: int = 30) -> str:
    """The first lines of a corpus document as extract() normalizes them."""
    return "\n".join(extract(CORPUS / relative).text.split("\n")[:lines])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("国发〔2021〕35号", "国发〔2021〕35号"),
        ("穗府办规〔2022〕13号", "穗府办规〔2022〕13号"),
        ("民发[2018]23号", "民发〔2018〕23号"),
        ("民发【2018】23号", "民发〔2018〕23号"),
        ("民发（2018）23号", "民发〔2018〕23号"),
        ("联防联控机制综发〔2022〕71号", "联防联控机制综发〔2022〕71号"),
        ("鲁政办字〔2020〕第5号", "鲁政办字〔2020〕5号"),
    ],
)
def test_doc_number_forms(line, expected):
    assert find_doc_number(f"{line}\n关于印发某某办法的通知\n各区人民政府：") == expected


def test_doc_number_cited_in_the_body_is_not_the_documents_own():
    text = (
        "关于做好临时救助工作的通知\n各区民政局：\n根据《国务院关于全面建立临时救助制度的通知》（国发〔2014〕47号），"
        "现通知如下："
    )
    assert find_doc_number(text) == ""


def test_doc_numbers_of_real_headers():
    assert (
        find_doc_number(head("municipal/guangzhou-temporary-assistance-rules-2021.txt"))
        == "穗府办规〔2021〕19号"
    )
    assert (
        find_doc_number(head("municipal/guangzhou-long-term-care-insurance-trial-measures-2024.txt"))
        == "穗医保规字〔2024〕1号"
    )
    assert (
        find_doc_number(head("municipal/guangzhou-elderly-preferential-treatment-measures-2021.txt"))
        == "广州市人民政府令第179号"
    )
    assert (
        find_doc_number(head("central/state-council-social-assistance-interim-measures-2019.txt"))
        == "中华人民共和国国务院令第649号"
    )
    assert find_doc_number(head("central/law-charity-2023.txt")) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年3月5日", "2021-03-05"),
        ("（2018年1月2日）", "2018-01-02"),
        ("2022 年 6 月 27 日", "2022-06-27"),
        ("二〇二一年三月五日", "2021-03-05"),
        ("二○一九年十二月三十一日", "2019-12-31"),
        ("2023年1月", "2023-01"),
        ("第十三届全国人民代表大会", ""),
        ("2021年13月5日", ""),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("国务院", "central"),
        ("中共中央 国务院", "central"),
        ("全国人民代表大会常务委员会", "central"),
        ("民政部 财政部", "central"),
        ("广东省人民政府", "provincial"),
        ("山东省人民代表大会常务委员会", "provincial"),
        ("上海市人民代表大会常务委员会", "provincial"),  # a municipality directly under the centre
        ("内蒙古自治区民政厅", "provincial"),
        ("广州市人民政府办公厅", "municipal"),
        ("德州市人大常委会", "municipal"),
        ("山东省青岛市人民政府", "municipal"),
        ("广州市天河区人民政府", "district"),
        ("上海市浦东新区人民政府", "district"),
        ("天河区民政局", "district"),
        ("寿光县人民政府", "district"),
        ("某某协会", "unknown"),
        ("", "unknown"),
    ],
)
def test_level_of_name(name, level):
    assert level_of_name(name) == level


@pytest.mark.parametrize(
    ("number", "level"),
    [
        ("国发〔2021〕35号", "central"),
        ("国办发〔2019〕5号", "central"),
        ("中发〔2018〕1号", "central"),
        ("民发〔2018〕23号", "central"),
        ("粤府〔2021〕10号", "provincial"),
        ("浙政办发〔2020〕3号", "provincial"),
        ("鲁政发〔2019〕7号", "provincial"),
        ("沪府规〔2021〕1号", "provincial"),
        ("穗府办规〔2022〕13号", "municipal"),
        ("穗民规字〔2024〕3号", "municipal"),
        ("青政发〔2020〕1号", "unknown"),  # 青: 青海 or 青岛
        ("", "unknown"),
    ],
)
def test_level_of_doc_number(number, level):
    assert level_of_doc_number(number) == level


def test_province_table_has_every_province_level_unit():
    assert len(PROVINCES) == 31 and PROVINCES["广东"] == "粤" and PROVINCES["上海"] == "沪"


def test_addressees_name_the_level_below():
    assert level_of_addressees(head("central/2018-mca-mof-temporary-assistance-opinions.txt")) == "central"
    assert (
        level_of_addressees(head("municipal/guangzhou-extremely-poor-support-notice-2021.txt")) == "municipal"
    )
    assert level_of_addressees("关于加强养老服务的通知\n各市、县（市、区）人民政府：") == "provincial"


def test_level_argument_overrides_and_precedence():
    assert infer_level(issuer="广州市民政局", doc_number="国发〔2021〕35号") == "municipal"  # issuer first
    assert infer_level(title="德州市养老服务条例") == "municipal"
    assert infer_level(title="政府工作报告——2021年3月5日在第十三届全国人民代表大会第四次会议上") == "central"
    document = extract(DATA / "gbk.txt", level="district", role="plan")
    assert (document.meta.level, document.meta.role) == ("district", "plan")
    assert extract(DATA / "gbk.txt").meta.role is None


def test_titles_of_real_headers():
    assert (
        find_title(head("central/2021-government-work-report.txt"))
        == "政府工作报告——2021年3月5日在第十三届全国人民代表大会第四次会议上"
    )  # "政府工作报\n告" rejoined
    assert (
        find_title(head("central/19th-congress-report.txt"))
        == "决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利——在中国共产党第十九次全国代表大会上的报告"
    )
    assert (
        find_title(head("central/2024-government-work-report.txt"))
        == "政府工作报告——2024年3月5日在第十四届全国人民代表大会第二次会议上"
    )  # not the speaker line after it
    assert (
        find_title(head("central/state-council-social-assistance-interim-measures-2019.txt"))
        == "社会救助暂行办法"
    )
    assert (
        find_title(head("municipal/guangzhou-temporary-assistance-rules-2021.txt"))
        == "广州市人民政府办公厅关于印发广州市临时救助实施细则的通知"
    )
    assert find_title(head("municipal/guangzhou-elderly-preferential-treatment-measures-2021.txt")) == ""


def test_issuers_of_real_headers():
    assert (
        find_issuer(head("municipal/dezhou-elderly-care-services-regulations-2019.txt"))
        == "德州市人民代表大会常务委员会"
    )
    assert find_issuer(head("central/law-charity-2023.txt")) == "全国人民代表大会"
    dibao = extract(CORPUS / "municipal/guangzhou-dibao-assistance-standards-2025.txt")
    assert (dibao.meta.issuer, dibao.meta.date) == ("广州市民政局 广州市财政局", "2025-05-30")  # 落款
    notice = extract(CORPUS / "municipal/guangzhou-temporary-assistance-rules-2021.txt").meta
    assert (notice.issuer, notice.doc_number, notice.level) == (
        "广州市人民政府办公厅",
        "穗府办规〔2021〕19号",
        "municipal",
    )


def test_pdf_signature_block_wrapped_over_three_lines():
    meta = extract(CORPUS / "pdf" / "covid-prevention-control-plan-v9-2022.pdf").meta
    assert meta.title == "关于印发新型冠状病毒肺炎防控方案（第九版）的通知"
    assert meta.doc_number == "联防联控机制综发〔2022〕71号"
    assert meta.issuer == "国务院应对新型冠状病毒肺炎疫情联防联控机制综合组（国家卫生健康委代章）"
    assert (meta.date, meta.level) == ("2022-06-27", "central")


def test_inferred_levels_never_contradict_the_catalog():
    """Over every bundled text document: the inferred level is the catalog's, or 'unknown' where
    the text gives no issuer, 文号, place-name title or addressees."""
    with open(CORPUS / "catalog.toml", "rb") as fh:
        catalog = {e["path"]: e["level"] for e in tomllib.load(fh)["documents"]}
    unknown = set()
    for path in sorted(CORPUS.glob("*/*.txt")):
        level = extract(path).meta.level
        expected = catalog[path.relative_to(CORPUS).as_posix()]
        if level == "unknown":
            unknown.add(path.name)
        else:
            assert level == expected, path.name
    assert unknown == {
        "2020-cpc-gov-offices-social-assistance-reform-opinions.txt",  # no 主送, no issuer in the copy
        "2021-mca-extremely-poor-identification-measures.txt",
        "2022-government-work-report.txt",  # header missing in this copy
        "2025-government-work-report.txt",
        "guangzhou-disability-two-subsidies-2025-report-2026-standards.txt",  # body only
        "guangzhou-disability-two-subsidies-measures.txt",
    }
