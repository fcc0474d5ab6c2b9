"""The workbench app through Flask's test client: pages, filters, decisions, exports and its defences."""
from __future__ import annotations

import io
import json
import re
from urllib.parse import quote

import openpyxl
import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser

from alignment.cli import cli
from alignment.errors import ConfigError
from alignment.report import RENDERERS
from alignment.store import Store
from report.fixtures import ATTRIBUTE, SCRIPT, xss_report

from .conftest import GAP_TEXT, review_report

pytestmark = pytest.mark.web
flask = pytest.importorskip("flask", reason="needs the web extra: pip install 'policy-align[web]'")

from alignment.web import check_bind, create_app  # noqa: E402

LOCAL = {"Host": "127.0.0.1:8765"}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "store.db") as s:
        s.record_report(review_report())
        yield s


@pytest.fixture
def client(store):
    app = create_app(store, reviewer="张三")
    return app.test_client()


def page(client, url: str) -> str:
    res = client.get(url, headers=LOCAL)
    assert res.status_code == 200, res.data.decode()[:500]
    return res.data.decode("utf-8")


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def gap(store) -> tuple[str, list[str]]:
    r = next(r for r in store.load_report().directives if r.directive.unit.text.startswith(GAP_TEXT))
    return r.directive.id, [m.unit.id for m in r.matches]


def test_dashboard_shows_coverage_in_chinese(client):
    html = page(client, "/")
    tree = LexborHTMLParser(html)
    assert tree.css_first("html").attributes["lang"] == "zh-CN"
    assert "覆盖情况（复核后）" in html
    assert tree.css_first("#card-missing b").text() == "3"
    for title in ("按上级文件", "按层级", "按章节", "山东省老年人权益保障条例", "最近的运行"):
        assert title in html


def test_the_gap_list_and_the_decision_filter(client, store):
    tree = LexborHTMLParser(page(client, "/directives?status=missing"))
    assert tree.css_first("h1").text() == "未覆盖要求"
    assert [r.attributes["class"] for r in tree.css("tr.dir")] == ["dir missing"] * 3
    did, (first, _) = gap(store)
    store.record_decision(did, "accept", reviewer="张三", unit_id=first)
    tree = LexborHTMLParser(page(client, "/directives?decision=accept"))
    assert [r.attributes["data-id"] for r in tree.css("tr.dir")] == [did]
    assert "采纳 · 张三" in tree.css_first("tr.dir").text()
    assert len(LexborHTMLParser(page(client, "/directives?status=missing")).css("tr.dir")) == 2


def test_a_directive_beside_its_candidates_with_shared_terms_marked(client, store):
    did, units = gap(store)
    tree = LexborHTMLParser(page(client, "/directive?id=" + quote(did)))
    assert GAP_TEXT in tree.css_first("#directive-text").text()
    candidates = tree.css("#candidates .match")
    assert [c.attributes["data-unit"] for c in candidates] == units
    assert candidates[0].css_first("mark").text() == "老年人"
    assert {b.attributes["data-action"] for b in candidates[0].css("button")} == {"accept", "reject"}


def test_places_are_lines_in_a_text_file_not_page_1(client, store):
    # The demo documents are TXT files: no pages, so the workbench gives the line, as the reports do.
    did, _ = gap(store)
    tree = LexborHTMLParser(page(client, "/directive?id=" + quote(did)))
    assert "第一章 第十条 · 第46行" in tree.css_first(".dhead").text()
    assert tree.css_first("#candidates .match .mhead").text().strip().endswith("第三章 第三节 第三十六条 · 第160行")
    listing = page(client, "/directives?status=missing")
    assert "第一章 第十条 · 第46行" in listing and "第1页" not in listing


def test_accept_and_reject_through_forms_persist(client, store):
    did, (first, second) = gap(store)
    url = "/directive?id=" + quote(did)
    html = page(client, url)
    for action, unit in (("accept", first), ("reject", second)):
        res = client.post("/decide", headers=LOCAL, data={"csrf_token": csrf(html), "directive_id": did,
                                                          "unit_id": unit, "action": action, "next": url})
        assert res.status_code == 302 and res.headers["Location"] == url
    decided = [(d.action, d.unit_id, d.reviewer) for d in store.decisions()]
    assert decided == [("accept", first, "张三"), ("reject", second, "张三")]
    tree = LexborHTMLParser(page(client, url))
    assert tree.css_first("#status").text() == "已覆盖"
    assert [m.attributes["class"] for m in tree.css("#candidates .match")] == ["match accept", "match reject"]
    assert [f.text() for f in tree.css(".flash")] == ["已保存：采纳", "已保存：驳回"]
    assert len(tree.css("#history tbody tr")) == 2


