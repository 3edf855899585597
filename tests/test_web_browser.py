"""The dashboard in Debian's headless chromium driven by Playwright: map, filters, evidence, intercept desk, documents.

Each test saves a screenshot under test-artifacts/. Requests to anything but the local server are aborted, so the
map is checked on its offline base layer (Natural Earth outlines), as it would look with no network.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import httpx
import pytest

from test_web_api import IMG, SCRIPT, build_database, start  # same database recipe as the API tests

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
LOAD_TIMES: dict[str, float] = {}

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover
    sync_playwright = None

if sync_playwright is None:
    pytest.skip("playwright is not installed (pip install playwright; no browser download needed)",
                allow_module_level=True)
if not Path(CHROMIUM).exists():
    pytest.skip(f"Debian's chromium is missing at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = start(build_database(tmp_path_factory.mktemp("webui")))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    # bypass_csp: Playwright's wait_for_function evaluates strings, which the server's CSP forbids; it also means
    # the escaping checks below hold without the CSP's help
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.route(lambda url: not url.startswith(server.url), lambda route: route.abort())  # offline: local server only
    pg.errors = errors
    yield pg
    ctx.close()
    assert not errors, errors


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def open_map(pg, server, query: str = "") -> float:
    t0 = time.perf_counter()
    pg.goto(server.url + "/" + query)
    pg.wait_for_selector("body[data-loaded='1']", timeout=20000)
    return time.perf_counter() - t0


def zoom_to(pg, lat: float, lon: float, zoom: int = 12) -> None:
    """Zoom in as a user would, so neighbouring towns' markers no longer overlap, and wait for the reload."""
    pg.evaluate("document.body.dataset.loaded = '0'")
    pg.evaluate(f"window.sitrepMap.setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    pg.wait_for_selector("body[data-loaded='1']", timeout=20000)


def markers(pg) -> int:
    return pg.locator("path.ev-marker").count()


def test_map_shows_markers_for_the_seed_examples(page, server, api):
    elapsed = open_map(page, server)
    LOAD_TIMES["map"] = elapsed
    expected = api.get("/api/aggregate/map", params={"zoom": 6}).json()
    assert expected["mode"] == "points" and expected["total"] > 10
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {expected['total']}")
    assert markers(page) == expected["total"]
    assert page.inner_text("#match-count") == str(expected["total"])
    # the offline base layer: Natural Earth country and oblast outlines drawn as SVG paths under the markers
    page.wait_for_selector("body[data-outlines][data-oblasts='27']")
    assert page.locator(".leaflet-base-pane path").count() > 27
    assert page.locator(".leaflet-base-pane path.ev-marker").count() == 0
    # colour by type, outline by side
    fill = page.locator("path.type-shelling").first.get_attribute("fill")
    assert fill == "#d62728"
    ru = page.locator("path.side-RU").first
    assert ru.get_attribute("stroke") == "#b00020"
    assert page.locator("#timeline rect.bar").count() >= 1
    total = api.get("/api/events", params={"limit": 1}).json()["total"]
    assert total > 50 and page.locator("#event-list li.event-item").count() == 50
    page.click("#more-events")  # the list pages through the server's cursor
    page.wait_for_function(f"document.querySelectorAll('#event-list li.event-item').length === {min(total, 100)}")
    shot(page, "map")


def test_type_filter_changes_what_is_shown(page, server, api):
    open_map(page, server)
    total = api.get("/api/aggregate/map", params={"zoom": 6}).json()["total"]
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {total}")
    shelling = api.get("/api/aggregate/map", params={"zoom": 6, "type": "shelling"}).json()["total"]
    assert 0 < shelling < total
    page.select_option("select[name=type]", "shelling")
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {shelling}")
    assert page.locator("path.ev-marker:not(.type-shelling)").count() == 0
    assert page.inner_text("#match-count") == str(shelling)
    listed = api.get("/api/events", params={"type": "shelling", "limit": 50}).json()["count"]  # placed or not
    assert listed >= shelling
    page.wait_for_function(f"document.querySelectorAll('#event-list li.event-item').length === {listed}")
    assert all("shelling" in t for t in page.locator("#event-list li.event-item").all_inner_texts())
    shot(page, "map-filter-shelling")
    page.select_option("select[name=type]", "")
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {total}")


def test_timeline_brush_filters_the_map(page, server, api):
    open_map(page, server)
    total = api.get("/api/aggregate/map", params={"zoom": 6}).json()["total"]
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {total}")
    days = api.get("/api/aggregate/timeline").json()["days"]
    assert len(days) >= 2
    box = page.locator("#timeline").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + 10)  # brush the second half of the timeline
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + 40, steps=5)
    page.mouse.up()
    page.wait_for_function("document.getElementById('range').textContent.indexOf('→') >= 0")
    since, until = page.inner_text("#range").split(" → ")
    assert since <= until == days[-1]["date"] and since > days[0]["date"]
    expected = api.get("/api/aggregate/map", params={"zoom": 6, "since": since, "until": until}).json()["total"]
    assert 0 < expected < total
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {expected}")
    assert page.inner_text("#match-count") == str(expected)
    shot(page, "map-timeline-brush")
    page.mouse.click(box["x"] + 20, box["y"] + 20)  # a click without a drag clears the brush
    page.wait_for_function(f"document.querySelectorAll('path.ev-marker').length === {total}")
    assert page.inner_text("#range") == "all dates"


