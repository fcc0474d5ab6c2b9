"""End to end in a real headless Chromium against a real `policy-align serve` process."""
from __future__ import annotations

import time
from urllib.parse import quote

import openpyxl
import pytest

from alignment.store import Store
from report.fixtures import ATTRIBUTE, SCRIPT, xss_report

from .conftest import GAP_TEXT, get, review_report

pytestmark = [pytest.mark.web, pytest.mark.browser]
pytest.importorskip("flask", reason="needs the web extra: pip install 'policy-align[web]'")


def _wait_for_file(folder, pattern: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [f for f in folder.glob(pattern) if not f.name.endswith(".crdownload")]
        if done:
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {pattern} downloaded into {folder}: {list(folder.iterdir())}")


def _loads(browser, action) -> None:
    """Do ``action`` (a click or a choice that submits a form) and wait for the next page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    page = browser.find_element(By.TAG_NAME, "html")
    action()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(page))


def test_review_a_gap_in_the_browser(tmp_path, serve, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    path = tmp_path / "store.db"
    with Store.open(path) as store:
        store.record_report(review_report())
    base = serve(path)

    # The dashboard, then the gaps.
    browser.get(base)
    assert browser.title == "概览 · 对标对表"
    assert browser.find_element(By.CSS_SELECTOR, "#card-missing b").text == "3"
    browser.find_element(By.ID, "reviewer").clear()
    browser.find_element(By.ID, "reviewer").send_keys("王审核")
    _loads(browser, browser.find_element(By.CSS_SELECTOR, "form.who button").click)
    _loads(browser, browser.find_element(By.ID, "card-missing").click)
    assert browser.find_element(By.TAG_NAME, "h1").text == "未覆盖要求"
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.dir")
    assert len(rows) == 3 and all(r.get_attribute("class") == "dir missing" for r in rows)
    # The status filter is a real select too: choosing 全部 and back to 未覆盖 gives the same list.
    _loads(browser, lambda: Select(browser.find_element(By.ID, "filter-status")).select_by_value(""))
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.dir")) == 12
    _loads(browser, lambda: Select(browser.find_element(By.ID, "filter-status")).select_by_value("missing"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.dir")) == 3

    # Open the gap and decide on its two candidates.
    _loads(browser, browser.find_element(By.PARTIAL_LINK_TEXT, GAP_TEXT).click)
    assert GAP_TEXT in browser.find_element(By.ID, "directive-text").text
    candidates = browser.find_elements(By.CSS_SELECTOR, "#candidates .match")
    first, second = (c.get_attribute("data-unit") for c in candidates)
    _loads(browser, candidates[0].find_element(By.CSS_SELECTOR, "button[data-action=accept]").click)
    _loads(browser, browser.find_element(
        By.CSS_SELECTOR, f"#candidates .match[data-unit='{second}'] button[data-action=reject]").click)

    # Reload: both decisions are there, from the store.
    _loads(browser, browser.refresh)
    classes = {m.get_attribute("data-unit"): m.get_attribute("class")
               for m in browser.find_elements(By.CSS_SELECTOR, "#candidates .match")}
    assert classes == {first: "match accept", second: "match reject"}
    assert browser.find_element(By.ID, "status").text == "已覆盖"
    history = browser.find_element(By.ID, "history").text
    assert history.count("王审核") == 2 and "采纳" in history and "驳回" in history
    with Store.open(path) as store:
        assert [(d.action, d.unit_id, d.reviewer) for d in store.decisions()] == [
            ("accept", first, "王审核"), ("reject", second, "王审核")]

    # The gap list no longer holds it; export the reviewed directives and find the decisions.
    browser.get(base + "directives?decision=reviewed")
    assert [r.text.split("\n")[0] for r in browser.find_elements(By.CSS_SELECTOR, "tr.dir")] == ["已覆盖"]
    browser.find_element(By.ID, "export-xlsx").click()
    sheet = openpyxl.load_workbook(_wait_for_file(browser.downloads, "*.xlsx"))["对照表"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert rows[0][2].startswith(GAP_TEXT) and rows[0][3] == "已覆盖"
    note = rows[0][8].splitlines()  # 备注: the override, then each decision
    assert note[0] == "王审核 复核，机器判断为未覆盖"
    assert note[1].startswith("王审核（采纳") and note[2].startswith("王审核（驳回")


def test_hostile_document_text_stays_text_in_the_browser(tmp_path, serve, browser):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    path = tmp_path / "xss.db"
    with Store.open(path) as store:
        store.record_report(xss_report())
        did = store.load_report().directives[0].directive.id
    base = serve(path)
    status, _ = get(base)
    assert status == 200
    for url in (base, base + "directives", base + "directive?id=" + quote(did)):
        browser.get(url)
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text  # noqa: B018 - raises when no script ran
        scripts = browser.execute_script("return Array.from(document.scripts).map(s => s.getAttribute('src'))")
        assert scripts == ["/static/app.js"]
        handlers = browser.execute_script(
            "return Array.from(document.querySelectorAll('*')).filter(e => e.hasAttribute('onmouseover')).length")
        assert handlers == 0
    body = browser.find_element(By.TAG_NAME, "body").text
    assert SCRIPT in body and ATTRIBUTE.strip() in body
