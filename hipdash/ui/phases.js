// The guided session's phase machine: pure functions over a stop's phases and a clock
// passed in (`now`, in ms), so it runs the same in the page and in its tests.
//
// phases: [{kind, ms, seconds, set}] in order; `ms` is the countdown's length (null: a tap
// ends it). A state is plain data, kept in localStorage as it is: {at, since, ends, left,
// paused, count, ended}. A running countdown is known by when it ends, not by counted
// ticks, so a reload, a locked phone or a slow tab finds the right time left, or the
// phases that ended meanwhile, each begun at the moment the one before ended.

const LATE_MS = 10 * 60 * 1000;  // ended longer ago than this: not ticked by itself

function phaseAt(phases, at, when) {
  if (at >= phases.length) return { at: phases.length, since: when, ends: null, ended: true };
  const ms = phases[at].ms;
  return { at, since: when, ends: ms ? when + ms : null, left: null, paused: false, count: null,
    ended: false };
}

function startPhases(phases, now) {
  return phaseAt(phases, 0, now);
}

// Moves through every countdown that has ended by `now`. Events: {type: "phase", at, from}
// for the phase reached last (`from`: the one that ended just before it; cues are not
// replayed for phases passed while away),
// {type: "count", n} at 3, 2 and 1 s left of a work phase, {type: "end", at} (when the
// last phase ended, which may be long ago).
function advance(phases, state, now) {
  if (!state || state.ended || state.paused || state.ends === null) return { state, events: [] };
  let s = state;
  const from = s.at;
  while (!s.ended && s.ends !== null && now >= s.ends) s = phaseAt(phases, s.at + 1, s.ends);
  const events = [];
  if (s.at !== from) events.push(s.ended ? { type: "end", at: s.since } : { type: "phase", at: s.at, from: s.at - 1 });
  const phase = phases[s.at];
  if (!s.ended && s.ends !== null && phase.kind === "work" && phase.seconds > 3) {
    const n = Math.ceil(((s.ends - now) / phase.ms) * phase.seconds);
    if (n >= 1 && n <= 3 && n !== s.count) {
      s = { ...s, count: n };
      events.push({ type: "count", n });
    }
  }
  return { state: s, events };
}

function pausePhases(state, now) {
  if (!state || state.ended || state.paused || state.ends === null) return state;
  return { ...state, paused: true, left: Math.max(0, state.ends - now), ends: null };
}

function resumePhases(state, now) {
  if (!state || !state.paused) return state;
  return { ...state, paused: false, ends: now + state.left, left: null };
}

// Back to the first phase of the current set (after the last phase: of the last set).
function restartSet(phases, state, now) {
  if (!phases.length) return state;
  const at = state ? Math.min(state.at, phases.length - 1) : 0;
  // its first phase, past a rest that comes before the exercise (the section's, not the set's)
  const set = phases[at].set;
  const first = phases.findIndex((p) => p.set === set && p.kind !== "rest");
  return phaseAt(phases, first < 0 ? phases.findIndex((p) => p.set === set) : first, now);
}

// The current phase ends now and the next one begins now.
function endPhase(phases, state, now) {
  const next = phaseAt(phases, state.at + 1, now);
  const events = [next.ended ? { type: "end", at: now } : { type: "phase", at: next.at, from: state.at }];
  return { state: next, events };
}

// A tap ends a tap phase.
function tapPhase(phases, state, now) {
  if (!state || state.ended || phases[state.at].ms) return { state, events: [] };
  return endPhase(phases, state, now);
}

// The wait between holds (a rest, a lead-in, a side switch) can be cut short, running or
// paused; a hold itself cannot (Skip skips the exercise).
const WAITS = ["rest", "lead", "switch"];

function canSkipWait(phases, state) {
  return !!state && !state.ended && WAITS.includes(phases[state.at].kind) && !!phases[state.at].ms;
}

function skipWait(phases, state, now) {
  return canSkipWait(phases, state) ? endPhase(phases, state, now) : { state, events: [] };
}

// What to show: the status (ready, running, paused, waiting, ended), the phase, the time
// left in its own seconds.
function viewPhases(phases, state, now) {
  if (!state) return { status: "ready", at: 0, phase: phases[0] || null, left: null };
  if (state.ended) return { status: "ended", at: state.at, phase: null, left: 0 };
  const phase = phases[state.at];
  if (!phase.ms) return { status: "waiting", at: state.at, phase, left: null };
  const ms = state.paused ? state.left : Math.max(0, state.ends - now);
  return { status: state.paused ? "paused" : "running", at: state.at, phase,
    left: (ms / phase.ms) * phase.seconds };
}

function lateEnd(event, now) {
  return now - event.at > LATE_MS;
}
