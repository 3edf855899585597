"""Seeds: share of the analyst's expectations (shared/corpus/seeds_expected.json) met, one line per list."""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from sitrep.evaluation.seeds import check_document
from sitrep.pipeline import Pipeline
from sitrep.ingest import read_inputs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    expected_path = Path(args.shared) / "corpus" / "seeds_expected.json"
    seeds_dir = Path(args.shared) / "corpus" / "seeds"
    if not expected_path.exists():
        print(f"seeds: skipped ({expected_path} absent)")
        return 0
    expected = json.loads(expected_path.read_text())["documents"]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    results = {r.document.id: r.to_dict() for r in Pipeline().run(read_inputs([str(seeds_dir)]))
               if hasattr(r, "document")}
    for name, exp in expected.items():
        result = results.get(Path(name).stem)
        if result is None:
            print(f"seeds: {name} gave no result", file=sys.stderr)
            continue
        for check in check_document(result, exp):
            totals[check.section][0] += check.ok
            totals[check.section][1] += 1
            if args.verbose and not check.ok:
                print(f"  MISS {name} {check.section}: {check.description}", file=sys.stderr)
    for section, (ok, n) in sorted(totals.items()):
        print(f"seeds {section}: {ok}/{n} expectations met ({ok / n:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