def test_clicking_a_marker_shows_the_evidence(page, server, api):
    ev = api.get("/api/events", params={"text": "Popasna", "limit": 1}).json()["events"][0]
    detail = api.get(f"/api/events/{ev['cluster_id']}").json()
    open_map(page, server)
    zoom_to(page, ev["lat"], ev["lon"])
    page.locator(f"path.ev-{ev['cluster_id']}").click()
    page.wait_for_selector("#event-detail .evidence-mark")
    marks = page.locator(".evidence-mark").all_inner_texts()
    assert page.locator(f"path.ev-{ev['cluster_id']}").get_attribute("stroke") == "#000"  # the chosen dot stands out
    assert marks == [r["evidence"]["text"] for r in detail["reports"]]
    panel = page.inner_text("#event-detail")
    for outlet in detail["outlets"]:
        assert outlet in panel
    for c in detail["claimants"]:
        assert c["name"] in panel
    assert detail["statuses"] and all(s in panel for s in detail["statuses"])
    shot(page, "event-evidence")
    page.click("#event-detail a.back")  # back to the list, filters kept
    assert page.locator("#event-list li.event-item").count() > 0 and page.locator("#panel").is_hidden()
    page.locator(f"path.ev-{ev['cluster_id']}").click()
    page.locator("#event-detail .report-head a").first.click()  # the report opens in the document view …
    page.wait_for_selector("#doctext")
    marked = "".join(page.locator("#doctext .marked").all_inner_texts())
    assert marked == detail["reports"][0]["evidence"]["text"]  # … with its evidence sentence marked


def test_intercept_desk_lists_the_seed_intercepts(page, server, api):
    cards = api.get("/api/intercepts").json()["intercepts"]
    t0 = time.perf_counter()
    page.goto(server.url + "/intercepts")
    LOAD_TIMES["intercepts"] = time.perf_counter() - t0
    shown = page.locator("article.intercept")
    assert shown.count() == len(cards) >= 4
    text = page.inner_text("#intercept-cards")
    assert "Security Service of Ukraine (SBU)" in text
    assert "20th Guards Combined Arms Army" in text
    for c in cards:
        card = page.locator(f"article.intercept[data-cluster='{c['cluster_id']}']")
        for q in c["quotes"]:
            assert q["text"] in card.inner_text()
    shot(page, "intercept-desk")


