"""Build-time TopoJSON → GeoJSON conversion of the vendored Natural Earth outlines (countries and oblasts)."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _arcs(topo: dict) -> list[list[list[float]]]:
    tr = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if tr:
                x, y = x + p[0], y + p[1]
                pts.append([round(x * tr["scale"][0] + tr["translate"][0], 4),
                            round(y * tr["scale"][1] + tr["translate"][1], 4)])
            else:
                pts.append(p[:2])
        out.append(pts)
    return out


def _ring(arcs: list, idxs: list[int]) -> list[list[float]]:
    ring: list[list[float]] = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def to_geojson(topo: dict, name: str, bbox: tuple[float, float, float, float] | None = None) -> dict:
    """Features of `topo.objects[name]`; with `bbox` (W, S, E, N) only geometries touching it."""
    arcs = _arcs(topo)
    features = []
    for g in topo["objects"][name]["geometries"]:
        if g["type"] == "Polygon":
            coords = [[_ring(arcs, r) for r in g["arcs"]]]
        elif g["type"] == "MultiPolygon":
            coords = [[_ring(arcs, r) for r in poly] for poly in g["arcs"]]
        else:
            continue
        if bbox:
            xs = [p[0] for poly in coords for ring in poly for p in ring]
            ys = [p[1] for poly in coords for ring in poly for p in ring]
            if max(xs) < bbox[0] or min(xs) > bbox[2] or max(ys) < bbox[1] or min(ys) > bbox[3]:
                continue
        features.append({"type": "Feature", "id": g.get("id"), "properties": g.get("properties", {}),
                         "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":  # python -m sitrep.web.topojson in.topo.json out.geojson [W S E N]
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    box = tuple(float(v) for v in sys.argv[3:7]) if len(sys.argv) >= 7 else None
    topo = json.loads(src.read_text())
    name = "countries" if "countries" in topo["objects"] else next(iter(topo["objects"]))
    dst.write_text(json.dumps(to_geojson(topo, name, box), separators=(",", ":"), ensure_ascii=False))
