// Today's session: the routine's title, the date and the start buttons, the progress header
// and one card per exercise, drawn in the browser.
//
// Python sends the routine (text only: everything is set with textContent, links and
// players only with URLs it has checked) and the day's state as it is in the log. A click
// is shown at once as "saving" and sent to Python, which writes it under the log's lock and
// sends the state back; only then does the count change. Each render only patches what
// changed, so an open video, a running countdown and the scroll position are kept.

function build(data, root) {
  // Another routine's cards: the old ones' countdowns stop (their beep would be for nothing),
  // once their cards are gone (pausing one at its very end still ends it).
  const old = root._timers || [];
  root._timers = [];
  root._shownKey = null;  // new boxes: their first states are no one's change
  root.replaceChildren();
  for (const timer of old) timer.pause();
  root.className = "hd-today";
  root.dataset.structure = data.structure;
  root.setAttribute("data-testid", "hd-today");
  root.append(top(data.top, root), header(root));
  for (const section of data.sections) root.append(sectionBlock(section, root));
  root.append(clearBlock(root), afterBlock(root));
}

function top(routine, root) {
  const box = el("div", { class: "hd-top" });
  // A long title (an imported note's, four lines on a phone) is cut to two lines, so the
  // first exercise stays on the first screen; a button under it shows it whole.
  const title = el("h2", { class: "hd-title", "data-testid": "hd-title" }, routine.title);
  const whole = el("button", { type: "button", class: "hd-quiet hd-whole-title",
    "data-testid": "hd-whole-title", "aria-expanded": "false", hidden: true }, "Show the whole title");
  whole.addEventListener("click", () => {
    const open = title.classList.toggle("hd-open");
    whole.setAttribute("aria-expanded", String(open));
    whole.textContent = open ? "Show less of the title" : "Show the whole title";
  });
  box.append(title, whole);
  if (routine.links.length) box.append(links(routine.links, "hd-routine-links"));
  box.append(el("p", { class: "hd-schedule" }, routine.schedule));
  // Until the person has a routine of their own: this one is the example, and where to
  // bring theirs in (opened in place, as the nav bar's links are).
  const example = el("p", { class: "hd-example", "data-testid": "hd-example", hidden: true },
    "The example routine that comes with hipdash. ");
  const own = el("a", { href: "./routines?view=Import" }, "Import your own note");
  own.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    history.pushState({}, "", own.href);
    dispatchEvent(new PopStateEvent("popstate", { state: {} }));
  });
  example.append(own);
  box.append(example);
  const day = el("input", { type: "date", "data-testid": "hd-day" });
  const label = el("label", { class: "hd-day-label" }, "Session date");
  const note = el("p", { class: "hd-day-note", role: "status", hidden: true });
  // A day the cards cannot show (a phone's picker may ignore `max`), or none: the box
  // shows the day the cards are on, never another that a tick would not be saved for.
  // Not while it is typed in: a year typed passes through 0002, 0020 and 0202.
  const canShow = (d) => day.value && day.value >= d.min_day && day.value <= d.max_day;
  const putRight = () => {
    const d = root._data;
    const chosen = day.value;
    if (canShow(d)) return;
    day.value = d.day;
    if (!chosen) return;
    note.textContent = chosen > d.max_day
      ? `That day is still to come: the cards stay on ${d.day_long}.`
      : `hipdash keeps days from ${d.min_day.slice(0, 4)} on: the cards stay on ${d.day_long}.`;
    note.hidden = false;
  };
  day.addEventListener("change", () => {
    const d = root._data;
    note.hidden = true;
    if (canShow(d)) {
      if (day.value !== d.day) send(root, { kind: "day", date: day.value });
    } else if (document.activeElement !== day) putRight();
  });
  day.addEventListener("blur", putRight);
  label.append(day);
  box.append(label, note);
  const start = el("div", { class: "hd-start" });
  const guided = el("button", { type: "button", class: "hd-primary", "data-testid": "hd-guided" },
    "▶️ Start guided session");
  guided.addEventListener("click", () => {
    unlockAudio();  // this tap lets the guided session speak and beep
    guided.disabled = true;
    root._leavingAt = send(root, { kind: "guided" });  // its number
    root.classList.add("hd-leaving");  // a tap now would be left behind with the page
  });
  const timer = el("button", { type: "button", class: "hd-timer", "data-testid": "hd-timer" });
  timer.addEventListener("click", () => {
    timer.disabled = true;
    send(root, { kind: "timer", start: !root._data.timer_started });
  });
  start.append(guided, timer);
  box.append(start);
  return box;
}

