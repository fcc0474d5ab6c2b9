#!/usr/bin/env python3
"""Generate the ingest test fixtures in tests/data/ingest/ from real corpus text.

    python scripts/make_fixtures.py                  # write them to tests/data/ingest/
    python scripts/make_fixtures.py --out /tmp/fx    # somewhere else, e.g. to compare

Every fixture is built from documents in corpus/ (see corpus/SOURCES.md for their provenance); only
the page furniture (running header, page-number footer) of the generated PDF is made up. PDFs are
written with reportlab in invariant mode and the font fonts-wqy-zenhei (Debian package), so the
output is reproducible byte for byte on one reportlab version.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
OUT = ROOT / "tests" / "data" / "ingest"
FONT_PATHS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)

# Page furniture of the generated PDF (not corpus text): a running header and "— N —" footers.
RUNNING_HEADER = "德州市人民代表大会常务委员会公报"


def corpus_lines(relative: str) -> list[str]:
    """Non-empty lines of a corpus file, stripped (BOM and CRLF removed)."""
    text = (CORPUS / relative).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return [line.strip().strip("\u3000") for line in text.split("\n") if line.strip()]


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


# Marks that never start a line in Chinese typesetting: they hang at the end of the line before.
NO_LINE_START = "，。、；：！？）》」』”’"


def wrap(text: str, columns: int, first_indent: int = 0) -> list[str]:
    """Hard-wrap ``text`` at ``columns`` display columns, the first line ``first_indent`` shorter."""
    lines, current, room = [], "", columns - first_indent
    for ch in text:
        if width(current + ch) > room and ch not in NO_LINE_START:
            lines.append(current)
            current, room = "", columns
        current += ch
    if current:
        lines.append(current)
    return lines


def font_path() -> Path:
    for path in FONT_PATHS:
        if path.is_file():
            return path
    sys.exit(
        "fonts-wqy-zenhei is not installed: apt-get install -y fonts-wqy-zenhei (or run"
        " scripts/setup-test-env.sh)"
    )


def register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQY" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQY", str(font_path()), subfontIndex=0))
    return "WQY"


# --- the wrapped PDF with running header and footer --------------------------------------------

PDF_SIZE = 14  # pt
PDF_COLUMNS = 56  # 28 ideographs a line
PDF_LINES_PER_PAGE = 26


def dezhou_blocks() -> list[tuple[str, str]]:
    """(kind, text) blocks of the start of the 德州市养老服务条例: title, header lines, headings, articles."""
    lines = corpus_lines("municipal/dezhou-elderly-care-services-regulations-2019.txt")
    blocks = [("title", lines[0]), ("center", lines[1]), ("center", lines[2])]
    for line in lines[3:]:
        if line.startswith("第三章"):
            break
        blocks.append(("heading" if line.startswith("第") and "章" in line[:5] else "para", line))
    return blocks


def make_wrapped_pdf(path: Path) -> None:
    """3+ pages: running header, "— N —" footer, paragraphs hard-wrapped mid-sentence."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = register_font()
    page_w, page_h = A4
    left = (page_w - PDF_COLUMNS / 2 * PDF_SIZE) / 2
    top = page_h - 100
    leading = PDF_SIZE * 1.7
    rows: list[tuple[str, str]] = []  # (kind, text) per printed line
    for kind, text in dezhou_blocks():
        if kind == "para":
            for k, line in enumerate(wrap(text, PDF_COLUMNS, first_indent=4)):
                rows.append(("first" if k == 0 else "line", line))
        else:
            rows.append((kind, text))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("德州市养老服务条例")
    page = 0
    for start in range(0, len(rows), PDF_LINES_PER_PAGE):
        page += 1
        c.setFont(font, 10)
        c.drawCentredString(page_w / 2, page_h - 50, RUNNING_HEADER)
        c.line(left, page_h - 56, page_w - left, page_h - 56)
        c.drawCentredString(page_w / 2, 40, f"— {page} —")
        y = top
        for kind, text in rows[start:start + PDF_LINES_PER_PAGE]:
            size = 20 if kind == "title" else PDF_SIZE
            c.setFont(font, size)
            if kind in ("title", "center", "heading"):
                c.drawCentredString(page_w / 2, y, text)
            elif kind == "first":
                c.drawString(left + 2 * PDF_SIZE, y, text)
            else:
                c.drawString(left, y, text)
            y -= leading if kind != "title" else leading * 1.5
        c.showPage()
    c.save()


