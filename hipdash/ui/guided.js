// The guided session's runner: one stop's phases (lead-in, countdowns, switch sides, rests,
// taps) run here in the browser by the clock (phases.js), with the screen kept awake, cues
// spoken (speechSynthesis: the phone's own voices, nothing leaves it), beeps and vibration.
// When the last countdown ends it asks the page to tick the exercise (the page writes it
// through the log's rules) and the next stop arrives by itself.
//
// Python sends the stop (its phases, labels and words) and a `visit`: a new one for each
// time a screen is shown. What runs is kept in localStorage per routine and day, with end
// times, so a reload finds the same set, side and time left. A tap on Start tells the page
// while the session is not timed yet (`timing`): its stopwatch starts then, not on opening.

const SETTINGS = "hipdash:guided:settings";
const UNDO_MS = 5000;  // how long "✓ … done · Undo" is offered
const UNDO_ARMED_MS = 500;  // a tap on its Undo sooner is a double tap's second: ignored
const VOICES = [["voice", "Voice"], ["beeps", "Beeps only"], ["silent", "Silent"]];
const LEADS = [0, 3, 5, 10];

function loadJSON(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
}

function saveJSON(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: kept in memory */ }
}

function settings() {
  return { voice: "voice", lead: 3, moveOn: true, ...loadJSON(SETTINGS, {}) };
}

function speak(text, mode) {
  if (mode !== "voice" || !text || !window.speechSynthesis) return;
  try {  // the default voice if getVoices() is empty: the phone picks one
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  } catch (e) { /* no speech: beeps and the screen remain */ }
}

// The screen stays on from the session's start to its finish or leaving the view; the
// browser drops the lock when the page is hidden, so it is taken again when it is shown.
const wake = window.__hdWake || (window.__hdWake = { lock: null, wanted: false, refused: false, shown: null });

async function keepAwake(on) {
  wake.wanted = on;
  if (!on) {
    const lock = wake.lock;
    wake.lock = null;
    if (lock) try { await lock.release(); } catch (e) { /* already released */ }
    return;
  }
  if (wake.lock || document.visibilityState !== "visible") return;
  try {
    const lock = await navigator.wakeLock.request("screen");
    if (!wake.wanted) { lock.release(); return; }
    wake.lock = lock;
    wake.refused = false;
    if (lock.addEventListener) lock.addEventListener("release", () => { if (wake.lock === lock) wake.lock = null; });
  } catch (e) {
    wake.refused = true;  // no API, or the browser said no (battery saver, not visible)
  }
  if (wake.shown) wake.shown();
}

// Where the big button was last pressed (the next screen's toast keeps away from it).
const tapped = window.__hdTapped || (window.__hdTapped = { y: null });

if (!wake.listening) {
  wake.listening = true;
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && wake.wanted) keepAwake(true);
  });
}