function updateTop(root, data) {
  requestAnimationFrame(() => {
    const title = root.querySelector(".hd-title");
    const cut = title.scrollHeight > title.clientHeight + 8;  // a whole line hidden, not a descender
    root.querySelector(".hd-whole-title").hidden = !cut && !title.classList.contains("hd-open");
  });
  root.querySelector(".hd-example").hidden = !data.example;
  const day = root.querySelector(".hd-top input[type=date]");
  day.min = data.min_day;
  day.max = data.max_day;
  if (document.activeElement !== day || day.value === "") day.value = data.day;
  const guided = root.querySelector('[data-testid="hd-guided"]');
  guided.disabled = false;
  // Where it goes on, in words a phone shows (a title is a tooltip it never shows).
  if (data.guided_done) guided.replaceChildren("▶️ Guided session: summary");
  else if (data.guided_at) {
    guided.replaceChildren("▶️ Resume guided session",
      el("span", { class: "hd-at" }, ` at ${data.guided_at}`));
  } else guided.replaceChildren("▶️ Start guided session");
  const timer = root.querySelector('[data-testid="hd-timer"]');
  timer.disabled = false;
  timer.classList.toggle("hd-primary", !!data.timer_started);
  timer.textContent = data.timer_started
    ? `Stop timer (started ${data.timer_since})` : "Start session timer";
}

function header(root) {
  const head = el("div", { class: "hd-head", "data-testid": "hd-head" });
  const row = el("div", { class: "hd-head-row" });
  const text = el("p", { class: "hd-head-text", role: "status", "aria-live": "polite" });
  text.append(
    el("span", { class: "hd-day" }),
    el("strong", { class: "hd-count", "data-testid": "hd-count" }),
  );
  const clock = el("span", { class: "hd-clock", "data-testid": "hd-clock", hidden: true });
  const undo = el("button", { type: "button", class: "hd-undo hd-quiet", "data-testid": "hd-undo" },
    "Undo");
  undo.addEventListener("click", () => send(root, { kind: "undo" }));
  row.append(text, clock, undo);
  const bar = el("div", { class: "hd-bar", role: "presentation" });
  bar.append(el("div", { class: "hd-bar-fill" }));
  // What the count means, always in words under it: how many make a session, or that it counts.
  // Then what a change could not do or an Undo did: in the header, in view wherever the
  // page is scrolled to (the box it is about may be far down).
  head.append(row, bar, el("p", { class: "hd-session", "data-testid": "hd-session" }),
    el("div", { class: "hd-message", role: "alert", hidden: true }));
  return head;
}

function sectionBlock(section, root) {
  const block = el("section", { class: "hd-section", "data-section": section.id });
  block.append(el("h3", {}, section.title));
  const all = el("button", { type: "button", class: "hd-tick-all hd-quiet",
    "data-testid": "hd-tick-all" }, `Tick all in ${section.title}`);
  all.addEventListener("click", () => {
    const items = section.exercises.flatMap((ex) => ex.items.map((i) => i.key));
    markPending(root, items.filter((k) => !root._data.state[k]), true);
    send(root, { kind: "section", section: section.id, seen: seenOf(root, items) });
  });
  block.append(all);
  for (const exercise of section.exercises) block.append(card(exercise, root));
  return block;
}