def test_document_view_highlights_items_by_kind(page, server, api):
    ev = api.get("/api/events", params={"text": "Popasna", "limit": 1}).json()["events"][0]
    doc = api.get(f"/api/documents/{ev['document_id']}").json()
    t0 = time.perf_counter()
    page.goto(f"{server.url}/documents/{ev['document_id']}")
    LOAD_TIMES["document"] = time.perf_counter() - t0
    places = [it for it in doc["items"] if it["kind"] == "place"]
    place_text = "".join(page.locator("#doctext .k-place").all_inner_texts())
    for p in places:
        assert doc["text"][p["start"]:p["end"]] in place_text
    assert page.locator("#doctext .k-event").count() >= 1 and page.locator("#doctext .k-quote").count() >= 1
    # highlighted (styled) while its legend box is ticked, plain once unticked
    first_place = page.locator("#doctext .k-place").first
    assert first_place.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"
    page.uncheck("#legend input[data-kind=place]")
    assert first_place.evaluate("e => getComputedStyle(e).borderBottomStyle") == "none"
    page.check("#legend input[data-kind=place]")
    first_place.click()
    assert "place:" in page.inner_text("#item-panel")
    shot(page, "document-view")


def test_script_payloads_render_inert(page, server, api):
    hits = api.get("/api/search", params={"q": "Filashkin"}).json()["results"]
    doc_id = next(h["document_id"] for h in hits if h["kind"] == "document")
    page.goto(f"{server.url}/documents/{doc_id}")
    body = page.inner_text("#doctext")
    assert SCRIPT in body and IMG in body  # shown as text …
    assert page.locator("#doctext script, #doctext img").count() == 0  # … not as elements
    assert page.evaluate("typeof window.__pwned") == "undefined"
    page.locator("#doctext .seg", has_text="Kramatorsk").first.click()
    assert "Kramatorsk" in page.inner_text("#item-panel")
    shot(page, "xss-document")
    ev = api.get("/api/events", params={"text": "onerror", "limit": 1}).json()["events"][0]
    open_map(page, server)
    zoom_to(page, ev["lat"], ev["lon"])
    page.locator(f"path.ev-{ev['cluster_id']}").click()
    page.wait_for_selector("#event-detail .evidence-mark")
    assert IMG in page.inner_text("#event-detail")
    page.locator(f"path.ev-{ev['cluster_id']}").hover(force=True)
    for path in ("/search?q=Filashkin", "/intercepts"):
        page.goto(server.url + path)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    shot(page, "xss-map")


def test_pages_run_under_the_content_security_policy(browser, server, api):
    """Without bypass_csp: the dashboard's own scripts, styles and data files need nothing the CSP forbids."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = ctx.new_page()
    violations: list[str] = []
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    pg.route(lambda url: not url.startswith(server.url), lambda route: route.abort())
    try:
        pg.goto(server.url + "/")
        pg.locator("body[data-loaded='1'][data-oblasts='27']").wait_for(timeout=20000)
        expected = api.get("/api/aggregate/map", params={"zoom": 6}).json()["total"]
        pg.locator("path.ev-marker").nth(expected - 1).wait_for()
        assert pg.locator("path.ev-marker").count() == expected
        for path in ("/intercepts", "/claims", "/upload", "/documents/1", "/docs"):
            pg.goto(server.url + path)
            pg.wait_for_load_state("load")
        pg.locator(".swagger-ui .opblock").first.wait_for(timeout=20000)  # swagger-ui (vendored) renders
        shot(pg, "api-docs")
    finally:
        ctx.close()
    assert not violations, violations


def test_upload_pasted_text_shows_progress_and_the_new_document(page, server, api):
    before = api.get("/api/stats").json()["documents"]
    page.goto(server.url + "/upload")
    page.fill("input[name=title]", "Strike on Sumy")
    page.fill("textarea[name=text]", "Russian forces struck Sumy with guided aerial bombs on Wednesday, killing "
                                     "one civilian, the regional military administration said.")
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-job-state=done]", timeout=120000)
    assert "1 stored" in page.inner_text("#job-status")
    assert page.locator("#job-progress").evaluate("e => e.value") == 1
    page.click("#job-docs a")
    page.wait_for_selector("#doctext")
    assert "Sumy" in page.inner_text("#doctext")
    assert api.get("/api/stats").json()["documents"] == before + 1
    shot(page, "upload-done")


def test_report_page_load_times():
    """The pages above were all loaded and timed (speed itself is measured in bench/bench_web.py; printed with -s)."""
    print("page load times (s):", {k: round(v, 3) for k, v in LOAD_TIMES.items()})
    assert set(LOAD_TIMES) >= {"map", "intercepts", "document"}, LOAD_TIMES
