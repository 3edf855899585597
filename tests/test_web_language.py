"""Language in the API, CLI, exports and dashboard, over a real server holding English examples and Telegram posts
in Ukrainian and Russian (tests/fixtures/telegram, written for these tests); the dashboard checks run in Debian's
chromium through Playwright (skipped where either is missing)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from test_web_api import EXAMPLES, start

ROOT = Path(__file__).resolve().parents[1]
TG = ROOT / "tests" / "fixtures" / "telegram"
CHROMIUM = os.environ.get("SITREP_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    from sitrep.commands_store import run_ingest
    from sitrep.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('lang') / 'lang.db'}"
    store = open_store(url)
    counts = run_ingest(store, [str(EXAMPLES), str(TG)], quiet=True,
                        telegram_usernames={"Северный вестник (тест)": "severny_test"})
    # one error: the export's bare voice message whose recording was left out of the export
    assert counts.errors == 1 and counts.stored >= 14, counts.summary()
    store.close()
    return url


@pytest.fixture(scope="module")
def server(db_url):
    srv = start(db_url)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def api(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def ukrainian_forward(api) -> dict:
    """The Ukrainian post the Russian channel forwarded (HTML export, message 43)."""
    hits = api.get("/api/search", params={"q": "артилерії", "language": "uk"}).json()["results"]
    for h in hits:
        doc = api.get(f"/api/documents/{h['document_id']}").json()
        if doc.get("source_outlet"):
            return doc
    raise AssertionError(hits)


# ---- API -------------------------------------------------------------------------------------------------------
def test_facets_list_the_languages(api):
    assert {"en", "ru", "uk"} <= set(api.get("/api/facets").json()["languages"])


def test_event_language_filter(api):
    everything = api.get("/api/events", params={"limit": 1000}).json()
    english = api.get("/api/events", params={"limit": 1000, "language": "en"}).json()
    assert english["total"] >= 1 and all(e["language"] == "en" for e in english["events"])
    slavic = api.get("/api/events", params={"limit": 1000, "language": "uk,ru"}).json()
    assert all(e["language"] in ("uk", "ru") for e in slavic["events"])
    assert english["total"] + slavic["total"] >= everything["total"]
    assert api.get("/api/events", params={"language": "de"}).json()["total"] == 0
    # the map and the timeline take the same filter
    assert api.get("/api/aggregate/map", params={"zoom": 6, "language": "de"}).json()["total"] == 0
    assert api.get("/api/aggregate/timeline", params={"language": "de"}).json()["days"] == []
    assert sum(d["count"] for d in api.get("/api/aggregate/timeline", params={"language": "en"}).json()["days"]) >= 1


def test_search_claims_and_intercepts_filter_by_language(api):
    uk = api.get("/api/search", params={"q": "Херсон", "language": "uk"}).json()["results"]
    assert uk and all(r["language"] == "uk" for r in uk)
    outlets = {r["outlet"] for r in uk}
    assert outlets == {"Вісті Півдня (тест)", "Северный вестник (тест)"}  # the Russian channel forwarded it
    assert api.get("/api/search", params={"q": "Херсон", "language": "en"}).json()["count"] == 0
    ru = api.get("/api/search", params={"q": "Харькове", "language": "ru"}).json()["results"]
    assert ru and all(r["language"] == "ru" for r in ru)
    claims = api.get("/api/claims", params={"language": "en"}).json()["claims"]
    assert claims and all(c["language"] == "en" for c in claims)
    intercepts = api.get("/api/intercepts", params={"language": "en"}).json()
    assert intercepts["count"] >= 1 and all(c["language"] == "en" for c in intercepts["intercepts"])
    assert api.get("/api/intercepts", params={"language": "de"}).json()["count"] == 0


def test_document_keeps_cyrillic_offsets_english_labels_and_telegram_fields(api):
    doc = ukrainian_forward(api)
    assert doc["language"] == "uk" and doc["outlet"] == "Северный вестник (тест)"
    assert doc["source_outlet"] == "Вісті Півдня (тест)" and doc["telegram"]["forwarded_from"] == "Вісті Півдня (тест)"
    assert doc["url"] == "https://t.me/severny_test/43"
    places = [it for it in doc["items"] if it["kind"] == "place"]
    assert places, doc["items"]
    for p in places:
        assert doc["text"][p["start"]:p["end"]] == "Херсон" and p["label"] == "Kherson"


def test_exports_carry_and_filter_language(api):
    rows = list(csv.DictReader(io.StringIO(api.get("/api/export", params={"format": "csv", "language": "en"}).text)))
    assert rows and {r["language"] for r in rows} == {"en"}
    acled = list(csv.DictReader(io.StringIO(api.get("/api/export", params={"format": "acled-csv"}).text)))
    assert acled and "language" in acled[0] and acled[0]["language"]
    assert api.get("/api/export", params={"format": "jsonl", "language": "de"}).text == ""


def test_pages_show_the_language_filter_and_badges(api):
    index = api.get("/").text
    assert '<select name="language">' in index and '<option value="uk">Ukrainian (uk)</option>' in index
    desk = api.get("/intercepts", params={"language": "en"}).text
    assert 'class="badge lang"' in desk and '<option value="en" selected>' in desk
    assert "No intercepts stored." in api.get("/intercepts", params={"language": "uk"}).text
    search = api.get("/search", params={"q": "Херсон", "language": "uk"}).text
    assert search.count('<span class="badge lang">uk</span>') == 2
    page = api.get(f"/documents/{ukrainian_forward(api)['document_id']}").text
    assert 'lang="uk"' in page and "forwarded from <b>Вісті Півдня (тест)</b>" in page


def test_cli_language_filters(db_url):
    def run(*args) -> list[dict]:
        out = subprocess.run([sys.executable, "-m", "sitrep", *args, "--db", db_url, "-f", "json"], cwd=ROOT,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    events = run("events", "--language", "en")
    assert events and {e["language"] for e in events} == {"en"}
    assert run("events", "--language", "de") == []
    found = run("search", "Херсон", "-l", "uk")
    assert found and {r["language"] for r in found} == {"uk"}
    assert {c["language"] for c in run("claims", "-l", "en")} == {"en"}
    assert {c["language"] for c in run("intercepts", "-l", "en")} == {"en"}


# ---- the dashboard in a real browser ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    sync = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is missing at {CHROMIUM}")
    with sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.route(lambda url: not url.startswith(server.url), lambda route: route.abort())
    yield pg
    ctx.close()
    assert not errors, errors


def shot(pg, name: str) -> None:
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    pg.screenshot(path=str(ROOT / "test-artifacts" / f"{name}.png"))


@pytest.mark.browser
def test_ukrainian_document_view_highlights_cyrillic_spans_with_english_labels(page, server, api):
    doc = ukrainian_forward(api)
    page.goto(f"{server.url}/documents/{doc['document_id']}")
    assert page.get_attribute("#doctext", "lang") == "uk"
    assert page.inner_text("#doc-language") == "Ukrainian"
    assert "forwarded from Вісті Півдня (тест)" in page.inner_text("#doc-meta")
    assert page.inner_text("#doctext") == doc["text"]  # the original text, untouched
    highlighted = page.locator("#doctext .k-place").all_inner_texts()
    assert highlighted and set(highlighted) == {"Херсон"}
    page.locator("#doctext .k-place").first.click()
    assert "place: Kherson" in page.inner_text("#item-panel")  # what sitrep knows, in English
    shot(page, "document-view-uk")


@pytest.mark.browser
def test_dashboard_language_filter_and_column(page, server, api):
    page.goto(server.url + "/")
    page.wait_for_selector("#event-list li.event-item")
    first = api.get("/api/events", params={"limit": 1}).json()["events"][0]
    assert page.locator("#event-list .badge.lang").first.inner_text().lower() == first["language"]
    for lang in ("uk", "en"):
        page.select_option("select[name=language]", lang)
        total = api.get("/api/events", params={"language": lang, "limit": 1}).json()["total"]
        page.wait_for_function(f"document.querySelectorAll('#event-list li.event-item').length === {min(total, 50)}")
        view = page.evaluate("(() => { const b = window.sitrepMap.getBounds(); return [b.getWest(), b.getSouth(), "
                             "b.getEast(), b.getNorth()].map(v => v.toFixed(4)).join(',') + '|' + "
                             "window.sitrepMap.getZoom(); })()")
        box, zoom = view.split("|")
        on_map = api.get("/api/aggregate/map", params={"bbox": box, "zoom": zoom, "language": lang}).json()["total"]
        page.wait_for_function(f"document.getElementById('match-count').textContent === '{on_map}'")
        badges = {t.lower() for t in page.locator("#event-list .badge.lang").all_inner_texts()}
        assert badges <= {lang}
    shot(page, "dashboard-language")
    page.goto(server.url + "/intercepts")
    page.select_option("select[name=language]", "en")
    page.click("form.searchbar button")
    page.wait_for_url("**language=en**")
    cards = api.get("/api/intercepts", params={"language": "en"}).json()["count"]
    assert page.locator("article.intercept").count() == cards >= 1
    assert {t.lower() for t in page.locator("article.intercept .badge.lang").all_inner_texts()} == {"en"}


def test_telegram_metadata_renders_escaped_and_unsafe_links_inert(tmp_path):
    from sitrep.commands_store import run_ingest
    from sitrep.store import open_store

    export = {"name": "<b>Evil</b> channel", "type": "public_channel", "id": 9, "messages": [
        {"id": 1, "type": "message", "date": "2024-06-03T10:00:00", "forwarded_from": "<script>x()</script>",
         "text": [{"type": "text_link", "text": "click", "href": "javascript:alert(1)"}, " Shelling of Sumy today."],
         "text_entities": [{"type": "text_link", "text": "click", "href": "javascript:alert(1)"},
                           {"type": "plain", "text": " Shelling of Sumy today."}]}]}
    (tmp_path / "result.json").write_text(json.dumps(export), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'evil.db'}"
    store = open_store(url)
    assert run_ingest(store, [str(tmp_path / "result.json")], quiet=True).stored == 1
    store.close()
    srv = start(url)
    try:
        html = httpx.get(srv.url + "/documents/1", timeout=30).text
    finally:
        srv.stop()
    assert "<script>x()</script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "click (javascript:alert(1))" in html