function card(ex, root) {
  const box = el("div", { class: "hd-card", "data-exercise": ex.key, "data-testid": "hd-card" });
  const details = ex.details ? el("p", { class: "hd-details" }, ex.details) : null;
  if (ex.steps) {
    box.append(el("p", { class: "hd-ex-title" }, ex.title));
    if (details) box.append(details);
  }
  for (const item of ex.items) {
    const label = el("label", { class: "hd-tick", "data-testid": "hd-tick", "data-item": item.key });
    const input = el("input", { type: "checkbox" });
    input.addEventListener("click", (event) => tick(root, item.key, input, event));
    label.append(input, el("span", {}, item.title));
    if (ex.optional && !ex.steps) label.append(el("span", { class: "hd-optional" }, "optional"));
    box.append(label);
    if (item.notes) box.append(el("p", { class: "hd-step-notes" }, item.notes));
  }
  if (details && !ex.steps) box.append(details);
  if (ex.timer) box.append(holdTimer(ex.timer, root._data.timer_scale, ex.holds, root._timers));
  if (ex.image) box.append(el("p", { class: "hd-image" }, `Image: ${ex.image}`));
  if (ex.links.length) box.append(links(ex.links, "hd-links"));
  if (ex.video) box.append(player(ex.video));
  return box;
}

function links(list, className) {
  const p = el("p", { class: className });
  list.forEach((link, i) => {
    if (i) p.append(" · ");
    p.append(el("a", { href: link.url, target: "_blank", rel: "noopener noreferrer" }, link.title), " ↗");
  });
  return p;
}

function player(video) {
  const wrap = el("div", { class: "hd-video" });
  const label = video.title ? `Watch: ${video.title}` : "Watch the video";
  const toggle = el("button", { type: "button", class: "hd-watch", "aria-expanded": "false",
    "data-testid": "hd-watch" }, `▸ ${label}`);
  const panel = el("div", { class: "hd-player", hidden: true });
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = `${open ? "▾" : "▸"} ${label}`;
    panel.replaceChildren();
    panel.hidden = !open;
    if (!open) return;  // closing removes the player: nothing keeps playing or loading
    panel.append(el("iframe", { src: video.embed, title: label, allowfullscreen: true,
      allow: "accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen",
      referrerpolicy: "strict-origin-when-cross-origin" }));
    if (video.description) panel.append(el("p", { class: "hd-details" }, video.description));
    panel.append(links([{ title: "Open on YouTube", url: video.watch }], "hd-links"));
  });
  wrap.append(toggle, panel);
  return wrap;
}

// The dose's holds one after another ("2 × 45 s each side": four), each started with a tap
// (time to switch sides), named above the button; the last one's end says "✓ Done".
function holdTimer(seconds, scale, holds, timers) {
  const box = el("div", { class: "hd-hold", "data-testid": "hd-hold-timer", "data-state": "idle" });
  const which = el("p", { class: "which", "data-testid": "hd-hold-which", hidden: !holds.length });
  const go = el("button", { type: "button", class: "go" });
  const shown = el("span", { class: "time", role: "timer", "aria-live": "off" });
  const reset = el("button", { type: "button" }, "Reset");
  let at = 0;  // the hold counted down, of `holds`
  const draw = (left) => {
    const running = timer.running();
    const done = left <= 0 && at >= holds.length - 1;
    const count = `${at + 1} of ${holds.length}`;  // said already when each hold is a set
    which.textContent = holds.length ? (holds[at].endsWith(count) ? holds[at] : `${holds[at]} · ${count}`) : "";
    shown.textContent = done ? "✓ Done" : fmtSeconds(left);
    go.textContent = running ? "Pause" : left < seconds && left > 0 ? "Resume" : `Start ${fmtSeconds(seconds)} hold`;
    box.dataset.state = done ? "done" : running ? "running" : "idle";
  };
  const timer = countdown(seconds, scale, draw, () => {
    if (!box.isConnected) return;  // the page was left: its end is for nothing on the screen
    beep();
    if (at < holds.length - 1) { at += 1; timer.reset(); } else draw(0);
  });
  go.addEventListener("click", () => (timer.running() ? timer.pause() : timer.start()));
  reset.addEventListener("click", () => { at = 0; timer.reset(); });
  timers.push(timer);
  box.append(which, go, shown, reset);
  draw(seconds);
  return box;
}

