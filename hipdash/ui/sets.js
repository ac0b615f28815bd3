// The guided view's set runner: a plan's steps (work and rests) one after another. A timed
// step counts down and, at zero, beeps and starts the next by itself; an untimed step (a
// set of reps) waits for its tap. Everything runs here in the browser; the page only sends
// the plan, and a rerun of the page never restarts a running sequence.

function runner(data) {
  const steps = data.steps;
  const root = el("div", { class: "hd-sets", "data-testid": "hd-sets", "data-state": "idle" });
  root.dataset.key = data.key;
  const label = el("p", { class: "hd-sets-label", "aria-live": "polite" });
  const time = el("p", { class: "hd-sets-time", role: "timer", "aria-live": "off" });
  const dots = el("p", { class: "hd-sets-dots", "aria-hidden": "true" });
  const main = el("button", { type: "button", class: "hd-sets-main", "data-testid": "hd-sets-main" });
  const skip = el("button", { type: "button", "data-testid": "hd-sets-skip" }, "Next ⏭");
  const again = el("button", { type: "button", "data-testid": "hd-sets-restart" }, "Restart");
  const row = el("div", { class: "hd-sets-row" });
  row.append(main, skip, again);
  root.append(label, time, dots, row);
  let at = 0, completed = 0, timer = null;

  const work = steps.filter((s) => !s.rest);
  const draw = (left) => {
    const step = steps[at];
    const finished = at >= steps.length;
    root.dataset.step = String(at);
    root.dataset.completed = String(completed);
    const running = timer && timer.running();
    root.dataset.state = finished ? "finished" : running ? (step.rest ? "resting" : "running")
      : timer && left > 0 && left < step.seconds ? "paused" : "idle";
    dots.textContent = work.map((_, i) => (i < completed ? "●" : "○")).join(" ");
    if (finished) {
      label.textContent = "All sets done ✓";
      time.textContent = "";
      main.hidden = skip.hidden = true;
      return;
    }
    main.hidden = skip.hidden = false;
    const next = steps.slice(at + 1).find((s) => !s.rest);
    label.textContent = step.rest ? `Rest${next ? ` · next: ${next.label}` : ""}` : step.label;
    if (step.seconds) {
      time.textContent = left <= 0 ? "0 s" : fmtSeconds(left);
      main.textContent = running ? "Pause" : left < step.seconds ? "Resume" : `Start ${fmtSeconds(step.seconds)}`;
    } else {
      time.textContent = data.reps ? `${data.reps} reps` : "";
      main.textContent = `✓ ${step.label === "Hold" ? "Done" : step.label} done`;
    }
    skip.textContent = step.rest ? "Skip rest ⏭" : "Next ⏭";  // not the exercise's Skip
  };
  const go = (index, autostart) => {
    if (timer) timer.reset();
    at = index;
    timer = null;
    const step = steps[at];
    if (step && step.seconds) {
      timer = countdown(step.seconds, data.scale, draw, () => {
        if (!step.rest) completed += 1;
        beep(step.rest ? 1 : 3);
        go(at + 1, true);
      });
      if (autostart) timer.start();
    }
    draw(step && step.seconds ? step.seconds : 0);
  };
  main.addEventListener("click", () => {
    const step = steps[at];
    if (!step) return;
    if (!step.seconds) { completed += 1; go(at + 1, false); return; }
    if (timer.running()) timer.pause(); else timer.start();
  });
  skip.addEventListener("click", () => go(at + 1, false));
  again.addEventListener("click", () => { completed = 0; go(0, false); });
  root._stop = () => timer && timer.reset();
  go(0, false);
  return root;
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(".hd-sets");
  if (root && root.dataset.key === data.key) return;  // a rerun: keep the running sequence
  if (root) { root._stop(); root.remove(); }
  parentElement.append(runner(data));
}
