// A component's actions reach Python one at a time, each until it is answered, and each is
// done once. Streamlit can lose an action, or deliver it twice: when the page's 2 s watch
// (hipdash.ui.live) asks for its run as a component sends an action, the front end puts
// the action in both requests; the watch's run does it, and the component's own run, which
// would answer it, may never come (a tap on Start guided session left waiting; a second
// Undo). So each action has a rising number (`seq`); the next is sent once the last is
// answered (`answered` in the component's data: the highest Python has taken; two sent at
// once, Streamlit keeps only the newer); one still not answered after two of the page's
// runs have ended since it was sent (Today's watch runs every 2 s) is sent again, up to
// RESENDS times, then given up and said; Python takes each number once
// (hipdash.ui.answered) and answers a number sent again with the page as it is. A server slow to answer ends no run meanwhile, and is
// not asked again: its late answers, and a second run of a page the answer has left, would
// come after the next page began (docs/reliability.md).
const RESENDS = 3;

// The runs the page has seen end (any run: the watch's, another component's), and who waits
// for the next to end. A resend goes right after a run ended: away from the watch's next
// request, which would take it again.
function watchRuns() {
  if (window.__hdRuns) return window.__hdRuns;
  const runs = (window.__hdRuns = { ended: 0, waiting: new Set() });
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app?.dataset.testScriptState !== "notRunning") return;
    runs.ended += 1;
    for (const check of [...runs.waiting]) check();
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-test-script-state"] });
  return runs;
}

// `post(action)` sends one action; nothing is sent while `held` (a first screen, before
// Streamlit is up); `lost(action)` hears of one given up after its resends.
function outbox(post, held = false) {
  const page = location.pathname;  // sent only from there: a page left asks nothing more
  return { post, held, page, queue: [], next: Date.now(), answered: 0, sent: null, tries: 0, check: null, lost: null };
}

// The number the next action will have (what a tick shown as being saved waits for).
const nextSeq = (box) => box.next;

function enqueue(box, action) {  // its number
  action.seq = box.next;
  box.next += 1;
  box.queue.push(action);
  pump(box);
  return action.seq;
}

// The component's data came: what Python has taken so far. The next number stays above it
// (a page opened again in the same server session, on a clock set back meanwhile).
function answered(box, seq) {
  box.answered = Math.max(box.answered, Number(seq) || 0);
  box.next = Math.max(box.next, box.answered + 1);
  pump(box);
}

function pump(box) {
  while (box.queue.length && box.queue[0].seq <= box.answered) box.queue.shift();
  const head = box.queue[0];
  if (!head || box.held || box.sent === head) return;
  box.sent = head;
  box.tries = 0;
  postOnce(box, head);
}

function postOnce(box, head) {
  stopWaiting(box);
  box.post(head);
  const runs = watchRuns();
  const since = runs.ended;
  box.check = () => {
    const waiting = box.queue[0] === head && !box.held && location.pathname === box.page;
    if (waiting && runs.ended - since < 2) return;  // no run, or only one under way, ended
    stopWaiting(box);
    if (!waiting) return;
    if (box.tries < RESENDS) {
      box.tries += 1;
      postOnce(box, head);
      return;
    }
    box.queue.shift();  // given up: said, and what waits behind it goes
    box.sent = null;
    box.lost?.(head);
    pump(box);
  };
  runs.waiting.add(box.check);
}

function stopWaiting(box) {
  window.__hdRuns?.waiting.delete(box.check);
  box.check = null;
}

// Actions not yet sent, taken out (the day they were tapped on is no longer shown); how many.
function dropWaiting(box, taken) {
  const before = box.queue.length;
  box.queue = box.queue.filter((action) => action === box.sent || action.seq <= taken);
  return before - box.queue.length;
}

// The page is left (or taken over): nothing more is sent from here.
function closeOutbox(box) {
  stopWaiting(box);
  box.queue.length = 0;
}
