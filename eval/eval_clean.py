"""Boilerplate removal must not eat news: share of CNN live-blog headlines that sitrep.clean flags as boilerplate.

Each headline is real reporting, so every flagged line is a false positive. Reads ../shared/dev/headlines.
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

from sitrep.clean import rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--show", action="store_true", help="print the flagged headlines")
    args = parser.parse_args()
    path = Path(args.shared) / "dev" / "headlines" / "cnn_live_headlines.tsv"
    if not path.exists():
        print(f"clean.headlines: skipped: {path} absent")
        return
    with path.open(encoding="utf-8", newline="") as fh:
        headlines = [row["headline"].strip() for row in csv.DictReader(fh, delimiter="\t") if row.get("headline")]
    flagged = [(h, rules().category(h)) for h in headlines]
    flagged = [(h, c) for h, c in flagged if c]
    if args.show:
        for h, c in flagged:
            print(f"  {c}: {h}")
    print(f"clean.headlines false_boilerplate_rate: {len(flagged) / len(headlines):.4f} "
          f"({len(flagged)}/{len(headlines)} headlines flagged)")


if __name__ == "__main__":
    main()
