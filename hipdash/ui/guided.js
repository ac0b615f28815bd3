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
const NAMED = "hipdash:guided:named";  // the last exercise named aloud ("Next: …"), and when
const NAMED_FOR_MS = 30000;  // an arrival this soon after it leaves its title out
const DOSED = "hipdash:guided:dosed";  // a dose just chosen: for which screen, after its rest?
const UNDO_MS = 5000;  // how long "✓ … done · Undo" is offered
const UNDO_ARMED_MS = 500;  // a tap on its Undo sooner is a double tap's second: ignored
const RESUME_MS = 30 * 60 * 1000;  // Start again on a set left this recently: it goes on
const DOUBLE_TAP_MS = 600;  // a tap on the big button, or what takes its place, this soon after it: ignored
const VOICES = [["voice", "Voice"], ["beeps", "Beeps only"], ["silent", "Silent"]];
const LEADS = [0, 3, 5, 10];  // before each set and side
const READIES = [0, 5, 10, 15, 20, 30];  // before each exercise: from one pose into the next
const WORDS_PER_SECOND = 2.5;  // a phone's voice at its usual rate

function loadJSON(key, fallback) {
  try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
}

function saveJSON(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: kept in memory */ }
}

function settings() {
  return { voice: "voice", lead: 3, ready: 10, moveOn: true, ...loadJSON(SETTINGS, {}) };
}

