"""`sitrep db check`: foreign keys, full-text indexes in sync, duplicate groups and cluster counts consistent."""
from __future__ import annotations

from sqlalchemy import text

from sitrep.store.db import Store
from sitrep.store.fts import check_fts

# (description, SQL returning the number of offending rows)
CHECKS = [
    ("documents pointing at a missing duplicate group",
     "SELECT count(*) FROM documents d LEFT JOIN duplicate_groups g ON g.id = d.dup_group_id "
     "WHERE d.dup_group_id IS NOT NULL AND g.id IS NULL"),
    ("duplicate groups whose original is not a member",
     "SELECT count(*) FROM duplicate_groups g LEFT JOIN documents d ON d.id = g.original_id "
     "AND d.dup_group_id = g.id WHERE d.id IS NULL"),
    ("duplicate groups whose size is not their member count",
     "SELECT count(*) FROM duplicate_groups g WHERE g.size <> "
     "(SELECT count(*) FROM documents d WHERE d.dup_group_id = g.id) OR g.size < 2"),
    ("events pointing at a missing cluster",
     "SELECT count(*) FROM events e LEFT JOIN event_clusters c ON c.id = e.cluster_id "
     "WHERE e.cluster_id IS NOT NULL AND c.id IS NULL"),
    ("events of current documents outside any cluster",
     "SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id "
     "WHERE e.cluster_id IS NULL AND NOT d.superseded"),
    ("event clusters whose n_reports is not their number of documents",
     "SELECT count(*) FROM event_clusters c WHERE c.n_reports <> "
     "(SELECT count(DISTINCT e.document_id) FROM events e WHERE e.cluster_id = c.id)"),
    ("event clusters with n_independent outside 1..n_reports",
     "SELECT count(*) FROM event_clusters c WHERE c.n_independent < 1 OR c.n_independent > c.n_reports"),
    ("intercepts pointing at a missing cluster",
     "SELECT count(*) FROM intercepts i LEFT JOIN intercept_clusters c ON c.id = i.cluster_id "
     "WHERE i.cluster_id IS NOT NULL AND c.id IS NULL"),
    ("intercepts of current documents outside any cluster",
     "SELECT count(*) FROM intercepts i JOIN documents d ON d.id = i.document_id "
     "WHERE i.cluster_id IS NULL AND NOT d.superseded"),
    ("intercept clusters whose n_reports is not their number of documents",
     "SELECT count(*) FROM intercept_clusters c WHERE c.n_reports <> "
     "(SELECT count(DISTINCT i.document_id) FROM intercepts i WHERE i.cluster_id = c.id)"),
    ("input hashes pointing at a missing document",
     "SELECT count(*) FROM input_hashes h LEFT JOIN documents d ON d.id = h.document_id WHERE d.id IS NULL"),
    ("documents no input hash points at",
     "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM input_hashes h WHERE h.document_id = d.id)"),
    ("documents without a MinHash signature", "SELECT count(*) FROM documents WHERE minhash IS NULL"),
]
CHILD_TABLES = ["places", "entities", "events", "figures", "claims", "quotes", "intercepts", "indicators"]


def check(store: Store) -> list[str]:
    """Every integrity problem found, as readable lines (empty when the database is consistent)."""
    problems: list[str] = []
    with store.engine.connect() as conn:
        if store.is_sqlite:
            if conn.exec_driver_sql("PRAGMA quick_check").scalar() != "ok":
                problems.append("SQLite quick_check failed")
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:
                problems.append(f"{len(bad)} rows violate foreign keys (first: {tuple(bad[0])})")
        for table in CHILD_TABLES:
            n = conn.execute(text(f"SELECT count(*) FROM {table} t LEFT JOIN documents d ON d.id = t.document_id "
                                  f"WHERE d.id IS NULL")).scalar()
            if n:
                problems.append(f"{n} {table} rows point at a missing document")
        for description, sql in CHECKS:
            n = conn.execute(text(sql)).scalar()
            if n:
                problems.append(f"{n} {description}")
        problems.extend(check_fts(conn))
        conn.rollback()
    return problems
