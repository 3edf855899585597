"""Decoding of Cyrillic sources: real Ukrainian and Russian texts written in every encoding they arrive in, read back.

Texts: the Cyrillic titles of ../shared/dev/intercept_pages.tsv, plus every .txt under --texts DIR (e.g. saved
Ukrainian and Russian news pages; read in place, never committed). Each text is encoded as UTF-8 (BOM or not),
UTF-16/32 (BOM or not), cp1251, KOI8-R/KOI8-U (where they can hold it), and as mojibake (its UTF-8 misread as
cp1251 or as cp1252 the way browsers do it), then decoded by sitrep.ingest.decode. One line per figure:
exact = the text came back unchanged; silent_wrong = came back changed while the decoder claimed confidence
>= 0.8 (what must stay at zero: an uncertain guess is allowed, a confident wrong one is not).
"""
from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from sitrep.ingest.decode import UNCERTAIN_BELOW, DecodeError, decode

GROUPS = {
    "bom": ["utf-8-sig", "utf-16", "utf-32"],
    "wide_no_bom": ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"],
    "single_byte": ["cp1251", "koi8-r", "koi8-u"],
    "mojibake": ["mojibake-cp1251", "mojibake-cp1252"],
}


def browser_cp1252(text: str) -> str:
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                   for b in text.encode("utf-8"))


def encoded(text: str, how: str) -> bytes | None:
    try:
        if how == "mojibake-cp1251":
            return text.encode("utf-8").decode("cp1251").encode("utf-8")
        if how == "mojibake-cp1252":
            return browser_cp1252(text).encode("utf-8")
        return text.encode(how)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None  # KOI8-R cannot hold Ukrainian letters; cp1251 leaves one byte undefined


def cyrillic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u0400" <= c <= "\u04ff" for c in letters) / len(letters) > 0.3


def load_texts(shared: Path, texts_dir: Path | None) -> list[str]:
    out: list[str] = []
    tsv = shared / "dev" / "intercept_pages.tsv"
    if tsv.exists():
        with tsv.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                title = (row.get("title_or_first_words") or "").strip()
                if row.get("language") in ("uk", "ru") and cyrillic(title) and "\ufffd" not in title:
                    out.append(title)
    if texts_dir and texts_dir.is_dir():
        out += [p.read_text(encoding="utf-8") for p in sorted(texts_dir.glob("*.txt"))]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--texts", type=Path, default=None, help="a folder of Ukrainian/Russian .txt files")
    args = parser.parse_args()
    texts = load_texts(Path(args.shared), args.texts)
    if not texts:
        print("decode: skipped: no Ukrainian or Russian texts found")
        return
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for text in texts:
        for group, hows in GROUPS.items():
            for how in hows:
                raw = encoded(text, how)
                if raw is None or raw == text.encode("utf-8"):
                    continue
                c = counts[group]
                c["n"] += 1
                try:
                    out = decode(raw, "eval")
                except DecodeError:
                    c["error"] += 1
                    continue
                confident = out.confidence >= UNCERTAIN_BELOW and not out.mojibake_left
                if out.text == text:
                    c["exact"] += 1
                elif confident:
                    c["silent_wrong"] += 1
                if out.confidence < UNCERTAIN_BELOW:
                    c["flagged"] += 1
    untouched = sum(decode(t.encode("utf-8"), "eval").text == t for t in texts)
    print(f"decode texts: {len(texts)} Ukrainian/Russian texts")
    print(f"decode.clean_utf8 untouched: {untouched / len(texts):.3f} ({untouched}/{len(texts)}; "
          f"a repair of good text would count against it)")
    for group in GROUPS:
        c = counts[group]
        if not c["n"]:
            continue
        print(f"decode.{group} exact: {c['exact'] / c['n']:.3f} ({c['exact']}/{c['n']}); "
              f"silent_wrong: {c['silent_wrong']}; flagged_uncertain: {c['flagged']}; errors: {c['error']}")


if __name__ == "__main__":
    main()