function clearBlock(root) {
  const block = el("div", { class: "hd-clear" });
  const open = el("button", { type: "button", class: "hd-quiet", "data-testid": "hd-clear" },
    "Clear this day…");
  const confirm = el("div", { class: "hd-clear-confirm", hidden: true });
  const question = el("p", {});
  // Unticking the day is not what the page invites: plain Cancel, focused first (Enter
  // keeps the day), and the clear in red, not the green of the page's own actions.
  const yes = el("button", { type: "button", class: "hd-danger", "data-testid": "hd-clear-yes" },
    "Yes, clear the day");
  const no = el("button", { type: "button" }, "Cancel");
  open.addEventListener("click", () => { confirm.hidden = false; open.hidden = true; no.focus(); });
  no.addEventListener("click", () => { confirm.hidden = true; open.hidden = false; });
  yes.addEventListener("click", () => {
    confirm.hidden = true; open.hidden = false;
    const items = Object.keys(root._data.state);
    send(root, { kind: "clear", seen: seenOf(root, items) });
  });
  confirm.append(question, yes, no);
  block.append(open, confirm);
  return block;
}

// "After the session · or a day off": opens the page's panel of forms right under it.
function afterBlock(root) {
  const block = el("div", { class: "hd-after" });
  const toggle = el("button", { type: "button", class: "hd-after-toggle",
    "data-testid": "hd-after-toggle", "aria-expanded": "false" });
  toggle.addEventListener("click", () => {
    toggle.disabled = true;
    send(root, { kind: "after", open: !root._data.after_open });
  });
  block.append(toggle, el("p", { class: "hd-saved", "data-testid": "hd-saved", hidden: true }));
  return block;
}

function updateAfter(root, data) {
  const toggle = root.querySelector(".hd-after-toggle");
  toggle.disabled = false;
  toggle.setAttribute("aria-expanded", String(data.after_open));
  toggle.textContent = `${data.after_open ? "▾" : "▸"} After the session · or a day off`;
  const saved = root.querySelector(".hd-saved");
  saved.hidden = data.after_open || !data.after_saved;
  saved.textContent = data.after_saved;
}

function seenOf(root, items) {
  return Object.fromEntries(items.map((k) => [k, !!root._data.state[k]]));
}

// A tap this soon after another device changed the box was aimed at what it showed before
// (no one sees a box flip and means to flip it back within a second): it is not taken as
// the opposite of what the person meant, but said, and the next tap counts.
const OUTSIDE_MS = 1000;
// A second tap on a box this soon after the first is a sweaty finger's bounce, not a
// change of mind: it is dropped, as the guided view's big button drops one.
const DOUBLE_TAP_MS = 600;

function tick(root, item, input, event) {
  const label = input.closest(".hd-tick");
  const bounce = performance.now() - (label._tappedAt || -Infinity) < DOUBLE_TAP_MS;
  if (root._pending.has(item) || bounce) { event.preventDefault(); return; }  // one save at a time
  outsideNote(root, item)?.remove();
  if (performance.now() - (label._outsideAt || -Infinity) < OUTSIDE_MS) {
    event.preventDefault();
    label._outsideAt = -Infinity;
    const how = root._data.state[item] ? "ticked" : "unticked";
    label.after(el("p", { class: "hd-outside", role: "status", "data-for": item },
      `Just ${how} on another device. Tap again to change it.`));
    return;
  }
  const seen = !!root._data.state[item];
  label._tappedAt = performance.now();
  markPending(root, [item], input.checked);
  send(root, { kind: "tick", item, seen, want: input.checked });
}

function outsideNote(root, item) {
  return root.querySelector(`.hd-outside[data-for="${CSS.escape(item)}"]`);
}

function markPending(root, items, checked) {
  for (const key of items) {
    const label = root.querySelector(`.hd-tick[data-item="${CSS.escape(key)}"]`);
    if (!label) continue;
    label.querySelector("input").checked = checked;
    label.classList.add("hd-pending");
    root._pending.set(key, nextSeq(root._box));
  }
}

