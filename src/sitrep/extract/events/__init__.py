"""Events: what happened, typed in sitrep's vocabulary and ACLED's, with actors, targets, place, date, fatalities,
status and mode, most salient first. One module per concept:

- `cues`        cue words and phrases of `lexicons/events.yaml` found in a sentence;
- `cue_typing`  the event type a clause's cues make (type cues, generic cues typed by weapon or target, the
                instrument frame "fired mortars at X");
- `arguments`   actors and targets from the parse;
- `places`      the places of the document, indexed once, and the place of each event;
- `casualties`  killed/wounded/captured counts of each event, numberless deaths, two sides' competing counts;
- `coreference` later mentions of an event ("the shelling", "as a result of the strike") joined to it;
- `extractor`   the extractor itself: sentences → candidate events → dates, casualties, coreference → `Event`s.
"""
from sitrep.extract.events.cues import Cue, CueMatcher, Match
from sitrep.extract.events.extractor import EventsExtractor

__all__ = ["Cue", "CueMatcher", "EventsExtractor", "Match"]
