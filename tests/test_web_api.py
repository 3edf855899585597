"""The REST API against a real uvicorn server over a temporary SQLite database holding the ingested examples."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
XSS_ARTICLE = {
    "id": "xss-1", "title": f"Shelling {IMG} report", "outlet": f"Evil {SCRIPT} Times", "published": "2024-03-02",
    "text": (f"Russian forces shelled Kramatorsk {SCRIPT} on Saturday, killing two civilians, the regional governor "
             f"Vadym Filashkin said. Several homes in Sloviansk {IMG} were damaged by a missile strike on Saturday, "
             "according to the Ukrainian General Staff."),
}


def build_database(folder: Path) -> str:
    """The bundled examples plus the XSS article, ingested by the real ingest code; returns the database URL."""
    from sitrep.commands_store import run_ingest
    from sitrep.store import open_store

    url = f"sqlite:///{folder / 'web.db'}"
    xss = folder / "xss_article.json"
    xss.write_text(json.dumps(XSS_ARTICLE), encoding="utf-8")
    store = open_store(url)
    counts = run_ingest(store, [str(EXAMPLES), str(xss)], quiet=True)
    assert counts.stored == len(list(EXAMPLES.glob("*.txt"))) + 1, counts.summary()
    store.close()
    return url


def start(url: str, **kwargs):
    from sitrep.web.app import ServerThread, create_app

    return ServerThread(create_app(url, **kwargs)).start()


@pytest.fixture(scope="module")
def db_url(tmp_path_factory) -> str:
    return build_database(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def server(db_url):
    srv = start(db_url)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def xss_document_id(client) -> int:
    hits = client.get("/api/search", params={"q": "Filashkin"}).json()["results"]
    return next(h["document_id"] for h in hits if h["kind"] == "document")


# ---- reading ---------------------------------------------------------------------------------------------------
def test_stats_counts_the_ingested_documents(client):
    r = client.get("/api/stats")
    assert r.status_code == 200
    data = r.json()
    assert data["documents"] == 6
    assert data["event_clusters"] > 10 and data["intercept_clusters"] >= 4


def test_events_page_shape_and_cursor_walks_every_cluster(client):
    total = client.get("/api/stats").json()["event_clusters"]
    seen, cursor, pages = [], None, 0
    while True:
        r = client.get("/api/events", params={"limit": 20, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200
        body = r.json()
        assert body["total"] == total and body["count"] == len(body["events"]) <= 20
        seen += [e["cluster_id"] for e in body["events"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == total
    assert pages == -(-total // 20)
    first = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    for key in ("cluster_id", "date", "type", "lat", "lon", "actor_side", "status", "n_independent", "outlets",
                "claimants", "evidence", "document_id"):
        assert key in first


def test_event_filters_match_the_cli_query(client, db_url):
    from sitrep.store import open_store
    from sitrep.store.queries import EventFilter, event_rows

    store = open_store(db_url)
    for params, f in [({"type": "shelling"}, EventFilter(type="shelling")),
                      ({"side": "RU"}, EventFilter(side="RU")),
                      ({"oblast": "Donetsk"}, EventFilter(oblast="Donetsk")),
                      ({"status": "attributed"}, EventFilter(status="attributed")),
                      ({"text": "Kramatorsk"}, EventFilter(text="Kramatorsk")),
                      ({"near": "48.7389,37.5848", "km": 10}, EventFilter(near=(48.7389, 37.5848), km=10)),
                      ({"since": "2022-04-23", "until": "2022-04-23"}, EventFilter(since="2022-04-23", until="2022-04-23")),
                      ({"min_sources": 2}, EventFilter(min_sources=2))]:
        expected = [r["cluster_id"] for r in event_rows(store, f)]
        body = client.get("/api/events", params={**params, "limit": 1000}).json()
        assert [e["cluster_id"] for e in body["events"]] == expected, params
        assert body["total"] == len(expected), params
    shelling = client.get("/api/events", params={"type": "shelling", "limit": 1000}).json()["events"]
    assert shelling and all(e["type"] == "shelling" for e in shelling)


def test_geojson_is_rfc7946_with_longitude_first(client):
    r = client.get("/api/events", params={"format": "geojson", "limit": 1000})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert set(fc) == {"type", "features"} and fc["type"] == "FeatureCollection" and fc["features"]
    assert int(r.headers["x-total-count"]) >= len(fc["features"]) and "x-next-cursor" not in r.headers
    first = client.get("/api/events", params={"format": "geojson", "limit": 2})
    assert len(first.json()["features"]) <= 2 and first.headers["x-next-cursor"]
    assert 'rel="next"' in first.headers["link"] and "cursor=" in first.headers["link"]
    rows = {e["cluster_id"]: e for e in client.get("/api/events", params={"limit": 1000}).json()["events"]}
    for feat in fc["features"]:
        assert feat["type"] == "Feature" and feat["geometry"]["type"] == "Point"
        lon, lat = feat["geometry"]["coordinates"]
        row = rows[feat["id"]]
        assert (lon, lat) == (round(row["lon"], 6), round(row["lat"], 6))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    # Ukraine: longitude 22–41 E, latitude 44–53 N, so swapped coordinates would show here
    ua = [f for f in fc["features"] if f["properties"]["country"] == "UA"]
    assert ua and all(22 <= f["geometry"]["coordinates"][0] <= 41 and 44 <= f["geometry"]["coordinates"][1] <= 53
                      for f in ua)


def test_event_detail_lists_reports_with_evidence_spans(client):
    ev = client.get("/api/events", params={"text": "Kramatorsk", "limit": 1}).json()["events"][0]
    r = client.get(f"/api/events/{ev['cluster_id']}")
    assert r.status_code == 200
    detail = r.json()
    assert detail["cluster_id"] == ev["cluster_id"] and detail["n_reports"] == len(detail["reports"]) >= 1
    rep = detail["reports"][0]
    doc = client.get(f"/api/documents/{rep['document_id']}").json()
    span = rep["evidence"]
    assert doc["text"][span["start"]:span["end"]] == span["text"]
    assert {"outlets", "claimants", "statuses", "claimed_by_sides"} <= set(detail)
    assert client.get("/api/events/987654").status_code == 404


def test_document_returns_text_and_every_item_with_offsets(client):
    doc_id = client.get("/api/events", params={"limit": 1}).json()["events"][0]["document_id"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    kinds = {it["kind"] for it in doc["items"]}
    assert {"place", "event", "claim"} <= kinds
    for it in doc["items"]:
        assert 0 <= it["start"] < it["end"] <= len(doc["text"])
    places = [it for it in doc["items"] if it["kind"] == "place"]
    assert all(doc["text"][p["start"]:p["end"]].strip() for p in places)
    assert client.get("/api/documents/987654").json() == {"error": "no document 987654"}


def test_intercepts_carry_participants_quotes_and_outlets(client):
    r = client.get("/api/intercepts")
    assert r.status_code == 200
    cards = r.json()["intercepts"]
    assert len(cards) >= 4
    assert any(c["released_by"] and "SBU" in c["released_by"] for c in cards)
    assert any(c["quotes"] for c in cards) and all(c["carried_by"] for c in cards)
    assert any(p.get("unit") for c in cards for p in c["participants"])
    one = client.get("/api/intercepts", params={"limit": 1}).json()
    assert one["count"] == 1 and one["next_cursor"]


def test_claims_search_stats_facets_timeline(client):
    claims = client.get("/api/claims", params={"limit": 5}).json()
    assert claims["count"] == 5 and claims["next_cursor"] and claims["claims"][0]["source"] is not None
    hits = client.get("/api/search", params={"q": "Kharkiv"}).json()
    assert hits["count"] >= 1 and all("Kharkiv".lower() in (h["snippet"] or "").lower() or h["kind"] == "quote"
                                      for h in hits["results"])
    assert client.get("/api/search").status_code == 422
    facets = client.get("/api/facets").json()
    assert "shelling" in facets["types"] and "RU" in facets["sides"]
    days = client.get("/api/aggregate/timeline").json()["days"]
    assert days and all(d["count"] > 0 for d in days) and days == sorted(days, key=lambda d: d["date"])


def test_map_aggregate_points_and_cells(client):
    pts = client.get("/api/aggregate/map", params={"zoom": 6}).json()
    assert pts["mode"] == "points" and pts["total"] == len(pts["points"]) > 10
    with_coords = client.get("/api/events", params={"format": "geojson", "limit": 1000}).json()
    assert pts["total"] == len(with_coords["features"])
    shelling = client.get("/api/aggregate/map", params={"zoom": 6, "type": "shelling"}).json()
    assert 0 < shelling["total"] < pts["total"] and all(p["type"] == "shelling" for p in shelling["points"])
    box = client.get("/api/aggregate/map", params={"zoom": 6, "bbox": "37,48,39,49.5"}).json()
    assert all(37 <= p["lon"] <= 39 and 48 <= p["lat"] <= 49.5 for p in box["points"]) and box["total"] < pts["total"]
    assert client.get("/api/aggregate/map", params={"bbox": "1,2,3"}).status_code == 400


def test_map_cells_when_too_many_points(db_url):
    from sitrep.store import open_store
    from sitrep.store.aggregate import map_view
    from sitrep.store.queries import EventFilter

    store = open_store(db_url)
    view = map_view(store, EventFilter(), None, 3, max_points=5, lone=0)
    assert view["mode"] == "cells" and view["points"] == []
    assert sum(c["count"] for c in view["cells"]) == view["total"] > 5
    assert len(view["cells"]) < view["total"]
    # cells of at most `lone` clusters show their points instead
    mixed = map_view(store, EventFilter(), None, 6, max_points=30, lone=3)
    assert mixed["mode"] == "cells" and mixed["points"] and mixed["cells"]
    assert sum(c["count"] for c in mixed["cells"]) + len(mixed["points"]) == mixed["total"]
    assert all(c["count"] > 3 for c in mixed["cells"]) and len(mixed["points"]) <= 30
    assert len({p["id"] for p in mixed["points"]}) == len(mixed["points"])


def test_exports(client):
    for fmt, media in [("csv", "text/csv"), ("acled-csv", "text/csv"), ("geojson", "application/geo+json"),
                       ("jsonl", "application/x-ndjson")]:
        r = client.get("/api/export", params={"format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media), fmt
        assert r.content
    acled = client.get("/api/export", params={"format": "acled-csv"}).text.splitlines()
    assert acled[0].startswith("event_date,event_type,sub_event_type,actor1")
    lines = client.get("/api/export", params={"format": "jsonl", "type": "shelling"}).text.splitlines()
    assert lines and all(json.loads(x)["type"] == "shelling" for x in lines)
    bad = client.get("/api/export", params={"format": "xlsx"})
    assert bad.status_code == 422 and "error" in bad.json()


def test_errors_are_json_without_traceback(client):
    for path, params, code in [("/api/events", {"cursor": "!!"}, 400), ("/api/events", {"near": "north"}, 400),
                               ("/api/events", {"min_sources": "x"}, 422), ("/api/nothing", {}, 404),
                               ("/api/jobs/nope", {}, 404)]:
        r = client.get(path, params=params)
        assert r.status_code == code, path
        body = r.json()
        assert set(body) == {"error"} and body["error"] and "Traceback" not in body["error"]


def test_openapi_docs_are_served_without_a_cdn(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events/{cluster_id}", "/api/intercepts", "/api/claims",
                 "/api/documents/{document_id}", "/api/search", "/api/stats", "/api/export", "/api/ingest",
                 "/api/jobs/{job_id}", "/api/aggregate/map", "/api/aggregate/timeline"):
        assert path in spec["paths"], path
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_pages_render_and_use_no_cdn(client):
    for path in ("/", "/intercepts", "/claims", "/claims?status=attributed", "/upload", "/search?q=Kharkiv",
                 f"/documents/{xss_document_id(client)}"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "https://" not in r.text.replace("https://tile.openstreetmap.org", ""), path
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    outlines = client.get("/static/vendor/natural-earth/countries-50m-europe.geojson").json()
    assert any(f["properties"].get("name") == "Ukraine" for f in outlines["features"])
    oblasts = client.get("/static/vendor/natural-earth/ukraine-admin1.geojson").json()
    assert len(oblasts["features"]) == 27 and {"Kharkiv", "Crimea", "Sevastopol"} <= {
        f["properties"]["name"] for f in oblasts["features"]}
    assert client.get("/documents/987654").status_code == 404
    claims = client.get("/claims", params={"status": "attributed"}).text
    expected = client.get("/api/claims", params={"status": "attributed", "limit": 100}).json()["claims"]
    assert expected and claims.count("<tr><td>") == len(expected)


# ---- escaping ----------------------------------------------------------------------------------------------------
def test_script_payloads_are_stored_verbatim_and_served_escaped(client):
    doc_id = xss_document_id(client)
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert SCRIPT in doc["text"] and IMG in doc["text"]  # JSON carries the text as it was written
    for path in (f"/documents/{doc_id}", "/search?q=Filashkin", "/intercepts", "/claims", "/"):
        html = client.get(path).text
        assert "<script>window.__pwned" not in html and "<img src=x" not in html, path
    resp = client.get(f"/documents/{doc_id}")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert resp.headers["x-content-type-options"] == "nosniff"
    page = resp.text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    # the items JSON embedded in the page cannot close its <script> element early: the only closing tags are ours
    assert page.count("</script>") == page.count("<script") == 2
    items = json.loads(page.split('<script id="doc-items" type="application/json">')[1].split("</script>")[0])
    assert items == doc["items"]


# ---- ingest and access ---------------------------------------------------------------------------------------------
def wait_job(client, job_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish")


def test_ingest_pasted_text_and_files_through_a_job(client):
    text = ("Ukrainian forces shot down a Russian drone over Zaporizhzhia on Tuesday, the regional administration "
            "said. Russian artillery shelled Nikopol overnight, wounding three residents, governor Serhiy Lysak said.")
    r = client.post("/api/ingest", data={"text": text, "title": "Drone downed over Zaporizhzhia"})
    assert r.status_code == 202
    job = wait_job(client, r.json()["job_id"])
    assert job["state"] == "done" and job["stored"] == 1 and job["progress"] == 1.0, job
    doc = client.get(f"/api/documents/{job['document_ids'][0]}").json()
    assert "Nikopol" in doc["text"]
    again = wait_job(client, client.post("/api/ingest", data={"text": text, "title": "Drone downed over Zaporizhzhia"})
                     .json()["job_id"])
    assert again["stored"] == 0 and again["unchanged"] == 1
    files = [("files", ("a.txt", b"Russian troops shelled Kupiansk on Monday, the General Staff said.", "text/plain"))]
    job = wait_job(client, client.post("/api/ingest", files=files).json()["job_id"])
    assert job["state"] == "done" and job["stored"] == 1


def test_ingest_limits(client):
    assert client.post("/api/ingest", data={}).status_code == 400
    bad = client.post("/api/ingest", files=[("files", ("x.exe", b"MZ", "application/octet-stream"))])
    assert bad.status_code == 415 and "unsupported" in bad.json()["error"]
    big = client.post("/api/ingest", files=[("files", ("big.txt", b"a" * (21 * 1024 * 1024), "text/plain"))])
    assert big.status_code == 413 and "too large" in big.json()["error"]
    assert client.post("/api/ingest", data={"url": "file:///etc/passwd"}).status_code == 400
    chunked = client.post("/api/ingest", content=iter([b"--x\r\n"]),
                          headers={"content-type": "multipart/form-data; boundary=x"})
    assert chunked.status_code == 411 and "Content-Length" in chunked.json()["error"]
    for private in ("http://127.0.0.1:5432/feed.xml", "http://localhost/feed", "http://169.254.169.254/latest",
                    "http://10.0.0.1/rss"):
        r = client.post("/api/ingest", data={"url": private})
        assert r.status_code == 400 and "not a public address" in r.json()["error"], private


def test_read_only_refuses_ingest(db_url):
    srv = start(db_url, read_only=True)
    try:
        r = httpx.post(srv.url + "/api/ingest", data={"text": "Russian shelling hit Kherson on Monday."})
        assert r.status_code == 403 and "read-only" in r.json()["error"]
        assert httpx.get(srv.url + "/api/stats").status_code == 200
        assert "read-only" in httpx.get(srv.url + "/upload").text
    finally:
        srv.stop()


def test_token_is_required_on_every_api_call(db_url):
    srv = start(db_url, token="s3cret")
    try:
        for path in ("/api/stats", "/api/events", "/api/intercepts", "/api/documents/1", "/openapi.json"):
            r = httpx.get(srv.url + path)
            assert r.status_code == 401 and "token" in r.json()["error"], path
        assert httpx.get(srv.url + "/api/stats", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert httpx.get(srv.url + "/api/stats", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert httpx.get(srv.url + "/api/stats", params={"token": "s3cret"}).status_code == 200
        assert httpx.post(srv.url + "/api/ingest", data={"text": "x"}).status_code == 401
        assert httpx.get(srv.url + "/").status_code == 401
        with httpx.Client(base_url=srv.url) as c:  # a page opened with ?token= passes it on as a cookie
            assert c.get("/", params={"token": "s3cret"}).status_code == 200
            assert c.get("/api/stats").status_code == 200
        assert httpx.get(srv.url + "/static/sitrep.css").status_code == 200
    finally:
        srv.stop()


def test_cli_refuses_a_public_bind_without_a_token(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SITREP_TOKEN"}
    r = subprocess.run([sys.executable, "-m", "sitrep", "serve", "--host", "0.0.0.0", "--port", "0",
                        "--db", f"sqlite:///{tmp_path / 'x.db'}"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode != 0
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "without a token" in lines[0] and "--token" in lines[0]
    assert not (tmp_path / "x.db").exists()  # refused before opening anything


def test_security_helpers():
    from sitrep.web.security import bind_problem, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")
    assert bind_problem("127.0.0.1", None) is None and bind_problem("0.0.0.0", "t") is None
    assert "token" in bind_problem("0.0.0.0", None)


def test_cursor_pages_are_the_rows_of_event_rows(db_url):
    from sitrep.store import open_store
    from sitrep.store.aggregate import event_page
    from sitrep.store.queries import EventFilter, event_rows

    store = open_store(db_url)
    for f in (EventFilter(), EventFilter(type="shelling"), EventFilter(side="RU", status="attributed"),
              EventFilter(near=(48.63, 38.37), km=30)):
        got, cursor = [], None
        while True:
            page, cursor = event_page(store, EventFilter(**{**f.__dict__}), cursor, 7)
            got += page
            if not cursor:
                break
        assert got == event_rows(store, f), f


# ---- scale ---------------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_100000_events_are_aggregated_and_paged_not_dumped(tmp_path):
    url = f"sqlite:///{tmp_path / 'big.db'}"
    from sitrep.evaluation.synthetic import synthetic_store

    synthetic_store(url, 100_000)
    srv = start(url)
    try:
        with httpx.Client(base_url=srv.url, timeout=60) as c:
            for name, path, params in [("page", "/", {}), ("events", "/api/events", {"limit": 50}),
                                       ("map", "/api/aggregate/map", {"zoom": 6, "bbox": "22,44,41,53"}),
                                       ("timeline", "/api/aggregate/timeline", {})]:
                r = c.get(path, params=params)
                assert r.status_code == 200, name
                if name == "events":
                    assert r.json()["total"] == 100_000 and r.json()["count"] == 50 and r.json()["next_cursor"]
                if name == "map":
                    body = r.json()
                    assert body["mode"] == "cells" and len(body["cells"]) < 500 and len(r.content) < 100_000
                    assert sum(cell["count"] for cell in body["cells"]) + len(body["points"]) == body["total"]
            from sitrep.store.aggregate import encode_cursor

            deep = c.get("/api/events", params={"limit": 50, "cursor": encode_cursor(99_990)}).json()
            assert deep["count"] == 10 and deep["next_cursor"] is None
    finally:
        srv.stop()


@pytest.mark.postgres
def test_the_api_on_postgresql():
    """The same server over PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards); skips without one."""
    import uuid

    psycopg = pytest.importorskip("psycopg")
    admin_url = os.environ.get("SITREP_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
    try:
        admin = psycopg.connect(admin_url, connect_timeout=3, autocommit=True)
    except Exception as exc:  # noqa: BLE001
        reason = f"PostgreSQL unreachable at {admin_url}: {exc}".splitlines()[0]
        if os.environ.get("SITREP_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"sitrep_web_{uuid.uuid4().hex[:10]}"
    admin.execute(f"CREATE DATABASE {name}")
    url = admin_url.rsplit("/", 1)[0] + "/" + name
    try:
        from sitrep.commands_store import run_ingest
        from sitrep.store import open_store
        from sitrep.store.aggregate import event_page
        from sitrep.store.queries import EventFilter, event_rows

        store = open_store(url)
        assert run_ingest(store, [str(EXAMPLES)], quiet=True).stored == 5
        got, cursor = [], None
        while True:
            page, cursor = event_page(store, EventFilter(), cursor, 9)
            got += page
            if not cursor:
                break
        assert got == event_rows(store, EventFilter())
        srv = start(url)
        try:
            with httpx.Client(base_url=srv.url, timeout=30) as c:
                for path in ("/", "/intercepts", "/documents/1", "/api/stats", "/api/events", "/api/intercepts",
                             "/api/claims", "/api/documents/1", "/api/search?q=Kharkiv", "/api/facets",
                             "/api/aggregate/map?zoom=6", "/api/aggregate/timeline", "/api/export?format=geojson"):
                    assert c.get(path).status_code == 200, path
                fc = c.get("/api/events", params={"format": "geojson", "limit": 1000}).json()
                assert fc["features"] and all(22 <= f["geometry"]["coordinates"][0] <= 41 for f in fc["features"]
                                              if f["properties"]["country"] == "UA")
                cells = c.get("/api/aggregate/map", params={"zoom": 6}).json()
                assert cells["total"] == len(fc["features"])
        finally:
            srv.stop()
        store.close()
    finally:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        admin.close()


def test_sitrep_serve_starts_from_the_cli_and_stops_on_sigterm(db_url):
    import signal
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SITREP_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "sitrep", "serve", "--port", str(port), "--db", db_url,
                             "--token", "tok", "--read-only"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stats", headers={"Authorization": "Bearer tok"})
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else ""
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["documents"] >= 6
        assert httpx.get(f"http://127.0.0.1:{port}/api/stats").status_code == 401
        assert httpx.post(f"http://127.0.0.1:{port}/api/ingest", data={"text": "x"},
                          headers={"Authorization": "Bearer tok"}).status_code == 403
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode in (0, -signal.SIGTERM), err  # uvicorn shuts down cleanly, then re-raises the signal
    first = err.splitlines()[0]
    assert f"http://127.0.0.1:{port}/" in first and "token required" in first and "read-only" in first