// `now`: what is still queued is dropped first, so a cue that marks time ("Go.", "3",
// "Switch sides.") is said when it happens, not after a long title still being read.
function speak(text, mode, now = false) {
  if (mode !== "voice" || !text || !window.speechSynthesis) return;
  try {  // the default voice if getVoices() is empty: the phone picks one
    if (now) window.speechSynthesis.cancel();
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

// The lead-in and side switches at the chosen length (a reload keeps the one it began
// with), phases of no length left out, each with its countdown in ms (null: a tap ends it).
// An exercise's first lead-in is the time to get into its position (`ready`), unless a
// rest comes first: the rest is that time.
function runPhases(data, lead, ready) {
  const first = data.phases.findIndex((p) => p.kind === "lead" || p.kind === "rest");
  return data.phases
    .map((p, i) => (p.kind === "lead" || p.kind === "switch" ? { ...p, seconds: i === first ? ready : lead } : p))
    .filter((p) => p.seconds !== 0)
    .map((p) => ({ ...p, ms: p.seconds ? p.seconds * 1000 * data.scale : null }));
}

// Seconds to say the arrival and the lead-in's words ("Go." drops what is still being said),
// spoken: a long title and its steps are heard to the end before the set begins.
function heard(data, prefs) {
  if (prefs.voice !== "voice") return 0;
  const lead = data.phases.find((p) => p.kind === "lead");
  const words = `${data.arrival} ${lead ? lead.say : ""}`.split(/\s+/).filter(Boolean).length;
  return Math.ceil(words / WORDS_PER_SECOND) + 1;
}

// The runner's elements, in screen order.
function runnerElements(data, prefs, send) {
  const button = (cls, id, text) => el("button", { type: "button", class: cls, "data-testid": id }, text);
  const ui = {
    root: el("div", { class: "hd-guided", "data-testid": "hd-guided", "data-state": "ready" }),
    label: el("p", { class: "hd-g-label", "data-testid": "hd-g-label", "aria-live": "polite" }),
    time: el("p", { class: "hd-g-time", "data-testid": "hd-g-time", role: "timer", "aria-live": "off" }),
    dots: el("p", { class: "hd-g-dots", "aria-hidden": "true" }),
    main: button("hd-g-main", "hd-g-main"),
    restart: button("hd-g-quiet", "hd-g-restart", "Restart set"),
    wait: button("hd-g-quiet hd-g-wait", "hd-g-wait"),
    back: button("hd-g-nav", "hd-g-back", "Back"),
    skip: button("hd-g-nav", "hd-g-skip", "Skip exercise"),
    undo: el("p", { class: "hd-g-undo", "data-testid": "hd-g-undo", role: "status", hidden: true }),
    dim: el("p", { class: "hd-g-dim", "data-testid": "hd-g-dim", hidden: true },
      "The screen may dim: this browser does not keep it awake."),
  };
  ui.row = el("div", { class: "hd-g-row" });
  ui.row.append(ui.back, ui.restart, ui.skip);
  ui.root.append(ui.undo, ui.label, ui.time, ui.dots, ui.main, ui.wait, offer(data, send), ui.row,
    choices(prefs), ui.dim);
  return ui;
}

// The screen for a view of the phases (`viewPhases`): the phase, its time, the dots of the
// sets, and what the big button and the quiet ones say.
function drawRunner(ui, phases, state, sent, reps) {
  const view = viewPhases(phases, state, Date.now());
  const work = phases.filter((p) => p.kind === "work" || p.kind === "tap");
  ui.root.dataset.state = phases.length ? view.status : "none";
  ui.root.dataset.at = String(view.at);
  const doneCount = work.filter((p) => phases.indexOf(p) < view.at).length;
  ui.dots.textContent = work.length > 1 ? work.map((_, i) => (i < doneCount ? "●" : "○")).join(" ") : "";
  ui.restart.hidden = !phases.some((p) => p.ms) || view.status === "ready";
  // kept in the layout when not wanted, so that nothing moves under a finger
  ui.wait.style.visibility = canSkipWait(phases, state) ? "visible" : "hidden";
  ui.wait.hidden = !phases.some((p) => WAITS.includes(p.kind) && p.ms);
  if (view.phase) ui.wait.textContent = view.phase.kind === "rest" ? "Skip rest" : "Start now";
  ui.main.disabled = sent && (view.status === "ended" || !phases.length);
  ui.label.hidden = ui.dots.hidden = ui.time.hidden = !phases.length;
  if (!phases.length) {
    ui.main.textContent = "Done";
    return;
  }
  const returning = ui.root.dataset.returning === "true" && view.status === "paused";
  ui.label.textContent = view.status === "ended" ? "✓ All sets done"
    : returning ? `Get into position · ${view.phase.label}` : view.phase.label;
  drawTime(ui.time, { ...view, timed: phases.some((p) => p.ms) }, reps);
  ui.main.textContent = {
    ready: "Start",
    running: "Pause",
    paused: "Resume",
    waiting: view.phase && view.phase.action,
    ended: sent ? "Saving…" : "Done",
  }[view.status];
}

function drawTime(time, view, reps) {
  const seconds = view.status === "ready" ? view.phase.seconds : view.left;
  const counting = seconds !== null && view.status !== "ended";
  const shown = counting ? fmtSeconds(Math.max(0, seconds))
    : view.status === "ended" ? "✓" : reps ? `${reps} reps` : "";
  const unit = shown.endsWith(" s") && counting;  // "20 s": the number big, the unit small
  time.replaceChildren(unit ? shown.slice(0, -2) : shown);
  if (unit) time.append(el("span", { class: "hd-g-unit" }, " s"));
  time.dataset.kind = counting ? "digits" : "words";
  time.dataset.timed = String(view.timed);  // its digits' height kept: "✓" and words too
}

// One stop's runner: its phases by the clock, what it says, and what it sends the page.
class Runner {
  constructor(data, sender) {
    this.data = data;
    this.sender = sender;
    this.store = `hipdash:guided:${data.key}`;
    this.prefs = settings();
    const kept = loadJSON(this.store, {});
    this.sig = JSON.stringify(data.phases);  // the routine may have changed meanwhile
    this.same = kept.visit === data.visit && kept.sig === this.sig;
    const keptOr = (name, or) => (this.same && Number.isFinite(kept[name]) ? kept[name] : or);
    this.lead = keptOr("lead", this.prefs.lead);
    this.ready = keptOr("ready", keptOr("lead", this.prefs.ready));  // kept before there were two
    const ready = this.ready && Math.max(this.ready, heard(data, this.prefs));
    this.phases = runPhases(data, this.lead, ready);
    this.state = this.same ? kept.state || null : null;
    this.sent = this.same && !!kept.sent;
    this.announced = this.same && !!kept.announced;
    this.saved = this.same ? kept.saved || 0 : 0;
    this.away = this.same && !!kept.away;  // paused by leaving the page, not by the person
    this.timer = null;
    this.page = location.pathname;  // the page it runs on: once left, it stops (left())
    this.since = Date.now();
    watchLeaving();
    dropSecondTaps();
    this.timing = data.timing;
    this.ui = runnerElements(data, this.prefs, (action) => this.send(action));
    this.ui.root.dataset.visit = data.visit;
    wake.shown = () => { this.ui.dim.hidden = !wake.refused; };
    this.listen();
  }

  send(action) {
    if (this.left()) return;
    // A dose chosen for an exercise already said: the screen it reloads into says the dose
    // and the set, not the title a second time (as after "Next: …").
    if (action.kind === "dose" && this.announced) saveJSON(NAMED, { said: this.data.named, at: Date.now() });
    // ... and goes on from where this one was: a section's rest already run is not run again.
    if (action.kind === "dose") saveJSON(DOSED, { stop: stopOf(this.data), at: Date.now(), rested: this.rested() });
    this.sender(action);
  }

  rested() {  // the section's rest before the exercise has run (or been skipped)
    const { phases, state } = this;
    return !!state && phases[0]?.kind === "rest" && (!!state.ended || state.at > 0);
  }

  // Whether the person has gone to another page (the address names another, or a link to
  // one was tapped since this runner began): a set that ends after that says nothing and
  // asks nothing of the server, which would run it as the next page opens and leave that
  // page blank (docs/reliability.md).
  left() {
    const gone = window.__hdLeaving;
    return location.pathname !== this.page || (!!gone && gone.from === this.page && gone.at >= this.since);
  }

  persist() {
    const { data, sig, lead, ready, state, sent, announced, away } = this;
    this.saved = Date.now();
    saveJSON(this.store, { visit: data.visit, sig, lead, ready, state, sent, announced, away, saved: this.saved });
  }

  draw() { drawRunner(this.ui, this.phases, this.state, this.sent, this.data.reps); }

  listen() {
    const { main, wait, restart, back, skip } = this.ui;
    main.addEventListener("pointerdown", (event) => { tapped.y = event.clientY; });
    main.addEventListener("click", () => this.press());
    wait.addEventListener("click", () => this.step(skipWait));
    restart.addEventListener("click", () => {
      if (!firstTap("restart")) return;
      this.sent = false;
      this.change(restartSet(this.phases, this.state, Date.now()));
      speak(this.phases[this.state.at].say, this.prefs.voice);
    });
    back.addEventListener("click", () => { if (firstTap("back")) this.send({ kind: "back" }); });
    skip.addEventListener("click", () => { if (firstTap("skip")) this.send({ kind: "skip" }); });
  }

  // The big button: what comes next (Start, Pause, Resume, a set's tap, Done).
  press() {
    if (!firstTap()) return;
    unlockAudio();
    this.backAlready();  // a tap while getting back into position: on at once
    const { phases, state } = this;
    const view = viewPhases(phases, state, Date.now());
    if (!phases.length || view.status === "ended") {
      if (!this.sent) { this.sent = true; this.persist(); this.draw(); this.send({ kind: "done", auto: false }); }
    } else if (view.status === "ready") {
      this.begin();
      if (!this.timing) { this.timing = true; this.send({ kind: "start" }); }
    }
    else if (view.status === "running") this.pause("Paused.", pausePhases);
    else if (view.status === "paused") this.pause("Go on.", resumePhases);
    else if (view.status === "waiting") this.step(tapPhase);
  }

  // The countdown left by leaving the page goes on after the time to get into position
  // (`ready`), said; a tap on the big button goes on at once.
  backInPosition() {
    speak("Get into position.", this.prefs.voice, true);
    this.ui.root.dataset.returning = "true";  // said on screen too: "Get into position · Hold"
    const wait = Math.max(1, this.ready) * 1000 * this.data.scale;
    this.returning = setTimeout(() => {
      this.backAlready();
      if (!this.state?.paused || this.left() || !this.ui.root.isConnected) return;
      speak("Go on.", this.prefs.voice, true);
      this.change(resumePhases(this.state, Date.now()));
    }, wait);
    this.draw();
  }

  backAlready() {  // the wait to get back into position is over, or cut short by a tap
    clearTimeout(this.returning);
    delete this.ui.root.dataset.returning;
  }

  // Pause or Resume, said: hands-free, the person hears that the tap took.
  pause(words, how) {
    this.away = false;  // the person's own pause stays when they come back
    speak(words, this.prefs.voice, true);
    this.change(how(this.state, Date.now()));
  }

  finished(event, tapped) {
    if (this.sent) return;
    const auto = !tapped && this.prefs.moveOn && !lateEnd(event, Date.now());
    if (!tapped && !auto) return;  // the person says Done
    speak(this.data.ending, this.prefs.voice, true);
    saveJSON(NAMED, { said: this.data.ending, at: Date.now() });
    this.sent = true;
    this.persist();
    this.send({ kind: "done", auto });
  }

  cue(event) {
    const { phases, prefs } = this;
    if (event.type === "phase") {
      const before = phases[event.from];
      if (before && before.ms) beep(before.kind === "work" ? 3 : 1, prefs.voice !== "silent");
      speak(phases[event.at].say, prefs.voice, true);
    } else if (event.type === "count") {
      speak(String(event.n), prefs.voice, true);
    } else if (event.type === "end") {
      const last = phases[phases.length - 1];
      if (last.ms) beep(3, prefs.voice !== "silent");
      this.finished(event, !last.ms);
    }
  }

  tick() {
    if (this.left()) { this.leave(); return; }
    const { state: next, events } = advance(this.phases, this.state, Date.now());
    if (next !== this.state) { this.state = next; this.persist(); }
    events.forEach((event) => this.cue(event));
    this.draw();
    const state = this.state;
    const running = state && !state.ended && !state.paused && state.ends !== null;
    const every = Math.max(10, Math.min(100, 250 * this.data.scale));
    if (running && !this.timer) this.timer = setInterval(() => this.tick(), every);
    if (!running && this.timer) this.stop();
  }

  begin(from = null) {  // `from`: a set begun again, else the exercise's first phase
    if (!this.announced) {  // what the last exercise left queued goes, unless it named this one
      if (namedJustNow(this.data)) speak(this.data.brief, this.prefs.voice);
      else this.sayArrival();
    }
    this.announced = true;
    if (this.phases.length) {
      this.state = from || startPhases(this.phases, Date.now());
      if (!from && restedBeforeDose(this.data)) this.state = skipWait(this.phases, this.state, Date.now()).state;
      speak(this.phases[this.state.at].say, this.prefs.voice);
    }
    this.persist();
    this.tick();
  }

  // A screen that waits for its Start: after Back, it says which exercise it is (hands-free,
  // the person hears where the tap went); the Start then says only the set's cue.
  arrive() {
    if (this.data.announce) {
      this.sayArrival();
      this.announced = true;
    }
    this.persist();
  }

  // The exercise said with its title: the last one named aloud now, so a "Next: …" said
  // before it no longer stands for the one after (Back, then Skip: that one is named again).
  sayArrival() {
    speak(this.data.arrival, this.prefs.voice, true);
    saveJSON(NAMED, { said: this.data.arrival, at: Date.now() });
  }

  change(next) { Object.assign(this, { state: next, away: false }); this.persist(); this.tick(); }

  step(move) {  // a phase ended by a tap: its cues, then on
    const { state: next, events } = move(this.phases, this.state, Date.now());
    Object.assign(this, { state: next, away: false });
    this.persist();
    events.forEach((event) => this.cue(event));
    this.tick();
  }

  update(fresh, sender) {
    this.sender = sender;
    this.timing = fresh.timing;
    this.ui.back.disabled = fresh.first;
    if (fresh.failed && this.sent) { this.sent = false; this.persist(); }  // not saved: Done again
    showUndo(this.ui.undo, fresh.undo, (action) => this.send(action), this.ui.main);
    this.draw();
  }

  stop() { if (this.timer) clearInterval(this.timer); this.timer = null; }

  // The page was left (a link, the nav, the component gone): a countdown waits, paused,
  // rather than run on and count a hold the person was not there for; a Start on coming
  // back goes on with it. A reload is no leaving: the set runs on.
  leave() {
    this.stop();
    this.backAlready();  // its screen gone (Skip, Back, the finish): nothing goes on
    keepAwake(false);
    if (!this.state || this.state.ended) return;
    const running = !this.state.paused && this.state.ends !== null;
    if (running) Object.assign(this, { state: pausePhases(this.state, Date.now()), away: true });
    this.persist();  // when it was left: the half hour of `start` counts from now
  }

  // Start guided session on the screen shown last (`resume`) goes on with its set as it was
  // left (paused, if the person paused it, its exercise said; a countdown paused by leaving
  // runs on, "Go on."), unless that was long ago: then the set begins afresh.
  start() {
    keepAwake(true);
    const resume = this.same && this.data.resume;
    const ran = !!this.state && Date.now() - this.saved < RESUME_MS;
    if (resume && this.state && !ran) {  // left long ago: its set again, from its lead-in
      Object.assign(this, { sent: false, announced: false, away: false });
      this.begin(restartSet(this.phases, this.state, Date.now()));
    } else if (resume && this.away && this.state?.paused) {  // paused by leaving: on it goes,
      this.away = false;  // once the person is back in position (the phone was in their hand)
      this.persist();
      this.backInPosition();
    } else if (resume && this.state && (this.state.paused || this.state.ends === null)) {
      this.sayArrival();  // paused, or waiting for a tap: hands-
    }  // free, the person hears where the session is (a running countdown has its own cues)
    if ((!this.same || !this.state) && this.data.autostart) this.begin();
    else if (!this.same) this.arrive();
    if (resume && !this.timing) { this.timing = true; this.send({ kind: "start", ran }); }
    this.tick();
  }
}

// Whether a tap on the big button (or a dose chip, which may appear where it was) is a tap
// of its own, not a double tap's second: that would count a second set, or pause what the
// first tap started, or save a dose into the routine. Back, Skip and Restart each keep
// their own time (`which`): a second tap on Skip would skip twice, and comes on Skip again.
// Kept for the page, across exercises; the last of them for `dropSecondTaps`.
function firstTap(which = "main") {
  const now = Date.now();
  const taps = (window.__hdTaps ??= {});
  if (now - (taps[which] || 0) < DOUBLE_TAP_MS) return false;
  taps[which] = window.__hdLastTap = now;
  return true;
}

// A tap on a link to another page in this tab (the view's own "Back to Today"): the page
// is left from that moment, though Streamlit changes the address only once the next page's
// run begins. Noted for the whole page, once: window.__hdLeaving = {from, at}.
function watchLeaving() {
  if (window.__hdLeaving !== undefined) return;
  window.__hdLeaving = null;
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href]");
    const elsewhere = event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (!link || link.target === "_blank" || elsewhere) return;
    if (new URL(link.href, location.href).pathname === location.pathname) return;
    window.__hdLeaving = { from: location.pathname, at: Date.now() };
  }, true);
}