def make_encrypted_pdf(path: Path) -> None:
    """A one-page PDF that needs the user password 'secret' to open."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = register_font()
    encrypt = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=128)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    c.setFont(font, 14)
    c.drawString(72, 760, corpus_lines("municipal/dezhou-elderly-care-services-regulations-2019.txt")[0])
    c.showPage()
    c.save()


# --- an image-only PDF of real Chinese text (for OCR) ------------------------------------------

OCR_SOURCE = "municipal/guangzhou-dibao-assistance-standards-2025.txt"
OCR_DPI = 200


def ocr_source_text() -> list[str]:
    """The printed lines of the image-only page: the start of the 2025 Guangzhou 低保 notice."""
    lines = corpus_lines(OCR_SOURCE)
    out: list[str] = []
    for line in lines[:10]:
        out.extend(wrap(line, 52))
    return out[:24]


def make_image_pdf(path: Path, source: Path) -> None:
    """Draw the lines with reportlab, render to a bitmap with pypdfium2, save it as a PDF with Pillow."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = register_font()
    lines = ocr_source_text()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    c.setFont(font, 14)
    y = A4[1] - 80
    for line in lines:
        c.drawString(70, y, line)
        y -= 26
    c.showPage()
    c.save()
    grey = pdfium.PdfDocument(buffer.getvalue())[0].render(scale=OCR_DPI / 72).to_pil().convert("L")
    # Black and white without dithering, like a fax-mode scan: small and reproducible.
    image = grey.point(lambda v: 255 if v > 160 else 0, mode="1")
    fixed = time.strptime("2025-01-01", "%Y-%m-%d")
    image.save(path, "PDF", resolution=OCR_DPI, creationDate=fixed, modDate=fixed)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- text files in other encodings --------------------------------------------------------------


def make_texts(out: Path) -> None:
    """GBK and UTF-16 (with and without BOM) copies of real corpus text."""
    notice = corpus_lines("municipal/guangzhou-extremely-poor-support-notice-2021.txt")[:12]
    (out / "gbk.txt").write_bytes("\r\n".join(notice).encode("gbk") + b"\r\n")
    charity = corpus_lines("municipal/guangzhou-charity-promotion-regulations-2021.txt")[:10]
    (out / "utf16-bom.txt").write_bytes("\n".join(charity).encode("utf-16") + "\n".encode("utf-16-le"))
    (out / "utf16le-nobom.txt").write_bytes("\n".join(charity).encode("utf-16-le"))


# --- DOCX with headings, automatic Chinese numbering and a table -------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _add_chinese_numbering(document) -> str:  # noqa: ANN001 - python-docx Document
    """Add a list definition numbered 一、二、三、 (chineseCounting) and return its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{_W}" w:abstractNumId="90">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>"
    )
    first_num = numbering.find(f"{{{_W}}}num")
    first_num.addprevious(abstract)
    numbering.append(parse_xml(f'<w:num xmlns:w="{_W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _number(paragraph, num_id: str, level: int) -> None:  # noqa: ANN001
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(f'<w:numPr xmlns:w="{_W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def make_docx(path: Path) -> None:
    """The 2025 Guangzhou 低保 standards notice: Title, numbered Heading 1/2, body, a table, signature."""
    import docx

    lines = corpus_lines("municipal/guangzhou-dibao-assistance-standards-2025.txt")
    document = docx.Document()
    num_id = _add_chinese_numbering(document)
    document.add_paragraph(lines[0])  # 穗民规字〔2025〕2号
    document.add_paragraph(lines[1], style="Title")
    document.add_paragraph(lines[2])  # 主送
    document.add_paragraph(lines[3])  # 经市人民政府同意…
    for line in lines[4:]:
        if line.startswith(("一、", "二、")):
            heading = document.add_paragraph(line[2:], style="Heading 1")
            _number(heading, num_id, 0)
        elif line.startswith("本通知有效期"):
            document.add_paragraph(line)
            break
        else:
            document.add_paragraph(line)
        if line.startswith("（五）成年流浪乞讨"):
            # The standards of part 一 as a table: every figure is quoted from the paragraphs above.
            rows = [
                ("项目", "标准（元/人·月）"),
                ("城乡最低生活保障", "1309"),
                ("最低生活保障边缘家庭认定", "1963.5"),
                ("市财政供养的特困人员基本生活", "2094.4"),
                ("孤儿养育、事实无人抚养儿童基本生活补贴", "2976"),
                ("成年流浪乞讨受助人员基本饮食", "785.4"),
                ("未成年人受助人员基本饮食", "916.3"),
            ]
            table = document.add_table(rows=len(rows), cols=2)
            table.style = "Table Grid"
            for r, (name, value) in enumerate(rows):
                table.cell(r, 0).text = name
                table.cell(r, 1).text = value
    signature = lines.index("2025年5月30日")
    document.add_paragraph(lines[signature - 1])  # 广州市民政局　　广州市财政局
    document.add_paragraph(lines[signature])
    document.core_properties.title = lines[1]
    document.save(str(path))
    _normalize_zip(path)


def _normalize_zip(path: Path) -> None:
    """Fixed timestamps in the ZIP so the fixture does not change on every run."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re

                body = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    path.write_bytes(out.getvalue())


