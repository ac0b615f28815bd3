// Countdowns, beeps and small helpers in the browser, shared by Today's cards and the guided
// view. Countdowns keep time with the clock (not by counting intervals), so a slow phone or
// connection cannot stretch them, and signal the end with a beep (Web Audio: nothing is
// fetched) and a vibration.

const fmtSeconds = (s) => {
  const whole = Math.ceil(s);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
};

// One audio context for the page, made (or resumed) on a tap: a phone plays sound, and
// speaks, only after a tap has unlocked it, and a page may have only a few contexts.
function audio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!window.__hdAudio && Context) window.__hdAudio = new Context();
  return window.__hdAudio;
}

// Called from a tap (Start guided session, Start): unlocks sound and speech for the page.
function unlockAudio() {
  try { audio().resume(); } catch (e) { /* no audio: vibration and the screen remain */ }
  try {
    if (window.speechSynthesis) {
      const silence = new SpeechSynthesisUtterance(" ");
      silence.volume = 0;
      window.speechSynthesis.speak(silence);
    }
  } catch (e) { /* no speech: beeps remain */ }
}

// `times` beeps (none if `sound` is false) and a vibration.
function beep(times = 3, sound = true) {
  try {
    const ctx = sound ? audio() : null;
    for (let i = 0; ctx && i < times; i += 1) {
      const at = i * 0.35;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + at);
      osc.stop(ctx.currentTime + at + 0.2);
    }
  } catch (e) { /* no audio: the visual signal remains */ }
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
}

// A countdown of `seconds` (shown as written; `scale` < 1 runs it faster, for tests).
// onTick(left) on every step, onEnd() once at zero. Returns {start, pause, reset, running}.
function countdown(seconds, scale, onTick, onEnd) {
  let left = seconds, endsAt = null, timer = null;
  const stop = () => { clearInterval(timer); timer = null; endsAt = null; };
  const step = () => {
    left = Math.max(0, (endsAt - Date.now()) / (1000 * scale));
    onTick(left);
    if (left <= 0) { stop(); onEnd(); }
  };
  return {
    start() {
      if (endsAt) return;
      if (left <= 0) left = seconds;
      endsAt = Date.now() + left * 1000 * scale;
      timer = setInterval(step, Math.min(200, 1000 * scale));
      onTick(left);
    },
    pause() { if (endsAt) { step(); stop(); onTick(left); } },
    reset() { stop(); left = seconds; onTick(left); },
    running: () => endsAt !== null,
    left: () => left,
  };
}

function el(tag, attrs = {}, text = null) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  if (text !== null) node.textContent = text;
  return node;
}