function send(root, action) {
  root._said = null;
  return enqueue(root._box, action);
}

function update(root, data) {
  const sameDay = root._shownKey === data.history_key;  // else its boxes are another day's
  const own = data.ack !== root._ackShown;  // it answers this tab's action (Undo, Clear, ...)
  root._shownKey = data.history_key;
  root._ackShown = data.ack;
  if (!sameDay) root._pending.clear();  // the last day's taps: said if not sent (default)
  root.classList.toggle("hd-leaving", (root._leavingAt || 0) > (data.answered || 0));
  root._data = data;
  if (!sameDay) for (const note of root.querySelectorAll(".hd-outside")) note.remove();
  for (const [key, seq] of root._pending) if (data.ack >= seq) root._pending.delete(key);
  const later = new Set(data.later || []);  // joined the routine after this day: not counted
  for (const label of root.querySelectorAll(".hd-tick")) {
    const key = label.dataset.item;
    const pending = root._pending.has(key);
    label.classList.toggle("hd-pending", pending);
    const input = label.querySelector("input");
    if (!sameDay) label._outsideAt = -Infinity;
    if (!pending && input.checked !== !!data.state[key]) {
      if (sameDay && !own) label._outsideAt = performance.now();  // changed elsewhere, just now
      label._tappedAt = -Infinity;  // a tap on what it shows now is no bounce of the last
      input.checked = !!data.state[key];
      outsideNote(root, key)?.remove();  // it says what the box no longer shows
    }
    const tag = label.querySelector(".hd-later");
    if (later.has(key) && !tag) label.append(el("span", { class: "hd-optional hd-later" }, "added after this day"));
    if (!later.has(key) && tag) tag.remove();
  }
  for (const note of root.querySelectorAll(".hd-failed")) note.remove();
  const failed = data.failed && root.querySelector(`.hd-tick[data-item="${CSS.escape(data.failed)}"]`);
  if (failed) failed.after(el("p", { class: "hd-failed" }, "❌ This tick was not saved."));
  for (const card of root.querySelectorAll(".hd-card")) {
    const boxes = [...card.querySelectorAll(".hd-tick")];
    card.classList.toggle("hd-done", boxes.every((b) => data.state[b.dataset.item]));
  }
  for (const block of root.querySelectorAll(".hd-section")) {
    const boxes = [...block.querySelectorAll(".hd-tick")];
    block.querySelector(".hd-tick-all").disabled = boxes.every((b) => data.state[b.dataset.item]);
  }
  if (!data.first) keepHistory(data, (action) => send(root, action));  // (a first screen has no session)
  updateTop(root, data);
  updateHeader(root, data);
  updateClear(root, data);
  updateAfter(root, data);
  // What the server said, else a lost tap's message (`say`) until the next tap.
  showMessage(root, data.message || (root._said && { kind: "error", text: root._said }));
}

function showMessage(root, said) {
  const message = root.querySelector(".hd-message");
  message.hidden = !said;
  message.className = `hd-message ${said ? `hd-${said.kind}` : ""}`;
  message.textContent = said ? said.text : "";
}

function updateHeader(root, data) {
  const c = data.counts;
  root.querySelector(".hd-day").textContent = data.day_label ? `${data.day_label} · ` : "";
  root.querySelector(".hd-count").textContent = `${c.done} / ${c.total} done`;
  root.querySelector(".hd-bar-fill").style.width = `${c.total ? (100 * c.done) / c.total : 0}%`;
  const line = root.querySelector(".hd-session");
  line.textContent = c.line;
  line.classList.toggle("hd-counted", c.counted);
  root.querySelector(".hd-undo").disabled = !data.can_undo;
  startClock(root, data.timer_started);
}