# --- HTML page: navigation around the article body ---------------------------------------------

HTML_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gb2312">
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2021-09-14 10:30">
<meta name="ContentSource" content="广州市人民政府办公厅">
<title>{title}_政策文件_广州市人民政府门户网站</title>
<style>.nav li {{ display: inline; }}</style>
<script>var _hmt = _hmt || []; function share() {{ return "分享到微信"; }}</script>
</head>
<body>
<div class="header"><a href="/">广州市人民政府门户网站</a> <a href="/english">English</a> <a href="/search">搜索</a></div>
<ul class="nav"><li><a href="/zwgk">政务公开</a></li><li><a href="/zwfw">政务服务</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/zlgz">走进广州</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政策文件</div>
<div class="content">
<h1 class="title">{title}</h1>
<div class="info">来源：广州市人民政府办公厅 发布时间：2021-09-14 <a href="javascript:share()">分享</a></div>
<div id="zoomcon">
{body}
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
</div>
<div class="related"><h3>相关文件</h3><ul><li><a href="/a">广州市临时救助实施细则</a></li>
<li><a href="/b">广州市居家社区养老服务管理办法</a></li></ul></div>
<div class="footer">主办：广州市人民政府办公厅 版权所有 网站标识码4401000052 粤ICP备05080008号</div>
</body>
</html>
"""


def make_html(path: Path) -> None:
    """The 2021 Guangzhou 特困人员 notice in a saved gov-style page (GB2312, nav, share bar, footer)."""
    from html import escape

    lines = corpus_lines("municipal/guangzhou-extremely-poor-support-notice-2021.txt")
    title = lines[1]
    body = [f'<p style="text-align:center">{escape(lines[0])}</p>']
    for line in lines[2:24]:
        if line.startswith(("一、", "二、", "三、", "四、")):
            body.append(f"<h2>{escape(line)}</h2>")
        else:
            body.append(f"<p>\u3000\u3000{escape(line)}</p>")
    html = HTML_TEMPLATE.format(title=escape(title), body="\n".join(body))
    path.write_bytes(html.encode("gb18030"))


# --- OFD ----------------------------------------------------------------------------------------

OFD_NS = "http://www.ofdspec.org/2016"
OFD_FONT_MM = 4.2333  # 12 pt
OFD_CHARS = 24  # ideographs per line


def _ofd_text_object(obj_id: int, x: float, y: float, text: str, *, per_char: bool = False) -> str:
    """TextObject(s) for one line at (x, y) mm; ``per_char`` writes one object per character, with
    CTM and glyph indices, the way several real producers do."""
    from xml.sax.saxutils import escape

    size = OFD_FONT_MM
    if not per_char:
        advance = " ".join(f"{(2 if width(c) == 2 else 1) * size / 2:.4f}" for c in text[:-1])
        w = width(text) * size / 2
        return (
            f'<ofd:TextObject ID="{obj_id}" Boundary="{x:.4f} {y:.4f} {w:.4f} {size * 1.4:.4f}" Font="3" '
            f'Size="{size:.4f}"><ofd:TextCode X="0" Y="{size:.4f}" DeltaX="{advance}">{escape(text)}'
            "</ofd:TextCode></ofd:TextObject>"
        )
    parts, cx = [], x
    scale = 0.05
    for k, ch in enumerate(text):
        w = (2 if width(ch) == 2 else 1) * size / 2
        parts.append(
            f'<ofd:TextObject ID="{obj_id + k}" Boundary="{cx:.4f} {y:.4f} {w:.4f} {size:.4f}" '
            f'Size="{size / scale:.4f}" CTM="{scale} 0 0 {scale} 0 0" Fill="true" Font="3">'
            '<ofd:FillColor Value="0 0 0" Alpha="255"/>'
            f'<ofd:CGTransform GlyphCount="1" CodeCount="1" CodePosition="0"><ofd:Glyphs>{k + 1}</ofd:Glyphs>'
            f'</ofd:CGTransform><ofd:TextCode X="0" Y="{size / scale * 0.86:.4f}">{escape(ch)}</ofd:TextCode>'
            "</ofd:TextObject>"
        )
        cx += w
    return "".join(parts)


def make_ofd(path: Path) -> None:
    """A two-page OFD (GB/T 33190) of the 广州市慈善促进条例 header and first articles.

    OFD.xml -> Doc_0/Document.xml (CommonData with PageArea, PublicRes and a TemplatePage holding a
    running header) -> Pages/Page_N/Content.xml with nested PageBlocks; the title line is written one
    character per TextObject (CTM-scaled, CGTransform glyphs), the rest one TextObject per line.
    """
    lines = corpus_lines("municipal/guangzhou-charity-promotion-regulations-2021.txt")[:8]
    rows: list[tuple[str, bool]] = [(lines[0], True)]
    for line in lines[1:]:
        for k, part in enumerate(wrap(line, OFD_CHARS * 2, first_indent=4)):
            rows.append((("\u3000\u3000" if k == 0 and line.startswith("第") else "") + part, False))
    pages = [rows[:12], rows[12:]]
    header = '<?xml version="1.0" encoding="UTF-8"?>\n'
    parts = {
        "OFD.xml": (
            header
            + f'<ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.1" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
            "<ofd:DocID>6f1c2a0e9d7b4f43a1c5e8b2d3f4a5b6</ofd:DocID><ofd:Title>广州市慈善促进条例</ofd:Title>"
            "<ofd:CreationDate>2021-05-26</ofd:CreationDate><ofd:Creator>policy-align"
            " make_fixtures.py</ofd:Creator>"
            "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        ),
        "Doc_0/Document.xml": (
            header
            + (
                f'<ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
                "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
                "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"
                '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages>'
                + "".join(
                    f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
                    for i in range(len(pages))
                )
                + "</ofd:Pages></ofd:Document>"
            )
        ),
        "Doc_0/PublicRes.xml": (
            header
            + f'<ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
            '<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>'
        ),
        "Doc_0/Tpls/Tpl_0/Content.xml": (
            header
            + (
                f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content><ofd:Layer ID="4">'
                + _ofd_text_object(5, 70, 12, "广州市人民代表大会常务委员会公报")
                + "</ofd:Layer></ofd:Content></ofd:Page>"
            )
        ),
    }
    obj = 100
    for i, page in enumerate(pages):
        objects = []
        y = 30.0
        for text, per_char in page:
            x = 30.0 + (2 * OFD_FONT_MM if text.startswith("\u3000") else 0)
            text = text.lstrip("\u3000")
            if per_char:
                x = 105 - width(text) * OFD_FONT_MM / 4
            objects.append(_ofd_text_object(obj, x, y, text, per_char=per_char))
            obj += len(text) + 1
            y += 9.0
        objects.append(_ofd_text_object(obj, 100, 280, f"- {i + 1} -"))
        obj += 1
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = header + (
            f'<ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Template TemplateID="2" ZOrder="Background"/>'
            f'<ofd:Content><ofd:Layer ID="{obj}"><ofd:PageBlock ID="{obj + 1}"><ofd:PageBlock ID="{obj + 2}">'
            + "".join(objects)
            + "</ofd:PageBlock></ofd:PageBlock></ofd:Layer></ofd:Content></ofd:Page>"
        )
        obj += 3
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body.encode("utf-8"))


def make_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    make_wrapped_pdf(out / "wrapped-header-footer.pdf")
    make_encrypted_pdf(out / "encrypted.pdf")
    make_image_pdf(out / "image-only.pdf", out / "image-only.source.txt")
    make_texts(out)
    make_docx(out / "dibao-standards.docx")
    make_html(out / "gov-page.html")
    make_ofd(out / "charity-regulations.ofd")
    return sorted(p for p in out.iterdir() if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write to (default: %(default)s)")
    args = parser.parse_args()
    for path in make_all(args.out):
        print(
            f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size:,} bytes"
        )


if __name__ == "__main__":
    main()