// A double tap's second lands on what the first brought: after Skip, the next exercise's
// "Watch" toggle or its ratings, outside the runner. A click outside the runner this soon
// after one of its taps is dropped (in the capture phase, before the page's own handlers).
function dropSecondTaps() {
  if (window.__hdDropsSecondTaps) return;
  window.__hdDropsSecondTaps = true;
  window.addEventListener("click", (event) => {
    const late = Date.now() - (window.__hdLastTap || 0) >= DOUBLE_TAP_MS;
    if (late || event.target.closest?.(".hd-guided")) return;
    event.preventDefault();
    event.stopPropagation();
  }, true);
}

function stopOf(data) { return `${data.key}|${data.named}`; }  // the day's exercise, by name

// Whether this exercise's screen is the one a dose was just chosen on, after its section's
// rest had run: the screen it reloads into starts after the rest (read once).
function restedBeforeDose(data) {
  const dosed = loadJSON(DOSED, {});
  if (dosed.stop !== stopOf(data)) return false;
  saveJSON(DOSED, {});
  return !!dosed.rested && Date.now() - dosed.at < NAMED_FOR_MS;
}

// Whether the exercise before named this one ("Next: Squats.") a moment ago: its arrival
// then leaves the title out, so the title is not said twice in a row.
function namedJustNow(data) {
  const last = loadJSON(NAMED, {});
  return last.said === data.named && Date.now() - last.at < NAMED_FOR_MS;
}

