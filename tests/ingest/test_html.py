"""HTML: the article of a saved government page, without its navigation."""

from __future__ import annotations

from pathlib import Path

from alignment.ingest import extract
from alignment.ingest.normalize import clean_line

from .conftest import CORPUS, DATA

PAGE = DATA / "gov-page.html"  # GB2312-declared page around #zoomcon (scripts/make_fixtures.py)
FURNITURE = ("政务公开", "当前位置", "分享到", "相关文件", "版权所有", "走进广州", "English", "var _hmt")


def notice_lines() -> list[str]:
    text = (CORPUS / "municipal/guangzhou-extremely-poor-support-notice-2021.txt").read_text(encoding="utf-8")
    return [clean_line(line) for line in text.split("\n") if clean_line(line)]


def test_article_body_without_navigation():
    document = extract(PAGE)
    lines = notice_lines()
    # The title (an <h1> outside #zoomcon, and meta ArticleTitle) leads, then the article as written.
    assert document.text.split("\n") == [lines[1], lines[0], *lines[2:24]]
    assert not any(word in document.text for word in FURNITURE)
    assert document.warnings == ()


def test_headings_title_and_meta():
    document = extract(PAGE)
    hinted = [(document.text[h.char_start:h.char_end], h.level) for h in document.hints]
    assert hinted[:3] == [(notice_lines()[1], 1), ("一、认定范围", 2), ("二、认定程序", 2)]
    meta = document.meta
    assert (meta.title, meta.doc_number, meta.issuer, meta.level) == (
        "广州市人民政府办公厅关于进一步加强特困人员救助供养工作的通知",
        "穗府办规〔2021〕7号",
        "广州市人民政府办公厅",
        "municipal",
    )


def test_page_without_a_known_container_uses_text_density(tmp_path: Path):
    lines = notice_lines()[3:8]
    paragraphs = "\n".join(f"<p>{line}</p>" for line in lines)
    html = (
        "<html><head><meta charset='utf-8'><title>通知_广州市民政局</title></head><body>"
        "<div id='topnav'><a href='/'>首页</a> <a href='/a'>机构概况</a> <a href='/b'>政务公开</a></div>"
        "<div class='left-menu'><ul><li><a href='/c'>通知公告</a></li><li><a"
        " href='/d'>政策解读</a></li></ul></div>"
        f"<div class='main-box'><div class='txt'>{paragraphs}"
        "<table><tr><td>项目</td><td>标准</td></tr><tr><td>城乡最低生活保障</td><td>1309元</td></tr></table></div></div>"
        "<div id='foot'>版权所有 广州市民政局</div></body></html>"
    )
    path = tmp_path / "page.htm"
    path.write_text(html, encoding="utf-8")
    document = extract(path)
    # The <title> ("通知" once the site name is cut) is already in the text, so it is not prepended.
    assert document.text.split("\n") == [*lines, "项目\t标准", "城乡最低生活保障\t1309元"]
    assert document.warnings == (
        "未找到常见的正文容器：正文是按文字密度选取的，请核对开头和结尾",
    )
    assert document.tables[0].rows == (("城乡最低生活保障", "1309元"),)