function startClock(root, started) {
  const clock = root.querySelector(".hd-clock");
  clearInterval(root._clock);
  clock.hidden = !started;
  if (!started) return;
  const draw = () => {
    const s = Math.max(0, Math.floor((Date.now() - started) / 1000));
    clock.textContent = `⏱️ ${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  draw();
  root._clock = setInterval(draw, 1000);
}

function updateClear(root, data) {
  const ticked = Object.values(data.state).filter(Boolean).length;
  root.querySelector('[data-testid="hd-clear"]').disabled = !ticked;
  root.querySelector(".hd-clear-confirm p").textContent =
    `Untick all ${ticked} ticked items of ${data.day_long}? You can undo it.`;
}

// Open the page the server named (the guided view after Start guided session) from the
// browser, as go.js does (see there): the browser leaves first, so this page's 2 s watch
// asks nothing of the server once it has moved on; only from Today, where it was asked.
function leave({ go, from }) {
  if (new URL(`./${from}`, location.href).pathname !== location.pathname) return;
  history.pushState({}, "", new URL(go, location.href).href);
  dispatchEvent(new PopStateEvent("popstate", { state: {} }));
}

// Today's first screen, drawn from the page's HTML before Streamlit was up (first.js):
// if it shows this routine's day, its elements become these cards as they are (a box
// ticked, a countdown running, a video open) and what was tapped on it is sent now;
// otherwise it goes, and a tap made on it is said to be lost.
function adopt(data, parentElement) {
  const first = window.__hdFirst;
  if (!first || first.adopted) return null;
  first.adopted = true;
  const root = first.holder.querySelector(".hd-today");
  const tapped = !!root?._box.queue.length;
  if (!first.holder.isConnected) {  // it gave up waiting for the page (first.js)
    parentElement._lost = tapped && LOST_OPENING;
    return null;
  }
  const scrolled = window.scrollY;  // the first screen scrolls the window, Streamlit its main
  first.end();
  if (root?.dataset.structure === data.structure && root._shownKey === data.history_key) {
    parentElement.append(root);
    root._box.held = false;  // what it queued goes now (`update`)
    const main = parentElement.closest('[data-testid="stMain"]');
    if (scrolled && main) {
      window.scrollTo(0, 0);
      main.scrollTop = scrolled;
    }
    return root;
  }
  parentElement._lost = tapped && LOST_OPENING;
  return null;
}

const LOST_OPENING = "A tap made while the page opened was not saved: tap it again.";
const LOST_CHANGING = "A tap made as the page changed was not saved: tap it again.";

// A tap not saved, said where Undo is until the next tap (or the server says something).
function say(root, text) {
  root._said = text;
  showMessage(root, { kind: "error", text });
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (data.go) {  // the cards as they were until the page is left
    const left = parentElement.querySelector(".hd-today");
    if (left) closeOutbox(left._box);
    return leave(data);
  }
  let root = parentElement.querySelector(".hd-today") || adopt(data, parentElement);
  if (!root) {
    root = el("div");
    root._pending = new Map();
    // Numbered from now: above any seq an earlier page of this session sent.
    root._box = outbox((action) => root._send("action", action), !!data.first);
    root._box.lost = () => {  // given up after its resends (outbox.js)
      root._pending.clear();
      update(root, root._data);
      say(root, "A tap was not saved: the app did not answer. Tap it again.");
    };
    parentElement.append(root);
  }
  root._send = setTriggerValue;
  root._data = data;
  // Another day (or routine) shown: a tap waiting behind the change was made on the last.
  if (root._shownKey && root._shownKey !== data.history_key && dropWaiting(root._box, data.answered)) {
    parentElement._lost = LOST_CHANGING;
  }
  answered(root._box, data.answered);
  if (root.dataset.structure !== data.structure) build(data, root);
  update(root, data);
  const carried = window.__hdLostTap;  // from cards drawn anew a moment ago (below)
  if (carried && Date.now() - carried.at < 5000) parentElement._lost ??= carried.text;
  window.__hdLostTap = null;
  if (parentElement._lost) {
    say(root, parentElement._lost);
    parentElement._lost = null;
  }
  return () => {  // unmounted: another day's cards drawn anew, or the page left
    clearInterval(root._clock);
    if (dropWaiting(root._box, root._box.answered)) window.__hdLostTap = { text: LOST_CHANGING, at: Date.now() };
    closeOutbox(root._box);
  };
}