function runner(data, sender) {
  const run = new Runner(data, sender);
  const root = run.ui.root;
  root._update = (fresh, send) => run.update(fresh, send);
  root._stop = () => run.stop();
  root._leave = () => run.leave();
  run.start();
  requestAnimationFrame(() => timeInView(run.ui, false));
  setTimeout(() => timeInView(run.ui, true), 400);  // again, once the page around is laid out
  return root;
}

// Where the big button is held at the foot of the screen (a phone, either way up: the
// CSS decides), the page may open with the countdown under it: on its side the page's top
// (the nav, the routine, the title) filled the screen; upright, the exercise before left
// it scrolled. As an exercise opens the page scrolls until the label is on screen and the
// row of Back and Skip (or, if that cannot fit, the dots) is above the button (the page's
// `scroll-padding-bottom`); with no countdown (no timer, no dose) the row alone. Marked
// done (`data-placed`) once the page around is laid out.
function timeInView(ui, last) {
  const held = getComputedStyle(ui.main).position === "fixed";
  if (held && ui.root.isConnected) {
    const room = ui.main.getBoundingClientRect().top - 12;  // above its white edge
    const top = (ui.dots.hidden ? ui.row : ui.label).getBoundingClientRect().top;
    const fits = ui.row.getBoundingClientRect().bottom - top <= room;
    const end = fits ? ui.row : ui.dots;
    if (top < 0 || end.getBoundingClientRect().bottom > room) end.scrollIntoView({ block: "end" });
  }
  if (last) ui.root.dataset.placed = "true";
}

