// A component's actions reach Python one at a time, each until it is answered, and each is
// done once. Streamlit can lose an action, or deliver it twice: when the page's 2 s watch
// (hipdash.ui.live) asks for its run as a component sends an action, the front end puts
// the action in both requests; the watch's run does it, and the component's own run, which
// would answer it, may never come (a tap on Start guided session left waiting; a second
// Undo). So each action has a rising number (`seq`); the next is sent once the last is
// answered (`answered` in the component's data: the highest Python has taken; two sent at
// once, Streamlit keeps only the newer); one still not answered after two of the page's
// runs have ended since it was sent (the watch runs every 2 s) is sent again, up to
// RESENDS times; Python takes each number once (hipdash.ui.answered) and answers a number
// sent again with the page as it is. A server slow to answer ends no run meanwhile, and is
// not asked again: its late answers, and a second run of a page the answer has left, would
// come after the next page began (docs/reliability.md).
const RESEND_MS = 2000;
const RESENDS = 3;

// How many runs the page has seen end (any run: the watch's, another component's).
function runsEnded() {
  if (window.__hdRunsEnded === undefined) {
    window.__hdRunsEnded = 0;
    new MutationObserver(() => {
      const app = document.querySelector('[data-testid="stApp"]');
      if (app?.dataset.testScriptState === "notRunning") window.__hdRunsEnded += 1;
    }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-test-script-state"] });
  }
  return window.__hdRunsEnded;
}

// `post(action)` sends one action; nothing is sent while `held` (a first screen, before
// Streamlit is up).
function outbox(post, held = false) {
  const page = location.pathname;  // sent only from there: a page left asks nothing more
  return { post, held, page, queue: [], next: Date.now(), answered: 0, sent: null, tries: 0, timer: null };
}

// The number the next action will have (what a tick shown as being saved waits for).
const nextSeq = (box) => box.next;

function enqueue(box, action) {
  action.seq = box.next;
  box.next += 1;
  box.queue.push(action);
  pump(box);
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
  clearTimeout(box.timer);
  box.post(head);
  const ended = runsEnded();
  const check = () => {
    const waiting = box.queue[0] === head && !box.held && location.pathname === box.page;
    if (!waiting || box.tries >= RESENDS) return;
    if (runsEnded() - ended < 2) {  // no run, or only one already under way, has ended
      box.timer = setTimeout(check, RESEND_MS);
      return;
    }
    box.tries += 1;
    postOnce(box, head);
  };
  box.timer = setTimeout(check, RESEND_MS);
}

// The page is left (or taken over): nothing more is sent from here.
function closeOutbox(box) {
  clearTimeout(box.timer);
  box.queue.length = 0;
}
