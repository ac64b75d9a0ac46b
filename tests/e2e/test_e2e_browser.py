"""End-to-end: what a user does, in headless Chromium (Debian's /usr/bin/chromium driven by Playwright)
against the app served by waitress (the `live_server` fixture). Screenshots go to tests/artifacts/.

Skipped only when /usr/bin/chromium is missing (`make test` installs it with apt-get).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"

pytestmark = [
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    # nothing may come from outside the app (no CDN): abort any request to another origin
    external = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            return route.continue_()
        external.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()
    assert not external, f"requests outside the app: {external}"


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_search_coa_open_it_and_follow_a_link(page):
    page.goto("/")
    shot(page, "home")
    page.fill("#q", "COA")
    first = page.locator("#q-suggestions li a").first
    first.wait_for()
    shot(page, "autocomplete")
    assert "Centraal Orgaan opvang asielzoekers" in first.inner_text()
    first.click()
    page.wait_for_url("**/id/organisatie/coa")
    assert page.locator("h1").inner_text() == "Centraal Orgaan opvang asielzoekers"
    assert page.locator("section.provenance").is_visible()
    shot(page, "organisation-coa")
    # follow a link: the section the organisation is derived from
    page.locator("section.provenance a").first.click()
    page.wait_for_url("**/id/bron/staat-van-migratie-2025/sectie/**")
    assert page.locator("h1").inner_text()
    # keyboard: the search form works without the mouse and without the autocomplete
    page.goto("/search?q=coa")
    assert page.locator(".hit-group h2").first.inner_text().startswith("organisaties")


def test_network_click_a_node(page):
    page.goto("/netwerk")
    page.wait_for_selector("#cy[data-ready='true']")
    shot(page, "network")
    pos = page.evaluate("""() => {
        const cy = window.mkgNetwork; const n = cy.getElementById('https://w3id.org/migratie-kg/id/organisatie/ind');
        const p = n.renderedPosition(); const box = document.getElementById('cy').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y, visible: n.length > 0};
    }""")
    assert pos["visible"]
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_url("**/id/organisatie/ind")
    assert "Immigratie- en Naturalisatiedienst" in page.locator("h1").inner_text()


def test_path_from_kmar_to_dtenv(page):
    page.goto("/pad")
    page.fill("#van", "KMar")
    page.fill("#naar", "DTenV")
    page.click("form.path-form button")
    page.wait_for_selector("li.hop")
    shot(page, "path-kmar-dtenv")
    text = page.locator("section.path").first.inner_text()
    assert "Koninklijke Marechaussee" in text and "Dienst Terugkeer en Vertrek" in text


def test_trace_the_asylum_procedure(page):
    page.goto("/procedures")
    page.get_by_role("link", name="Asielprocedure", exact=True).click()
    page.wait_for_url("**/id/procedure/asielprocedure")
    lanes = page.locator("table.lanes thead th")
    assert lanes.count() >= 3
    headers = " ".join(lanes.all_inner_texts())
    assert "Immigratie- en Naturalisatiedienst" in headers and "Dienst Terugkeer en Vertrek" in headers
    assert "Aanmelding" in page.locator("table.lanes tbody tr").first.inner_text()
    shot(page, "procedure-asiel")


def test_open_a_dataset_and_download_its_csv(page):
    page.goto("/statistiek")
    page.locator("a[href$='/id/dataset/figuur-53']").first.click()
    page.wait_for_url("**/id/dataset/figuur-53")
    assert page.locator("figure.chart svg rect").count() > 0
    shot(page, "dataset-figuur-53")
    with page.expect_download() as info:
        page.locator("section.panel a[download]").click()
    content = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:1] == ["categorie"] and any(r[0] == "Totaal" and "50.720" in r for r in rows)


def test_load_an_example_query_and_run_it(page):
    page.goto("/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator("button.example", has_text="Organisaties met hun afkortingen").click()
    assert "skos:altLabel" in page.evaluate("() => window.mkgEditor.getTab().getQuery()")
    page.locator(".yasqe_queryButton").click()
    page.wait_for_selector(".yasr table tbody tr")
    shot(page, "sparql-editor")
    rows = page.locator(".yasr table tbody tr").count()
    assert rows >= 10
    # entity IRIs link to this browser
    assert page.locator(".yasr a[href^='/id/organisatie/']").count() > 0