def test_a_relink_rejects_one_passage_and_adds_another(client, store):
    did, (first, _) = gap(store)
    other = store.load_report().plan_units[0].unit.id
    html = page(client, "/directive?id=" + quote(did))
    client.post("/decide", headers=LOCAL, data={"csrf_token": csrf(html), "directive_id": did, "action": "relink",
                                                "old_unit_id": first, "unit_id": other, "comment": "应为总则条款"})
    assert [(d.action, d.unit_id) for d in store.decisions()] == [("reject", first), ("add", other)]


def test_comment_and_out_of_scope(client, store):
    did, _ = gap(store)
    html = page(client, "/directive?id=" + quote(did))
    client.post("/decide", headers=LOCAL, data={"csrf_token": csrf(html), "directive_id": did,
                                                "action": "out_of_scope", "comment": ""})
    client.post("/decide", headers=LOCAL, data={"csrf_token": csrf(html), "directive_id": did,
                                                "action": "comment", "comment": "宣传教育由省里统一部署"})
    tree = LexborHTMLParser(page(client, "/directive?id=" + quote(did)))
    assert tree.css_first("#status").text() == "不适用"
    assert tree.css_first("#note").text() == "张三（不适用）\n张三（意见）：宣传教育由省里统一部署"


def test_a_post_without_the_csrf_token_is_refused(client, store):
    did, (first, _) = gap(store)
    page(client, "/")  # the session has a token, but the form does not send it
    res = client.post("/decide", headers=LOCAL, data={"directive_id": did, "unit_id": first, "action": "accept"})
    assert res.status_code == 400
    assert "CSRF 校验失败" in res.data.decode()
    res = client.post("/decide", headers=LOCAL, data={"csrf_token": "forged", "directive_id": did,
                                                      "unit_id": first, "action": "accept"})
    assert res.status_code == 400
    assert store.decisions() == []


def test_a_cross_site_post_is_refused_even_with_the_token(client, store):
    did, (first, _) = gap(store)
    token = csrf(page(client, "/"))
    res = client.post("/decide", headers={**LOCAL, "Origin": "http://evil.example"},
                      data={"csrf_token": token, "directive_id": did, "unit_id": first, "action": "accept"})
    assert res.status_code == 403
    assert store.decisions() == []


def test_a_foreign_host_name_is_refused_without_a_token(client):
    res = client.get("/", headers={"Host": "attacker.example:8765"})
    assert res.status_code == 400
    assert "DNS 重绑定" in res.data.decode()
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_with_a_token_every_visitor_must_give_it_once(store):
    client = create_app(store, token="s3cret").test_client()
    assert client.get("/", headers={"Host": "10.0.0.5:8765"}).status_code == 401
    assert client.get("/?token=wrong", headers={"Host": "10.0.0.5:8765"}).status_code == 401
    res = client.get("/directives?status=missing&token=s3cret", headers={"Host": "10.0.0.5:8765"})
    assert res.status_code == 302 and res.headers["Location"] == "/directives?status=missing"
    assert client.get("/", headers={"Host": "10.0.0.5:8765"}).status_code == 200  # the session remembers
    fresh = create_app(store, token="s3cret").test_client()
    assert fresh.get("/", headers={"Host": "10.0.0.5", "Authorization": "Bearer s3cret"}).status_code == 200


def test_binding_off_loopback_needs_a_token():
    with pytest.raises(ConfigError) as err:
        check_bind("0.0.0.0", None)
    assert str(err.value).startswith("拒绝在 0.0.0.0 上监听：能访问该地址的任何人都能读取文件并修改复核意见。")
    check_bind("0.0.0.0", "s3cret")
    check_bind("127.0.0.1", None)
    check_bind("::1", None)
    check_bind("localhost", None)


def test_serve_refuses_a_public_bind_from_the_command_line(store, monkeypatch):
    monkeypatch.delenv("POLICY_ALIGN_TOKEN", raising=False)
    res = CliRunner().invoke(cli, ["serve", "--store", str(store.path), "--host", "0.0.0.0"])
    assert res.exit_code == 1
    assert res.output == ("Error: 拒绝在 0.0.0.0 上监听：能访问该地址的任何人都能读取文件并修改复核意见。"
                          "请设置访问令牌（--token 或 POLICY_ALIGN_TOKEN），或保持 --host 127.0.0.1。\n")


