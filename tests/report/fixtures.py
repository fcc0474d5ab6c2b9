"""Hand-made :class:`alignment.schema.Report` objects built from real corpus text, for report tests.

The demo chain is the bundled job (corpus/manifest.toml): the national 老年人权益保障法 and the
山东省老年人权益保障条例 are the directives, the 德州市养老服务条例 is the plan. Every unit is a real
paragraph located in its document, so ``unit.text == document.text[char_start:char_end]`` holds;
statuses, scores and shared terms are set by hand (a reviewer's reading of the pairs), not computed.

- :func:`demo_report`: 12 directives covering every status, matches with evidence, plan units with
  and without directives, one failure. The golden outputs in tests/data/report/ are made from it.
- :func:`xss_report`: a tiny report whose texts carry HTML/attribute injection attempts.
- :func:`large_report`: every paragraph of the two directive documents (about 300 directives)
  against every paragraph of the plan, scored by character-bigram overlap, to check that the
  renderers cope with a full-size job. Its numbers are not a method, only plausible test data.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from alignment.schema import (
    Directive,
    DirectiveResult,
    Document,
    DocumentMeta,
    Evidence,
    Failure,
    Match,
    PageSpan,
    PlanUnitResult,
    Report,
    Status,
    Unit,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
CREATED = "2025-01-01T09:00:00+08:00"

LAW = "law-elderly-rights-protection-2018"
SHANDONG = "shandong-elderly-rights-regulations-2014"
DEZHOU = "dezhou-elderly-care-services-regulations-2019"

# Headings of the 条例/法 style: "第三章　社会保障", "第一节  社区居家养老服务", "第十五条 ...".
_NUM = "零一二三四五六七八九十百千"
CHAPTER = re.compile(rf"(?m)^(第[{_NUM}]+章)[ \u3000]+(.+)$")
SECTION = re.compile(rf"(?m)^(第[{_NUM}]+节)[ \u3000]+(.+)$")
ARTICLE = re.compile(rf"(?m)^(第[{_NUM}]+条)[ \u3000]")
_SPACES = re.compile(r"[\s\u3000]+")
# Clause boundaries used for the aligned spans of the evidence.
_CLAUSE_END = "，；。：、"


def load_document(
    rel: str, *, title: str, level: str, role: str, issuer: str = "", date: str = "", doc_number: str = ""
) -> Document:
    """A corpus text file as a one-page Document (the BOM dropped; offsets index ``text``)."""
    raw = (CORPUS / rel).read_bytes()
    text = raw.decode("utf-8").lstrip("\ufeff")
    return Document(
        id=Path(rel).stem,
        path=f"corpus/{rel}",
        format="txt",
        text=text,
        pages=(PageSpan(1, 0, len(text)),),
        meta=DocumentMeta(
            title=title, doc_number=doc_number, issuer=issuer, date=date, level=level, role=role
        ),
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def demo_documents() -> tuple[Document, Document, Document]:
    """The three documents of the bundled demo job, with the facts from corpus/catalog.toml."""
    law = load_document(
        f"central/{LAW}.txt",
        title="中华人民共和国老年人权益保障法（2018年修正）",
        level="central",
        role="directive",
        issuer="全国人民代表大会常务委员会",
        date="2018-12-29",
    )
    shandong = load_document(
        f"provincial/{SHANDONG}.txt",
        title="山东省老年人权益保障条例",
        level="provincial",
        role="directive",
        issuer="山东省人大常委会",
        date="2015-01-01",
    )
    dezhou = load_document(
        f"municipal/{DEZHOU}.txt",
        title="德州市养老服务条例",
        level="municipal",
        role="plan",
        issuer="德州市人大常委会",
        date="2019-09-08",
    )
    return law, shandong, dezhou


def _last_before(pattern: re.Pattern[str], text: str, offset: int, floor: int = 0) -> re.Match[str] | None:
    """The last match of ``pattern`` starting in ``[floor, offset]``."""
    found = None
    for m in pattern.finditer(text, floor):
        if m.start() > offset:
            break
        found = m
    return found


def unit_span(doc: Document, start: int, end: int, *, kind: str = "paragraph") -> Unit:
    """The unit for ``doc.text[start:end]``, with its section path (章, [节,] 条) as the structure
    parser labels them and the chapter heading as ``context``."""
    path: list[str] = []
    context = ""
    chapter = _last_before(CHAPTER, doc.text, start)
    if chapter:
        path.append(chapter.group(1))
        context = _SPACES.sub("", chapter.group(2))
        section = _last_before(SECTION, doc.text, start, chapter.start())
        if section:
            path.append(section.group(1))
    article = _last_before(ARTICLE, doc.text, start)
    if article:
        path.append(article.group(1))
    return Unit(
        id=f"{doc.id}:{start}",
        document=doc.id,
        kind=kind,
        text=doc.text[start:end],
        char_start=start,
        char_end=end,
        page=doc.page_at(start),
        section_path=tuple(path),
        context=context,
    )


def unit_at(doc: Document, excerpt: str, *, kind: str = "paragraph") -> Unit:
    """The unit for ``excerpt``, which must occur exactly once in ``doc.text``."""
    start = doc.text.find(excerpt)
    if start == -1 or doc.text.find(excerpt, start + 1) != -1:
        raise ValueError(f"{doc.path}: excerpt must occur exactly once: {excerpt[:30]}")
    return unit_span(doc, start, start + len(excerpt), kind=kind)


def clause_span(text: str, term: str) -> tuple[int, int]:
    """The clause of ``text`` (between ，；。：、 marks) holding the first occurrence of ``term``."""
    at = text.index(term)
    start = max(text.rfind(c, 0, at) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, at + len(term)) for c in _CLAUSE_END) if i != -1]
    return start, (min(ends) + 1 if ends else len(text))


def evidence(directive: Unit, unit: Unit, terms: tuple[str, ...]) -> Evidence:
    """Evidence for a hand-judged pair: the shared terms and, as aligned spans, the clause of the first
    term in each text. Every term must occur in both texts."""
    for term in terms:
        if term not in directive.text or term not in unit.text:
            raise ValueError(f"shared term {term!r} is not in both {directive.id} and {unit.id}")
    return Evidence(
        shared_terms=terms,
        directive_spans=(clause_span(directive.text, terms[0]),) if terms else (),
        unit_spans=(clause_span(unit.text, terms[0]),) if terms else (),
    )


# Plan paragraphs of the demo (德州市养老服务条例), by a short key.
_PLAN = {
    "fund_plan": "市、县（市、区）人民政府应当将养老服务工作纳入本地区国民经济和社会发展规划，"
                 "制定养老服务专项规划和年度计划。",
    "fund_budget": "市、县（市、区）人民政府应当将养老服务经费列入同级财政预算，建立与养老服务需求相适应的"
                   "经费保障机制，健全完善与养老服务相关的社会保障制度。",
    "ltc": "市、县（市、区）人民政府及有关部门应当建立健全老年人长期照护服务制度。探索建立长期护理保险制度，"
           "为老年人提供长期护理服务。鼓励发展商业性护理保险产品，满足参保老年人个性化照护服务需求。",
    "supervision": "市、县（市、区）民政部门应当会同公安、市场监管、应急、卫生健康等部门建立跨部门协同监管机制，"
                   "完善事中事后监管制度，对本行政区域内养老服务活动依法进行监督检查，发现违法行为的，应当及时查处。",
    "lottery": "市、县（市、区）人民政府应当加大对养老服务发展的财政支持，设立养老服务发展专项资金。"
               "市、县级地方留成的福利彩票公益金百分之五十五以上应当用于支持发展养老服务，"
               "并随着老年人口的增加和经济社会发展，逐步提高投入比例。",
    "rural_care": "市、县（市、区）人民政府应当健全农村留守老年人关爱服务体系，村民委员会协助做好辖区内"
                  "留守老年人基本信息摸查、定期探访等工作，及时了解留守老年人生活状况和家庭赡养责任落实情况，"
                  "提供相应援助。将关爱服务纳入村规民约，推动形成孝敬父母、尊重老人、互帮互助、邻里相亲的"
                  "良好社会风尚。",
    "subsidy": "市、县（市、区）人民政府应当按照国家和省的有关规定，建立健全经济困难老年人补贴制度。"
               "根据养老服务需求评估结果，对经济困难的失能或者部分失能老年人给予相应补贴。",
    "priority": "市、县（市、区）人民政府应当通过补贴、补助、购买服务等方式，优先保障经济困难的高龄独居、"
                "失能或者部分失能、计划生育特殊家庭、农村留守等老年人的社区居家养老服务需求。",
    "training": "市、县（市、区）教育体育、人力资源社会保障部门应当将养老服务专业人才培养纳入教育培训规划，"
                "鼓励支持高等院校、职业学校、技工学校和培训机构开设老年医学、健康养老、康复、护理等养老服务"
                "相关专业或者培训项目，在养老服务组织、医疗卫生机构建立教学实习基地，培养养老服务专业人才。",
    "community": "市、县（市、区）人民政府应当积极培育发展社区居家养老服务组织，支持社区居家养老服务组织"
                 "跨地区、规模化、专业化发展，支持家政服务、物业服务企业拓展服务领域，开展社区居家养老服务。",
    "home_services": "社区居家养老服务应当以居家老年人的服务需求为导向，坚持自愿选择、就近便利、安全优质、"
                     "价格合理的原则。社区居家养老服务主要包括下列内容：",
    # Two plan paragraphs that implement none of the demo directives.
    "facilities_land": "任何组织和个人不得擅自改变养老服务设施建设用地用途或者养老服务设施使用性质，"
                       "不得侵占、损害或者擅自拆除养老服务设施。",
    "closure": "养老机构的设立应当符合国家和省有关规定，依法办理登记、备案等相关手续。",
}


@dataclass(frozen=True)
class Judged:
    """One directive of the demo as a reviewer judged it; ``matches`` are (plan key, score, terms)."""

    document: str
    text: str
    status: Status
    confidence: float
    strength: int
    actions: tuple[str, ...] = ()
    matches: tuple[tuple[str, float, tuple[str, ...]], ...] = ()
    note: str = ""


_DIRECTIVES = (
    Judged(LAW, "各级人民政府应当将老龄事业纳入国民经济和社会发展规划，将老龄事业经费列入财政预算，"
                "建立稳定的经费保障机制，并鼓励社会各方面投入，使老龄事业与经济、社会协调发展。",
           "covered", 0.93, 3, ("纳入", "列入", "建立", "鼓励"),
           (("fund_plan", 0.91, ("国民经济和社会发展规划",)),
            ("fund_budget", 0.86, ("财政预算", "经费保障机制")))),
    Judged(LAW, "国家逐步开展长期护理保障工作，保障老年人的护理需求。",
           "partial", 0.64, 2, ("开展", "保障"),
           (("ltc", 0.62, ("长期护理", "护理")),)),
    Judged(LAW, "地方各级人民政府加强对本行政区域养老机构管理工作的领导，建立养老机构综合监管制度。",
           "covered", 0.81, 2, ("加强", "建立"),
           (("supervision", 0.77, ("监管", "本行政区域")),)),
    Judged(LAW, "制定法律、法规、规章和公共政策，涉及老年人权益重大问题的，应当听取老年人和老年人组织的意见。",
           "missing", 0.88, 3, ("听取",)),
    Judged(SHANDONG, "本条例所称老年人是指六十周岁以上的公民。",
           "out_of_scope", 0.97, 1, note="定义性条款，无需下级落实。"),
    Judged(SHANDONG, "各级社会福利彩票公益金中的本级留成公益金，应当按照一定比例用于支持养老服务业发展。",
           "covered", 0.9, 3, ("用于",),
           (("lottery", 0.88, ("彩票公益金", "留成", "用于支持")),)),
    Judged(SHANDONG, "本省加强人口老龄化省情教育，开展敬老、养老、助老的宣传教育活动，支持老龄科学研究，"
                     "逐步建立老年人状况统计调查和发布制度，增强全社会积极应对人口老龄化意识。",
           "missing", 0.72, 2, ("加强", "开展", "支持", "建立", "增强"),
           (("rural_care", 0.21, ("老年人",)),)),
    Judged(SHANDONG, "逐步建立和完善具有本省户籍的八十周岁以上老年人高龄津贴制度，具体办法由省人民政府制定。",
           "missing", 0.9, 2, ("建立", "完善")),
    Judged(SHANDONG, "各级人民政府对经济困难的老年人，逐步给予养老服务补贴；对生活长期不能自理、经济困难的老年人，"
                     "根据其失能程度等情况给予护理补贴。",
           "covered", 0.87, 2, ("给予",),
           (("subsidy", 0.84, ("经济困难", "补贴", "失能")),
            ("priority", 0.55, ("经济困难", "补贴")))),
    Judged(SHANDONG, "有条件的地方应当逐步建立长期医疗护理保险制度。",
           "partial", 0.61, 3, ("建立",),
           (("ltc", 0.66, ("护理保险制度",)),)),
    Judged(SHANDONG, "高等学校、中等职业学校和职业培训机构应当积极创造条件，设置与养老服务、养老产业等相关的"
                     "专业或者培训项目，培养养老服务与管理专业人才。",
           "covered", 0.85, 3, ("设置", "培养"),
           (("training", 0.83, ("培训项目", "专业人才", "培训机构")),)),
    Judged(SHANDONG, "各级人民政府和有关部门应当采取措施，发展城乡社区养老服务，引导、扶持专业服务机构以及其他"
                     "组织和个人，为居家老年人提供生活照料、紧急救援、文化娱乐、医疗护理、精神慰藉、心理咨询、"
                     "法律咨询等服务。",
           "covered", 0.79, 3, ("发展", "引导", "扶持", "提供"),
           (("community", 0.74, ("社区", "养老服务")),
            ("home_services", 0.69, ("居家老年人", "服务")))),
)


def demo_report() -> Report:
    """The hand-made demo report: 12 directives (6 covered, 2 partial, 3 missing, 1 out of scope),
    13 plan units (3 implementing none) and 1 failure."""
    law, shandong, dezhou = demo_documents()
    docs = {d.id: d for d in (law, shandong, dezhou)}
    plan = {key: unit_at(dezhou, text) for key, text in _PLAN.items()}
    results = []
    implements: dict[str, list[tuple[str, float]]] = {u.id: [] for u in plan.values()}
    for judged in _DIRECTIVES:
        unit = unit_at(docs[judged.document], judged.text)
        directive = Directive(unit=unit, strength=judged.strength, actions=judged.actions)
        found = tuple(
            Match(unit=plan[key], score=score, evidence=evidence(unit, plan[key], terms))
            for key, score, terms in judged.matches
        )
        results.append(
            DirectiveResult(directive=directive, status=judged.status, confidence=judged.confidence,
                            matches=found, note=judged.note)
        )
        if judged.status in ("covered", "partial"):
            for m in found:
                implements[m.unit.id].append((directive.id, m.score))
    plan_units = tuple(
        PlanUnitResult(unit=u, directives=tuple(sorted(implements[u.id], key=lambda p: -p[1])))
        for u in sorted(plan.values(), key=lambda u: u.char_start)
    )
    failure = Failure(
        path="corpus/pdf/guangdong-budget-report-2025-annex1-glossary-excerpt-no-text-layer.pdf",
        message="pages 1-2 have no usable text layer and OCR is not available "
        "(pip install 'policy-align[ocr]' to read scanned pages)",
    )
    return Report(
        documents=(law, shandong, dezhou),
        directives=tuple(results),
        plan_units=plan_units,
        method="fixture: hand-labelled pairs",
        embedder="none",
        failures=(failure,),
        created=CREATED,
    )


SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="x'


def xss_report() -> Report:
    """A directive and a plan passage whose texts try to inject a script tag and an attribute."""
    d_text = f"第一条 各级人民政府应当{SCRIPT}建立养老服务补贴制度{ATTRIBUTE}。"
    p_text = f"第一条 市人民政府应当建立养老服务补贴制度{SCRIPT}，{ATTRIBUTE} 并逐年提高标准。"
    docs = []
    units = []
    for doc_id, title, level, role, text in (
        ("evil-directive", f"上级文件{SCRIPT}", "provincial", "directive", d_text),
        ("evil-plan", f"规划{ATTRIBUTE}", "municipal", "plan", p_text),
    ):
        doc = Document(
            id=doc_id,
            path=f"{doc_id}.txt",
            format="txt",
            text=text,
            pages=(PageSpan(1, 0, len(text)),),
            meta=DocumentMeta(title=title, level=level, role=role),
        )
        docs.append(doc)
        units.append(
            Unit(
                id=f"{doc_id}:0",
                document=doc_id,
                kind="article",
                text=text,
                char_start=0,
                char_end=len(text),
                page=1,
                section_path=("第一条",),
                context=SCRIPT,
            )
        )
    terms = ("养老服务补贴制度", "script", 'onmouseover="x')
    match = Match(unit=units[1], score=0.8, evidence=evidence(units[0], units[1], terms))
    result = DirectiveResult(
        directive=Directive(unit=units[0], strength=3, actions=("建立",)),
        status="covered",
        confidence=0.9,
        matches=(match,),
        note=SCRIPT,
    )
    return Report(
        documents=tuple(docs),
        directives=(result,),
        plan_units=(PlanUnitResult(unit=units[1], directives=((units[0].id, 0.8),)),),
        method=SCRIPT,
        embedder=ATTRIBUTE,
        failures=(Failure(path=f"{SCRIPT}.pdf", message=ATTRIBUTE),),
        created=CREATED,
    )


# --- the full-size report -------------------------------------------------------------------
_PARAGRAPH = re.compile(r"(?m)^[^\n]+$")
_PUNCT = set("，。；：、（）《》“”〈〉？！　 ")


def paragraphs(doc: Document) -> list[Unit]:
    """Every body paragraph of ``doc`` from the first 第一条 on (headings and blank lines skipped,
    surrounding whitespace left out of the span)."""
    first = ARTICLE.search(doc.text)
    units = []
    for m in _PARAGRAPH.finditer(doc.text, first.start() if first else 0):
        line = m.group(0)
        body = line.strip()
        if not body or CHAPTER.match(body) or SECTION.match(body):
            continue
        start = m.start() + len(line) - len(line.lstrip())
        units.append(unit_span(doc, start, start + len(body)))
    return units


def _bigrams(text: str) -> set[str]:
    pairs = (text[i:i + 2] for i in range(len(text) - 1))  # noqa: E226
    return {p for p in pairs if not (_PUNCT & set(p))}


def _shared_terms(a: str, b: str, *, limit: int = 5) -> tuple[str, ...]:
    """Maximal substrings of ``a`` (3+ characters, no punctuation) that occur in ``b``, longest first."""
    terms: list[str] = []
    i = 0
    while i < len(a):
        j = i
        while j < len(a) and a[j] not in _PUNCT and a[i:j + 1] in b:  # noqa: E226
            j += 1
        if j - i >= 3:
            terms.append(a[i:j])
            i = j
        else:
            i += 1
    unique = list(dict.fromkeys(terms))
    return tuple(sorted(unique, key=len, reverse=True)[:limit])


def large_report() -> Report:
    """Every paragraph of the law and the Shandong 条例 against every paragraph of the Dezhou 条例."""
    law, shandong, dezhou = demo_documents()
    # Paragraphs start at the first 第一条, after the title, preamble and table of contents.
    directives = paragraphs(law) + paragraphs(shandong)
    plan = paragraphs(dezhou)
    plan_grams = [_bigrams(u.text) for u in plan]
    results = []
    implements: dict[str, list[tuple[str, float]]] = {u.id: [] for u in plan}
    for unit in directives:
        grams = _bigrams(unit.text)
        scored = sorted(
            ((2 * len(grams & g) / (len(grams) + len(g) or 1), p) for p, g in zip(plan, plan_grams)),
            key=lambda x: -x[0],
        )[:5]
        best = scored[0][0]
        status = "covered" if best >= 0.4 else "partial" if best >= 0.25 else "missing"
        if len(unit.text) < 25 and best < 0.25:
            status = "out_of_scope"
        matches = []
        for score, p in scored:
            terms = _shared_terms(unit.text, p.text)
            matches.append(Match(unit=p, score=round(score, 4), evidence=evidence(unit, p, terms)))
            if status in ("covered", "partial") and score >= 0.25:
                implements[p.id].append((unit.id, round(score, 4)))
        strength = 3 if ("应当" in unit.text or "必须" in unit.text) else 1 if "鼓励" in unit.text else 2
        results.append(
            DirectiveResult(
                directive=Directive(unit=unit, strength=strength),
                status=status,
                confidence=round(min(0.5 + abs(best - 0.3), 1.0), 4),
                matches=tuple(m for m in matches if m.score > 0),
            )
        )
    plan_units = tuple(
        PlanUnitResult(unit=u, directives=tuple(sorted(implements[u.id], key=lambda p: -p[1]))) for u in plan
    )
    return Report(
        documents=(law, shandong, dezhou),
        directives=tuple(results),
        plan_units=plan_units,
        method="fixture: character-bigram overlap",
        embedder="none",
        created=CREATED,
    )
