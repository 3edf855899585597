"""Speech: Russian intercept-style calls (eval/speech_calls.yaml) spoken by festival, run through `sitrep extract`.

One line per figure: word recall of the transcripts (share of the spoken words found), calls at ≥ 65%, timed
segments, language, intercepts found, the two voices told apart, roles from forms of address, the named front-line
place within 15 km, and — decoding the same clips again without the vocabulary prompt, or with it as hotwords
(--bias) — what biasing toward the war's vocabulary changes. Skips with the reason when festival or the audio extra is missing.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--calls", type=int, default=0, help="only the first N calls")
    ap.add_argument("--clips", help="keep (and reuse) the spoken clips in this folder")
    ap.add_argument("--bias", default="none,hotwords",
                    help="biasing modes to compare with the default, the vocabulary prompt ('' skips)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    from sitrep.evaluation.speech import festival_missing, spoken_calls, word_recall

    why = festival_missing()
    if why is None:
        try:
            from sitrep import speech

            speech.model_files()
        except Exception as exc:  # noqa: BLE001
            why = str(exc)
    if why:
        print(f"speech: skipped ({why})")
        return 0
    from sitrep.geo.gazetteer import haversine_km
    from sitrep.ingest import read_inputs
    from sitrep.ingest.audio import decode
    from sitrep.pipeline import Pipeline
    from sitrep.speech import Options

    calls = yaml.safe_load((HERE / "speech_calls.yaml").read_text(encoding="utf-8"))["calls"]
    calls = calls[:args.calls] if args.calls else calls
    paths = spoken_calls(calls, args.clips, "sitrep-eval-speech-")

    pipeline = Pipeline()
    recalls, n_segments, lang_ok, icpt_ok, voices_ok, two_party, roles_ok, place_ok, heard = [], [], 0, 0, 0, 0, 0, 0, 0
    audio_seconds = wall = 0.0
    for call, path in zip(calls, paths):
        spoken = " ".join(text for _, text in call["turns"])
        t0 = time.perf_counter()
        (result,) = list(pipeline.run(read_inputs([str(path)])))
        wall += time.perf_counter() - t0
        if not hasattr(result, "document"):
            print(f"  {call['id']}: error {result.error}", file=sys.stderr)
            recalls.append(0.0)
            continue
        r = result.to_dict()
        rec = r.get("recording") or {}
        audio_seconds += rec.get("duration") or 0.0
        transcript = " ".join(s["text"] for s in rec.get("segments", []))
        recalls.append(word_recall(spoken, transcript))
        n_segments.append(len(rec.get("segments", [])))
        lang_ok += r["document"]["language"] == "ru"
        icpt_ok += bool(r["intercepts"]) and all(s.get("char_start") is not None for s in rec.get("segments", []))
        speakers = {t[0] for t in call["turns"]}
        if len(speakers) == 2:
            two_party += 1
            voices_ok += len(rec.get("speakers", [])) == 2
            roles_ok += any(s.get("role") for s in rec.get("speakers", []))
        near = [haversine_km(p["lat"], p["lon"], call["place"]["lat"], call["place"]["lon"])
                for p in r["places"] if p.get("lat") is not None]
        place_ok += bool(near) and min(near) <= 15
        heard += call["place"]["heard"] in transcript.lower().replace("ё", "е")
        if args.verbose:
            print(f"  {call['id']}: recall {recalls[-1]:.2f}; {transcript}", file=sys.stderr)
            print(f"    speakers {rec.get('speakers')}; places {[p.get('name') for p in r['places']]}", file=sys.stderr)
    n = len(calls)
    mean = sum(recalls) / n
    default_bias = Options.from_env().bias
    print(f"speech word recall ({n} festival calls, biasing '{default_bias}'): mean {mean:.3f}, min {min(recalls):.3f}; "
          f"calls ≥ 0.65: {sum(x >= 0.65 for x in recalls)}/{n}")
    print(f"speech timed segments: {sum(n_segments)} in {n} calls (every call ≥ 1: {sum(x > 0 for x in n_segments)}/{n})")
    print(f"speech language detected ru: {lang_ok}/{n}")
    print(f"speech intercept found, every segment mapped to text: {icpt_ok}/{n}")
    print(f"speech two voices told apart: {voices_ok}/{two_party} two-party calls; a role from a form of address: "
          f"{roles_ok}/{two_party}")
    print(f"speech named front-line place heard in the transcript: {heard}/{n}; resolved within 15 km: {place_ok}/{n}")
    print(f"speech extraction wall time ÷ audio duration (end to end, this run's load): {wall / audio_seconds:.2f}")

    for mode in [m for m in args.bias.split(",") if m]:
        from sitrep import speech

        opts = speech.Options(bias=mode, translate=False)
        rec_b, heard_b = [], 0
        for call, path in zip(calls, paths):
            spoken = " ".join(text for _, text in call["turns"])
            text = " ".join(s.text for s in speech.transcribe(decode(path).samples, opts).segments)
            rec_b.append(word_recall(spoken, text))
            heard_b += call["place"]["heard"] in text.lower().replace("ё", "е")
        print(f"speech biasing '{mode}' instead of '{default_bias}': word recall {sum(rec_b) / n:.3f} "
              f"({default_bias} {mean:.3f}); place names heard {heard_b}/{n} ({default_bias} {heard}/{n})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