def test_serve_without_a_store_says_how_to_make_one(tmp_path):
    missing = tmp_path / "none.db"
    res = CliRunner().invoke(cli, ["serve", "--store", str(missing)])
    assert res.exit_code == 1
    assert res.output.strip() == (f"Error: 找不到复核库 {missing}：请先运行 `policy-align report --store {missing} ...` "
                                  "创建，或用 --store PATH 指定已有的复核库。")


def test_every_response_forbids_inline_script_and_framing(client):
    res = client.get("/", headers=LOCAL)
    assert "script-src 'self'" in res.headers["Content-Security-Policy"]
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    cookie = res.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_export_of_the_current_view_carries_the_decisions(client, store):
    did, (first, second) = gap(store)
    store.record_decision(did, "accept", reviewer="张三", unit_id=first, comment="已在第二十条落实")
    res = client.get("/export.xlsx?status=covered", headers=LOCAL)
    assert res.status_code == 200 and "policy-align-review.xlsx" in res.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(res.data))["对照表"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert all(r[3] == "已覆盖" for r in rows)
    row = next(r for r in rows if r[2].startswith(GAP_TEXT))
    override, decision = row[8].splitlines()  # 备注: the override, then the decision with its comment
    assert override == "张三 复核，机器判断为未覆盖"
    assert decision.endswith("：已在第二十条落实") and decision.startswith("张三（采纳")
    data = json.loads(client.get("/export.json?decision=accept", headers=LOCAL).data)
    assert [d["id"] for d in data["directives"]] == [did]
    assert data["directives"][0]["matches"][0]["review"]["comment"] == "已在第二十条落实"


def test_document_text_is_escaped_on_every_page_and_in_the_html_report(tmp_path):
    with Store.open(tmp_path / "xss.db") as store:
        store.record_report(xss_report())
        did = store.load_report().directives[0].directive.id
        store.record_decision(did, "comment", reviewer=f"张三{ATTRIBUTE}", comment=SCRIPT)
        client = create_app(store).test_client()
        for url in ("/", "/directives", "/directive?id=" + quote(did), "/decisions", "/export.json"):
            html = client.get(url, headers=LOCAL).data.decode("utf-8")
            if url.endswith(".json"):
                assert SCRIPT in json.loads(html)["directives"][0]["text"]
                continue
            assert SCRIPT not in html and 'onmouseover="x' not in html, url
            tree = LexborHTMLParser(html)
            assert [s.attributes.get("src") for s in tree.css("script")] == ["/static/app.js"], url
            assert not any("onmouseover" in n.attributes for n in tree.css("*")), url
        text = LexborHTMLParser(client.get("/directive?id=" + quote(did), headers=LOCAL).data.decode()).body.text()
        assert SCRIPT in text and ATTRIBUTE in text  # shown as text
        out = io.StringIO()
        RENDERERS["html"](store.load_report(), out)
        report = out.getvalue()
        assert SCRIPT not in report.replace("<script>\n(function", "")  # only the report's own script
        tree = LexborHTMLParser(report)
        assert len(tree.css("script")) == 1
        assert not any("onmouseover" in n.attributes for n in tree.css("*"))
        assert f"张三{ATTRIBUTE}（意见）：{SCRIPT}" in tree.css_first(".note").text()


def test_the_query_box_searches_the_plan_of_the_latest_run(tmp_path):
    import shutil

    from alignment.pipeline import Engine, run_report
    from report.fixtures import CORPUS, DEZHOU, SHANDONG

    d = shutil.copy(CORPUS / "provincial" / f"{SHANDONG}.txt", tmp_path)
    p = shutil.copy(CORPUS / "municipal" / f"{DEZHOU}.txt", tmp_path)
    with Store.open(tmp_path / "s.db") as store:
        run_report([d], [p], engine=Engine(embedder="lexical"), store=store)
        client = create_app(store).test_client()
        tree = LexborHTMLParser(page(client, "/query?q=" + quote("对经济困难的老年人给予养老服务补贴")))
        found = tree.css(".match")
        assert len(found) == 8
        assert "经济困难" in found[0].css_first("p.text").text()
        assert found[0].css_first("mark") is not None