function runner(data, sender) {
  const send = (action) => root._send(action);
  const store = `hipdash:guided:${data.key}`;
  const prefs = settings();
  const kept = loadJSON(store, {});
  const sig = JSON.stringify(data.phases);  // the routine may have changed meanwhile
  const same = kept.visit === data.visit && kept.sig === sig;
  const lead = same && Number.isFinite(kept.lead) ? kept.lead : prefs.lead;
  const phases = data.phases
    .map((p) => (p.kind === "lead" || p.kind === "switch" ? { ...p, seconds: lead } : p))
    .filter((p) => p.seconds !== 0)
    .map((p) => ({ ...p, ms: p.seconds ? p.seconds * 1000 * data.scale : null }));
  let state = same ? kept.state || null : null;
  let sent = same && !!kept.sent;
  let announced = same && !!kept.announced;
  let timer = null;
  let timing = data.timing;
  const persist = () => saveJSON(store, { visit: data.visit, sig, lead, state, sent, announced });

  const root = el("div", { class: "hd-guided", "data-testid": "hd-guided", "data-state": "ready" });
  root.dataset.visit = data.visit;
  root._send = sender;
  const label = el("p", { class: "hd-g-label", "data-testid": "hd-g-label", "aria-live": "polite" });
  const time = el("p", { class: "hd-g-time", "data-testid": "hd-g-time", role: "timer", "aria-live": "off" });
  const dots = el("p", { class: "hd-g-dots", "aria-hidden": "true" });
  const main = el("button", { type: "button", class: "hd-g-main", "data-testid": "hd-g-main" });
  const restart = el("button", { type: "button", class: "hd-g-quiet", "data-testid": "hd-g-restart" }, "Restart set");
  const wait = el("button", { type: "button", class: "hd-g-quiet hd-g-wait", "data-testid": "hd-g-wait" });
  const back = el("button", { type: "button", class: "hd-g-nav", "data-testid": "hd-g-back" }, "Back");
  const skip = el("button", { type: "button", class: "hd-g-nav", "data-testid": "hd-g-skip" }, "Skip");
  const row = el("div", { class: "hd-g-row" });
  row.append(back, restart, skip);
  const undo = el("p", { class: "hd-g-undo", "data-testid": "hd-g-undo", role: "status", hidden: true });
  const dim = el("p", { class: "hd-g-dim", "data-testid": "hd-g-dim", hidden: true },
    "The screen may dim: this browser does not keep it awake.");
  root.append(undo, label, time, dots, main, wait, offer(data, send), row, choices(prefs), dim);
  wake.shown = () => { dim.hidden = !wake.refused; };

  const work = phases.filter((p) => p.kind === "work" || p.kind === "tap");
  const draw = () => {
    const view = viewPhases(phases, state, Date.now());
    root.dataset.state = phases.length ? view.status : "none";
    root.dataset.at = String(view.at);
    const doneCount = work.filter((p) => phases.indexOf(p) < view.at).length;
    dots.textContent = work.length > 1 ? work.map((_, i) => (i < doneCount ? "●" : "○")).join(" ") : "";
    restart.hidden = !phases.some((p) => p.ms) || view.status === "ready";
    // kept in the layout when not wanted, so that nothing moves under a finger
    wait.style.visibility = canSkipWait(phases, state) ? "visible" : "hidden";
    wait.hidden = !phases.some((p) => WAITS.includes(p.kind) && p.ms);
    if (view.phase) wait.textContent = view.phase.kind === "rest" ? "Skip rest" : "Start now";
    main.disabled = sent && (view.status === "ended" || !phases.length);
    label.hidden = dots.hidden = time.hidden = !phases.length;
    if (!phases.length) {
      main.textContent = "Done";
      return;
    }
    const phase = view.phase;
    label.textContent = view.status === "ended" ? "✓ All sets done" : phase.label;
    const seconds = view.status === "ready" ? phase.seconds : view.left;
    const counting = seconds !== null && view.status !== "ended";
    const shown = counting ? fmtSeconds(Math.max(0, seconds))
      : view.status === "ended" ? "✓" : data.reps ? `${data.reps} reps` : "";
    const unit = shown.endsWith(" s") && counting;  // "20 s": the number big, the unit small
    time.replaceChildren(unit ? shown.slice(0, -2) : shown);
    if (unit) time.append(el("span", { class: "hd-g-unit" }, " s"));
    time.dataset.kind = counting ? "digits" : "words";
    main.textContent = {
      ready: "Start",
      running: "Pause",
      paused: "Resume",
      waiting: phase && phase.action,
      ended: sent ? "Saving…" : "Done",
    }[view.status];
  };

  const finished = (event, tapped) => {
    if (sent) return;
    const auto = !tapped && prefs.moveOn && !lateEnd(event, Date.now());
    if (!tapped && !auto) return;  // the person says Done
    speak(data.ending, prefs.voice);
    sent = true;
    persist();
    send({ kind: "done", auto });
  };
  const cue = (event) => {
    if (event.type === "phase") {
      const before = phases[event.from];
      if (before && before.ms) beep(before.kind === "work" ? 3 : 1, prefs.voice !== "silent");
      speak(phases[event.at].say, prefs.voice);
    } else if (event.type === "count") {
      speak(String(event.n), prefs.voice);
    } else if (event.type === "end") {
      const last = phases[phases.length - 1];
      if (last.ms) beep(3, prefs.voice !== "silent");
      finished(event, !last.ms);
    }
  };
  const tick = () => {
    const { state: next, events } = advance(phases, state, Date.now());
    if (next !== state) { state = next; persist(); }
    events.forEach(cue);
    draw();
    const running = state && !state.ended && !state.paused && state.ends !== null;
    if (running && !timer) timer = setInterval(tick, Math.max(10, Math.min(100, 250 * data.scale)));
    if (!running && timer) { clearInterval(timer); timer = null; }
  };
  const begin = () => {
    if (!announced) speak(data.arrival, prefs.voice);
    announced = true;
    if (phases.length) {
      state = startPhases(phases, Date.now());
      speak(phases[0].say, prefs.voice);
    }
    persist();
    tick();
  };
  const change = (next) => { state = next; persist(); tick(); };
  const step = (move) => {  // a phase ended by a tap: its cues, then on
    const { state: next, events } = move(phases, state, Date.now());
    state = next;
    persist();
    events.forEach(cue);
    tick();
  };

  main.addEventListener("pointerdown", (event) => { tapped.y = event.clientY; });
  main.addEventListener("click", () => {
    unlockAudio();
    const view = viewPhases(phases, state, Date.now());
    if (!phases.length || view.status === "ended") {
      if (!sent) { sent = true; persist(); draw(); send({ kind: "done", auto: false }); }
    } else if (view.status === "ready") {
      begin();
      if (!timing) { timing = true; send({ kind: "start" }); }
    }
    else if (view.status === "running") change(pausePhases(state, Date.now()));
    else if (view.status === "paused") change(resumePhases(state, Date.now()));
    else if (view.status === "waiting") step(tapPhase);
  });
  wait.addEventListener("click", () => step(skipWait));
  restart.addEventListener("click", () => {
    sent = false;
    change(restartSet(phases, state, Date.now()));
    speak(phases[state.at].say, prefs.voice);
  });
  back.addEventListener("click", () => send({ kind: "back" }));
  skip.addEventListener("click", () => send({ kind: "skip" }));

  root._update = (fresh, sender) => {
    root._send = sender;
    timing = fresh.timing;
    back.disabled = fresh.first;
    if (fresh.failed && sent) { sent = false; persist(); }  // not saved: Done can be tapped again
    showUndo(undo, fresh.undo, send, main);
    draw();
  };
  root._stop = () => { if (timer) clearInterval(timer); timer = null; };
  keepAwake(true);
  if (!same && data.autostart) begin();
  else if (!same) persist();
  tick();
  return root;
}