// "✓ Pigeon stretch done · Undo" for a few seconds after the page ticked it: a toast fixed
// to the screen's top, taking no room, so nothing moves as it comes and goes; at the
// bottom instead where the big button, or the finger that tapped Done, is at the top.
function showUndo(line, undo, send, main) {
  if (!undo || line._for === undo.title) return;
  line._for = undo.title;
  const age = undo.age_ms || 0;  // the tick was this long ago: a return to the screen
  if (age >= UNDO_MS) return;
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
  setTimeout(() => { line.dataset.armed = "true"; }, Math.max(0, UNDO_ARMED_MS - age));
  setTimeout(() => { line.hidden = true; }, UNDO_MS - age);
}

function placeToast(line, main) {
  line.dataset.place = "top";
  const band = line.getBoundingClientRect();
  const button = main.getBoundingClientRect();
  const under = (y) => y >= band.top - 8 && y <= band.bottom + 8;
  const overlaps = button.top <= band.bottom + 8 && button.bottom >= band.top - 8;
  if (overlaps || (tapped.y !== null && under(tapped.y))) line.dataset.place = "bottom";
}

// Where an exercise states no dose: a few in one tap, saved into the routine. Folded
// away, so a sweaty tap just below Done opens the list rather than changing the routine.
function offer(data, send) {
  const box = el("details", { class: "hd-g-more hd-g-offer", "data-testid": "hd-g-offer", hidden: !data.offer });
  if (!data.offer) return box;
  box.append(el("summary", {}, "Give it a dose (saved in your routine)"));
  for (const words of data.offer) {
    const choice = el("button", { type: "button", class: "hd-g-chip" }, words);
    choice.addEventListener("click", () => {
      if (!firstTap()) return;
      box.hidden = true;
      send({ kind: "dose", words });
    });
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
    input.addEventListener("change", () => {
      prefs.voice = value;
      saveJSON(SETTINGS, prefs);
      if (value !== "voice") window.speechSynthesis?.cancel();  // nothing queued is said
    });
    option.append(input, text);
    voices.append(option);
  }
  const more = el("details", { class: "hd-g-more" });
  const moveOn = el("input", { type: "checkbox", checked: prefs.moveOn });
  moveOn.addEventListener("change", () => { prefs.moveOn = moveOn.checked; saveJSON(SETTINGS, prefs); });
  const moveLabel = el("label", {});
  moveLabel.append(moveOn, " Move on by itself when the last countdown ends");
  more.append(el("summary", {}, "Lead-ins and moving on"),
    secondsChoice(prefs, "ready", READIES, "Get into position for each exercise"),
    secondsChoice(prefs, "lead", LEADS, "Get ready before each set and side"), moveLabel);
  box.append(voices, more);
  return box;
}

