"""Speech-to-text real-time factor on this machine: Whisper base, int8, VAD on (sitrep.speech), measured in one run.

RTF = processing time ÷ audio duration, over festival-spoken calls of eval/speech_calls.yaml: wall time (what a
user waits, sensitive to other load on the shared cores) and process CPU time ÷ cores used (what it costs on an
idle machine). Lines: transcription alone (default beam 5, and greedy beam 1), with the English translation pass,
model load time. Skips with the reason when festival or the audio extra is missing.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--calls", type=int, default=3)
    ap.add_argument("--clips", help="keep (and reuse) the spoken clips in this folder")
    args = ap.parse_args()

    from sitrep.evaluation.speech import festival_missing, spoken_calls

    why = festival_missing()
    if why is None:
        try:
            from sitrep import speech

            t0 = time.perf_counter()
            speech.load_model()
            load = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001
            why = str(exc)
    if why:
        print(f"speech bench: skipped ({why})")
        return 0
    from sitrep.ingest.audio import decode

    calls = yaml.safe_load((ROOT / "eval/speech_calls.yaml").read_text(encoding="utf-8"))["calls"][:args.calls]
    samples = [decode(path).samples for path in spoken_calls(calls, args.clips, "sitrep-bench-speech-")]
    audio = sum(len(s) for s in samples) / speech.SAMPLE_RATE
    cores = speech.threads()
    load_avg = os.getloadavg()[0]
    print(f"speech bench: {len(calls)} festival calls, {audio:.1f} s of audio; Whisper base int8, {cores} threads, "
          f"model load {load:.1f} s; load average {load_avg:.1f} on {os.cpu_count()} cores at the start")
    runs = [("transcription (default: beam 5, VAD, vocabulary prompt)", speech.Options(translate=False)),
            ("transcription without the prompt", speech.Options(bias="none", translate=False)),
            ("transcription, greedy (beam 1), prompt", speech.Options(beam_size=1, translate=False)),
            ("transcription + English translation (the default of sitrep extract)", speech.Options())]
    speech.transcribe(samples[0][:speech.SAMPLE_RATE * 2], runs[1][1])  # warm-up
    for label, opts in runs:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        for s in samples:
            speech.transcribe(s, opts)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        print(f"speech real-time factor, {label}: wall {wall / audio:.3f}, CPU ÷ {min(cores, os.cpu_count() or 1)} "
              f"cores {cpu / min(cores, os.cpu_count() or 1) / audio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