// "✓ Pigeon stretch done · Undo" for a few seconds after the page ticked it: a toast fixed
// to the screen's top, taking no room, so nothing moves as it comes and goes; at the
// bottom instead where the big button, or the finger that tapped Done, is at the top.
function showUndo(line, undo, send, main) {
  if (!undo || line._for === undo.title) return;
  line._for = undo.title;
  const button = el("button", { type: "button", class: "hd-g-quiet", "data-testid": "hd-g-undo-button" }, "Undo");
  button.addEventListener("click", () => {
    if (line.dataset.armed !== "true") return;  // a double tap's second, on what just came
    line.hidden = true;
    send({ kind: "undo" });
  });
  line.replaceChildren(el("span", { class: "hd-g-undo-text" }, `✓ ${undo.title} done`), button);
  line.hidden = false;
  line.dataset.armed = "false";
  placeToast(line, main);
  setTimeout(() => { line.dataset.armed = "true"; }, UNDO_ARMED_MS);
  setTimeout(() => { line.hidden = true; }, UNDO_MS);
}

function placeToast(line, main) {
  line.dataset.place = "top";
  const band = line.getBoundingClientRect();
  const button = main.getBoundingClientRect();
  const under = (y) => y >= band.top - 8 && y <= band.bottom + 8;
  const overlaps = button.top <= band.bottom + 8 && button.bottom >= band.top - 8;
  if (overlaps || (tapped.y !== null && under(tapped.y))) line.dataset.place = "bottom";
}