// A length of time to choose (`prefs[name]`), remembered on this device; from the next
// exercise on (the running one keeps its phases).
function secondsChoice(prefs, name, values, text) {
  const select = el("select", { "aria-label": text });
  for (const s of values) select.append(el("option", { value: s, selected: s === prefs[name] }, s ? `${s} s` : "none"));
  select.addEventListener("change", () => { prefs[name] = Number(select.value); saveJSON(SETTINGS, prefs); });
  const label = el("label", {}, `${text} `);
  label.append(select);
  return label;
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
  parentElement._post = (action) => setTriggerValue("action", action);
  const box = (parentElement._box ??= outbox((action) => parentElement._post(action)));
  const send = (action) => enqueue(box, { ...action, visit: data.visit });
  answered(box, data.answered);
  if (data.finish !== undefined && data.finish !== null) {
    finish(data, parentElement);
    keepHistory(data, send);  // the last exercise's tick too, for a reload of the finish
    return () => closeOutbox(box);
  }
  let root = parentElement.querySelector(".hd-guided");
  // Another visit (Done, Skip, Back; another routine or day chosen on the page, which the
  // address's path does not show): the old set is left as leaving the page leaves it.
  if (root && root.dataset.visit !== data.visit) { root._leave(); root.remove(); root = null; }
  if (!root) {
    for (const end of parentElement.querySelectorAll(".hd-guided-end")) end.remove();
    root = runner(data, send);
    parentElement.append(root);
  }
  root._update(data, send);
  keepHistory(data, send);
  return () => {  // unmounted: the page was left
    root._leave();
    closeOutbox(box);
  };
}