// Where an exercise states no dose: a few in one tap, saved into the routine.
function offer(data, send) {
  const box = el("div", { class: "hd-g-offer", "data-testid": "hd-g-offer", hidden: !data.offer });
  if (!data.offer) return box;
  box.append(el("p", {}, "Give it a dose (saved in your routine):"));
  for (const words of data.offer) {
    const choice = el("button", { type: "button", class: "hd-g-chip" }, words);
    choice.addEventListener("click", () => { box.hidden = true; send({ kind: "dose", words }); });
    box.append(choice);
  }
  return box;
}

// Voice / beeps only / silent, the lead-in and moving on by itself: remembered on this device.
function choices(prefs) {
  const box = el("div", { class: "hd-g-settings" });
  const voices = el("div", { class: "hd-g-voices", role: "radiogroup", "aria-label": "Cues" });
  for (const [value, text] of VOICES) {
    const option = el("label", { class: "hd-g-voice" });
    const input = el("input", { type: "radio", name: "hd-g-voice", value, checked: prefs.voice === value });
    input.addEventListener("change", () => { prefs.voice = value; saveJSON(SETTINGS, prefs); });
    option.append(input, text);
    voices.append(option);
  }
  const more = el("details", { class: "hd-g-more" });
  const leadIn = el("select", { "aria-label": "Lead-in before each set" });
  for (const s of LEADS) leadIn.append(el("option", { value: s, selected: s === prefs.lead }, s ? `${s} s` : "none"));
  leadIn.addEventListener("change", () => { prefs.lead = Number(leadIn.value); saveJSON(SETTINGS, prefs); });
  const moveOn = el("input", { type: "checkbox", checked: prefs.moveOn });
  moveOn.addEventListener("change", () => { prefs.moveOn = moveOn.checked; saveJSON(SETTINGS, prefs); });
  const leadLabel = el("label", {}, "Get ready before each set ");
  leadLabel.append(leadIn);
  const moveLabel = el("label", {});
  moveLabel.append(moveOn, " Move on by itself when the last countdown ends");
  more.append(el("summary", {}, "Lead-in and moving on"), leadLabel, moveLabel);
  box.append(voices, more);
  return box;
}

// The finish: "Session counted. 2 of 3 this week." once, and the screen may sleep again.
function finish(data, parent) {
  const running = parent.querySelector(".hd-guided");
  if (running) running._stop();
  wake.shown = null;
  const store = `hipdash:guided:${data.key}`;
  const kept = loadJSON(store, {});
  if (kept.visit !== data.visit) {
    speak(data.finish, settings().voice);
    saveJSON(store, { visit: data.visit });
  }
  keepAwake(false);
  if (running) running.remove();
  if (!parent.querySelector(".hd-guided-end")) {
    parent.append(el("div", { class: "hd-guided-end", "data-testid": "hd-guided-end", hidden: true }));
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const send = (action) => setTriggerValue("action", { ...action, visit: data.visit });
  if (data.finish !== undefined && data.finish !== null) {
    finish(data, parentElement);
    return () => {};
  }
  let root = parentElement.querySelector(".hd-guided");
  if (root && root.dataset.visit !== data.visit) { root._stop(); root.remove(); root = null; }
  if (!root) {
    for (const end of parentElement.querySelectorAll(".hd-guided-end")) end.remove();
    root = runner(data, send);
    parentElement.append(root);
  }
  root._update(data, send);
  return () => { root._stop(); keepAwake(false); };
}
