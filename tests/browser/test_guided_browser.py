"""A whole guided session on a propped phone (390×844), from one tap: timed sets that run,
speak and move on by themselves (sped up with HIPDASH_TIMER_SCALE), a tap per rep set, a
circuit's rounds, a reload during a long hold, the screen kept awake, and the finish; and
what comes and goes on the screen (Undo, a dose saved) moving nothing under a finger.

Headless chromium has no voices and no wake lock: `speechSynthesis.speak` and
`navigator.wakeLock.request` are replaced by recorders through Playwright's init script,
so the test reads what was said and when the screen was held."""

import contextlib
import json
import math
import re
from datetime import date

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from hipdash.sessions import SessionLog

from .conftest import TODAY, click_tick, until, wait_idle

PHONE = {"width": 390, "height": 844}
DAY = date.fromisoformat(TODAY)
ROUTINE = """
id: guided
title: Guided test
schedule: {sessions_per_week: 3}
sections:
  - id: warm
    title: Warm-up
    exercises:
      - {id: pigeon, title: Pigeon stretch, dose: "2 × 20 s each side"}
      - {id: squats, title: Squats, dose: "3 × 8"}
  - id: main
    title: Circuit
    rounds: 2
    rest_seconds: 5
    exercises:
      - {id: plank, title: Plank, dose: "hold 30 s"}
      - {id: lunge, title: Low lunges, dose: "10 reps"}
  - id: last
    title: Cool-down
    exercises:
      - {id: bike, title: Bike, dose: "hold 10 min each side"}
"""
RECORDERS = """
window.__said = [];
window.__cut = [];  // how many lines had been said at each cancel() (queued speech dropped)
window.__wake = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, "speechSynthesis", { configurable: true, value: {
  speak: (u) => { if (u.text.trim()) window.__said.push(u.text); },
  cancel: () => { window.__cut.push(window.__said.length); }, getVoices: () => [] } });
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request: async (type) => {
    window.__wake.push(type);
    return { release: async () => { window.__wake.push("release"); }, addEventListener() {} };
  } } });
window.__labels = [];  // every text the set runner's label showed, however briefly
window.__tops = [];  // and where the big button was drawn with it: [label, its top]
new MutationObserver(() => {
  for (const el of document.querySelectorAll('[data-testid="hd-g-label"]')) {
    const text = el.textContent.trim();
    if (window.__labels[window.__labels.length - 1] === text) continue;
    window.__labels.push(text);
    const main = el.parentElement.querySelector(".hd-g-main");
    const top = () => Math.round(main.getBoundingClientRect().top);
    requestAnimationFrame(() => window.__tops.push([text, top()]));
  }
}).observe(document, { subtree: true, childList: true, characterData: true });
"""


MARKS = """
id: marks
title: Marks
schedule: {sessions_per_week: 3}
sections:
  - id: main
    title: Main
    exercises:
      - {id: wall, title: Wall sit, dose: "hold 30 s"}
      - {id: walk, title: Walk around, dose: "no timer"}
      - {id: roll, title: Foam roller}
      - {id: bridge, title: Bridge, dose: "no timer"}
"""


def serve(servers, routine: str, scale: str = "0.02"):
    """The app serving this one routine, its countdowns 50 times as fast (or `scale`)."""
    return servers.get({"routine.yaml": routine}, {"HIPDASH_TIMER_SCALE": scale})


def phone_page(context, **settings):
    """A phone-sized page with the speech and wake-lock recorders, and these guided
    settings on this device (e.g. `lead=10`)."""
    kept = f"localStorage.setItem('hipdash:guided:settings', '{json.dumps(settings)}');"
    page = context.new_page()
    page.add_init_script(RECORDERS + (kept if settings else ""))
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def guided_server(servers):
    return serve(servers, ROUTINE)


@pytest.fixture
def marks_server(servers):
    return serve(servers, MARKS)


def position(page):
    return page.get_by_text(re.compile(r" · \d of 7"))


def runner(page):
    return page.get_by_test_id("hd-guided").filter(visible=True)


def said(page) -> list[str]:
    return page.evaluate("window.__said")


def logged(server) -> list[list[str]]:
    path = server.data_dir / "checkoffs.csv"
    rows = path.read_text().splitlines()[1:] if path.exists() else []
    return [r.split(",")[3:] for r in rows]


def phone_checks(page) -> None:
    """No sideways scroll; every button 44 px or more; one primary action, and the runner
    (the phase, the time, the action, Back and Skip) in view without scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    heights = page.locator("button:visible").evaluate_all(
        "bs => bs.map(b => [b.innerText, b.getBoundingClientRect().height])"
    )  # in one go: a button redrawn between two reads is not measured as gone
    assert all(height >= 44 for _, height in heights), heights
    primary = page.locator(
        '.hd-g-main:visible, [data-testid="stBaseButton-primary"]:visible'
    ).count()
    assert primary == 1
    expect(runner(page).locator(".hd-g-row")).to_be_in_viewport(ratio=0.99)


TAP_APART_MS = 700  # a tap this long after the last is one of its own, not a double tap's


def set_done(page, n: int) -> None:
    """Tap "Set n of 3 done", as a person does after a set: not a double tap's second."""
    runner(page).get_by_role("button", name=f"Set {n} of 3 done").click()
    page.wait_for_timeout(TAP_APART_MS)


def digit_height(page) -> float:
    """How tall the countdown's digits are drawn, in CSS px (the glyph, not the line)."""
    time = runner(page).locator(".hd-g-time")
    return time.evaluate(
        """el => { const ctx = document.createElement("canvas").getContext("2d");
          const style = getComputedStyle(el);
          ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const m = ctx.measureText("0123456789");
          return m.actualBoundingBoxAscent + m.actualBoundingBoxDescent; }"""
    )


def test_a_whole_session_runs_hands_free_from_one_tap(context, guided_server):
    page = phone_page(context)
    page.goto(f"{guided_server.url}/today")
    wait_idle(page)
    page.get_by_role("button", name="▶️ Start guided session").click()  # the one tap

    # 2 sets × 2 sides of 20 s: lead-in, holds, switch, rest; ticked, and on by itself.
    expect(position(page)).to_have_text("Warm-up · 1 of 7")
    expect(runner(page)).to_have_attribute("data-state", "running")
    assert page.evaluate("window.__wake") == ["screen"]  # held from the start
    assert digit_height(page) >= 96
    phone_checks(page)
    expect(position(page)).to_have_text("Warm-up · 2 of 7", timeout=30_000)
    assert logged(guided_server) == [["warm/pigeon", "1"]]
    # The arrival's own line is said just after its position shows: wait for it.
    page.wait_for_function("window.__said.includes('3 sets of 8.')")
    words = said(page)
    assert words[:3] == [
        "Pigeon stretch. 2 sets of 20 seconds each side.",
        "Set 1 of 2. Left side. Get ready.",
        "Go.",
    ]
    for cue in ("Switch sides.", "Rest, 10 seconds.", "Next: Squats."):
        assert cue in words, cue
    # The big button stays put as the label changes, on one line or two (at 390 px
    # "Switch sides · Set 1 of 2 · Right side" takes two), and as the time gives way to
    # "✓" when the last countdown ends: nothing moves under a finger.
    # From the runner's first frame: the row above it keeps its height as its "Back to
    # Today" link takes its final look.
    seen = page.evaluate("window.__tops")  # to the end of its last countdown ("Saving…")
    seen = seen[: [text for text, _ in seen].index("✓ All sets done") + 1]
    tops = [(text, top) for text, top in seen if " of 2 · " in text or text.startswith("✓")]
    assert any(text.startswith("Switch sides") for text, _ in tops), tops
    assert len({top for _, top in tops}) == 1, tops
    # On by itself: its title, just said in "Next: Squats.", is not said again at once.
    assert words[words.index("Next: Squats.") + 1] == "3 sets of 8."
    # A cue that marks time drops what is still queued ("Go." is said on time, not after a
    # long title); an arrival drops the last exercise's leftovers, but not its own "Next:".
    cut = page.evaluate("window.__cut")
    assert 0 in cut and words.index("Go.") in cut and words.index("Switch sides.") in cut
    assert words.index("Next: Squats.") in cut and words.index("3 sets of 8.") not in cut
    # "3, 2, 1" is spoken (which seconds, test_phases_browser checks by a clock passed in:
    # here a second is 20 ms, shorter than a busy page's pause between two timer ticks).
    assert {"3", "2", "1"} & set(words), words
    expect(runner(page).get_by_test_id("hd-g-undo")).to_contain_text("Pigeon stretch done")

    # 3 × 8: one big "Set N done" per set; the last one ticks it. A double tap (sweaty
    # hands) counts one set, not two.
    expect(runner(page)).to_have_attribute("data-state", "waiting")
    phone_checks(page)
    runner(page).get_by_role("button", name="Set 1 of 3 done").dblclick()
    expect(runner(page).get_by_role("button", name="Set 2 of 3 done")).to_be_visible()
    page.wait_for_timeout(TAP_APART_MS)
    for n in (2, 3):
        set_done(page, n)
    expect(position(page)).to_have_text("Circuit · round 1 of 2 · 3 of 7")
    assert logged(guided_server)[-1] == ["warm/squats", "1"]

    # The circuit: plank, lunges, plank, lunges; a lunge round is a rest, then one tap.
    done = runner(page).get_by_role("button", name="Done", exact=True)
    expect(position(page)).to_have_text("Circuit · round 1 of 2 · 4 of 7", timeout=30_000)
    done.click(timeout=30_000)
    expect(position(page)).to_have_text("Circuit · round 2 of 2 · 6 of 7", timeout=30_000)
    done.click(timeout=30_000)
    expect(position(page)).to_have_text("Cool-down · 7 of 7", timeout=30_000)
    words = said(page)  # each named as the one before ends, then its round said
    named = [(w, words[i + 1]) for i, w in enumerate(words[:-1]) if w.startswith("Next: ")]
    assert named[1:5] == [
        ("Next: Plank.", "Round 1 of 2. 30 seconds."),
        ("Next: Low lunges.", "Round 1 of 2. 10 reps."),
        ("Next: Plank.", "Round 2 of 2. 30 seconds."),
        ("Next: Low lunges.", "Round 2 of 2. 10 reps."),
    ]
    assert logged(guided_server)[2:] == [["main/plank", "1"], ["main/lunge", "1"]]

    # A reload during a long hold: the same side, with less time left.
    label = runner(page).get_by_test_id("hd-g-label")
    expect(label).to_have_text("Left side", timeout=10_000)
    before = seconds_left(page)
    page.reload()
    wait_idle(page)
    expect(label).to_have_text("Left side")
    after = seconds_left(page)
    assert 0 < after < before, (before, after)
    assert digit_height(page) >= 96  # "9:12"

    # Pause stops the countdown itself; Resume goes on; Restart set goes back to its lead-in.
    main = runner(page).get_by_test_id("hd-g-main")
    main.click()
    expect(runner(page)).to_have_attribute("data-state", "paused")
    assert said(page)[-1:] == ["Paused."]  # hands-free: the tap is heard to have taken
    paused = seconds_left(page)
    # A fixed wait: the test is that nothing moves while paused, which only time shows.
    page.wait_for_timeout(TAP_APART_MS)  # 35 s of the exercise's time, were it running
    assert seconds_left(page) == paused
    cuts = len(page.evaluate("window.__cut"))  # paused: no cue drops speech meanwhile
    runner(page).get_by_text("Silent", exact=True).click()  # what is still queued goes
    assert len(page.evaluate("window.__cut")) == cuts + 1
    runner(page).get_by_text("Voice", exact=True).click()
    main.click()
    expect(runner(page)).to_have_attribute("data-state", "running")
    assert said(page)[-1:] == ["Go on."]
    page.evaluate("window.__labels = []")
    runner(page).get_by_test_id("hd-g-restart").click()
    # its lead-in is 200 ms at this test's timer scale: recorded as shown, not polled for
    page.wait_for_function("window.__labels.includes('Get ready · Left side')")
    runner(page).get_by_test_id("hd-g-skip").click()

    # The finish: said, the screen let go, and the skipped exercise with a way back.
    expect(page.get_by_role("heading", name="✓ Session counted")).to_be_visible()
    expect(page.get_by_role("button", name="Go back to Bike")).to_be_visible()
    page.wait_for_function("window.__said.includes('Session counted. 1 of 3 this week.')")
    page.wait_for_function("window.__wake[window.__wake.length - 1] === 'release'")

    # Where the browser has no wake lock, one quiet line says the screen may dim.
    bare = context.browser.new_context(viewport=PHONE)
    bare.add_init_script("Object.defineProperty(navigator, 'wakeLock', {value: undefined})")
    other = bare.new_page()
    other.goto(f"{guided_server.url}/guided?routine=guided&date=2026-11-20")  # its first
    expect(other.get_by_test_id("hd-g-dim")).to_have_text(re.compile("The screen may dim"))
    bare.close()


WAITS = """
id: waits
title: Waits
schedule: {sessions_per_week: 3}
sections:
  - id: main
    title: Main
    exercises:
      - {id: sit, title: Wall sit, sets: 2, hold_seconds: 1, rest_seconds: 600}
"""


def test_a_rest_and_a_lead_in_can_be_cut_short(context, servers):
    """At the clock's own pace, with 10 s lead-ins and a 10 minute rest: the session ends
    only because each wait was cut short by a tap."""
    server = serve(servers, WAITS, scale="1")
    page = phone_page(context, lead=10)
    page.goto(f"{server.url}/today")
    wait_idle(page)
    page.get_by_role("button", name="▶️ Start guided session").click()
    wait = runner(page).get_by_test_id("hd-g-wait")
    for at, text in (("0", "Start now"), ("2", "Skip rest"), ("3", "Start now")):
        expect(runner(page)).to_have_attribute("data-at", at, timeout=15_000)
        expect(wait).to_have_text(text)
        # In a rest, the rest's skip and the exercise's are not both "Skip": a set done and
        # a tap on the wrong one would leave the exercise unticked.
        skips = runner(page).get_by_role("button", name=re.compile("^Skip"))
        expect(skips).to_have_text(
            [text, "Skip exercise"] if text == "Skip rest" else ["Skip exercise"]
        )
        phone_checks(page)
        wait.click()
    expect(page.get_by_role("heading", name="✓ Session counted")).to_be_visible()
    assert logged(server) == [["main/sit", "1"]]
    words = said(page)
    assert "Rest, 10 minutes." in words
    assert words.index("Set 2 of 2. Get ready.") > words.index("Rest, 10 minutes.")


POSES = """
id: poses
title: Poses
schedule: {sessions_per_week: 3}
sections:
  - id: floor
    title: Floor
    exercises:
      - {id: bridge, title: Bridge, sets: 2, hold_seconds: 1, rest_seconds: 600}
      - {id: plank, title: Plank, hold_seconds: 1}
  - id: stand
    title: Standing
    rest_seconds: 600
    exercises:
      - {id: squat, title: Squat, hold_seconds: 1}
      - {id: lunge, title: Lunge, hold_seconds: 1}
"""
# The kept state of the running stop: its phase (`at`) and that phase's length, by the
# clock it was begun with.
KEPT = """(key) => { const kept = JSON.parse(localStorage.getItem('hipdash:guided:' + key));
  return kept && kept.state && [kept.state.at, kept.state.ends - kept.state.since]; }"""


def kept_as(page, key: str, want: list[int]) -> None:
    """The runner keeps `want` (its phase, and the phase's length in ms) for `key`: waited
    for, as the screen may be drawn a moment before it is kept; then said if it is not."""
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"([key, want]) => JSON.stringify(({KEPT})(key)) === JSON.stringify(want)",
            arg=[key, want],
        )
    assert page.evaluate(KEPT, key) == want


def test_an_exercise_begins_with_time_to_get_into_position(context, servers):
    """At the clock's own pace: each exercise's first lead-in is the time to get into
    position (10 s, or as chosen), a later set's lead-in the short one (3 s); after a
    section's rest, the rest is that time. Each wait is cut short by a tap."""
    server = serve(servers, POSES, scale="1")
    page = phone_page(context)
    page.goto(f"{server.url}/today")
    wait_idle(page)
    page.get_by_role("button", name="▶️ Start guided session").click()
    wait = runner(page).get_by_test_id("hd-g-wait")
    where = page.get_by_text(re.compile(r" · \d of 4"))

    def waits(at: int, ms: int, text: str) -> None:
        expect(runner(page)).to_have_attribute("data-at", str(at), timeout=15_000)
        kept_as(page, f"poses/{TODAY}", [at, ms])
        expect(wait).to_have_text(text)
        wait.click()

    waits(0, 10_000, "Start now")  # Bridge: into position
    runner(page).locator("summary", has_text="Lead-ins and moving on").click()
    choice = runner(page).get_by_label("Get into position for each exercise")
    expect(choice).to_have_value("10")
    choice.select_option("20")  # from the next exercise on
    phone_checks(page)
    waits(2, 600_000, "Skip rest")
    waits(3, 3_000, "Start now")  # set 2: already in position
    expect(where).to_have_text("Floor · 2 of 4", timeout=15_000)
    runner(page).get_by_test_id("hd-g-back").click()  # heard where it went, then waits
    expect(where).to_have_text("Floor · 1 of 4 · ✓ done", timeout=15_000)
    page.wait_for_function("window.__said.at(-1).startsWith('Bridge.')")
    expect(runner(page)).to_have_attribute("data-state", "ready")
    runner(page).get_by_test_id("hd-g-skip").click()
    expect(where).to_have_text("Floor · 2 of 4", timeout=15_000)
    waits(0, 20_000, "Start now")  # Plank, by itself: the time chosen
    expect(where).to_have_text("Standing · 3 of 4", timeout=15_000)
    waits(0, 20_000, "Start now")  # Squat: its section's first
    expect(where).to_have_text("Standing · 4 of 4", timeout=15_000)
    waits(0, 600_000, "Skip rest")  # Lunge: the rest is the time to get ready
    waits(1, 3_000, "Start now")
    expect(page.get_by_role("heading", name="✓ Session counted")).to_be_visible()
    assert [item for item, _ in logged(server)] == [
        "floor/bridge",
        "floor/plank",
        "stand/squat",
        "stand/lunge",
    ]
    saved = page.evaluate("JSON.parse(localStorage.getItem('hipdash:guided:settings'))")
    assert saved["ready"] == 20


LONG = """
id: long
title: Long
schedule: {sessions_per_week: 3}
sections:
  - id: main
    title: Main
    exercises:
      - id: roll
        title: Foam roller and/or massage ball on thoracic spine, quads, adductor, and glutes
        hold_seconds: 1
        steps:
          - {id: a, title: Thoracic spine slowly up and down}
          - {id: b, title: Quads one leg at a time}
          - {id: c, title: Glutes seated on the ball}
"""


@pytest.mark.parametrize("voice", ["voice", "silent"])
def test_a_long_arrival_is_heard_to_its_end_before_the_set_begins(context, servers, voice):
    """'Go.' drops what is still being said: an exercise's first lead-in lasts as long as
    its title, steps and dose take to say (at 2.5 words a second), if that is over the 10 s
    to get into position; silent, the 10 s."""
    server = serve(servers, LONG, scale="1")
    page = phone_page(context, voice=voice)
    page.goto(f"{server.url}/today")
    wait_idle(page)
    page.get_by_role("button", name="▶️ Start guided session").click()
    expect(runner(page)).to_have_attribute("data-state", "running")
    kept = page.evaluate(KEPT, f"long/{TODAY}")
    if voice == "silent":
        assert kept == [0, 10_000] and said(page) == []
        return
    words = len(" ".join(said(page)[:2]).split())  # the arrival and "Hold. Get ready."
    assert words > 25 and said(page)[1].endswith("Get ready.")
    assert kept == [0, (math.ceil(words / 2.5) + 1) * 1000] and kept[1] > 10_000


# The kept set of a day's guided session, as if it had been left 31 minutes ago.
LEFT_LONG_AGO = """(key) => { const name = 'hipdash:guided:' + key;
  const kept = JSON.parse(localStorage.getItem(name));
  localStorage.setItem(name, JSON.stringify({...kept, saved: Date.now() - 31 * 60 * 1000})); }"""


LONG_READY = """(key) => { const name = 'hipdash:guided:' + key;
  const kept = JSON.parse(localStorage.getItem(name));
  localStorage.setItem(name, JSON.stringify({...kept, ready: 4})); }"""


@pytest.mark.slow
def test_start_again_on_today_goes_on_with_the_set_left(context, servers):
    """Back to Today mid-set and Start guided session again: the same set, paused as it was
    left, with the same time left; left long ago, afresh; a screen opened by its link and
    not begun yet starts."""
    server = serve(servers, MARKS, scale="1")  # the clock's own pace: Wall sit, 30 s
    page = phone_page(context, ready=3)
    page.goto(f"{server.url}/guided?routine=marks&date={TODAY}")
    wait_idle(page)
    expect(runner(page)).to_have_attribute("data-state", "ready")

    def start_again(away_ms: int = 0, while_away: str = "", label: str = "Resume") -> None:
        page.wait_for_timeout(TAP_APART_MS)  # a tap of its own, not the last one's second
        page.get_by_test_id("stPageLink").get_by_role("link").click()
        start = page.get_by_role("button", name=re.compile("guided session"))
        start.wait_for(timeout=30_000)
        page.wait_for_timeout(away_ms)
        if while_away:
            page.evaluate(while_away, f"marks/{TODAY}")
        expected = "▶️ Resume guided session at Wall sit" if label == "Resume" else label
        expect(start).to_have_text(expected)
        start.click(timeout=30_000)
        expect(page.get_by_text(re.compile(r" · 1 of 4"))).to_be_visible(timeout=30_000)

    start_again(label="▶️ Start guided session")  # only opened: Start begins it
    expect(runner(page)).to_have_attribute("data-state", "running")
    label = runner(page).get_by_test_id("hd-g-label")
    expect(label).to_have_text("Hold", timeout=30_000)  # past its lead-in
    runner(page).get_by_test_id("hd-g-main").click()  # Pause
    expect(runner(page)).to_have_attribute("data-state", "paused")
    left = seconds_left(page)
    # Paused long before it was left (a phone call): the half hour counts from leaving.
    page.evaluate(LEFT_LONG_AGO, f"marks/{TODAY}")
    start_again()
    expect(runner(page)).to_have_attribute("data-state", "paused")
    expect(label).to_have_text("Hold")
    assert seconds_left(page) == left
    assert said(page)[-1] == "Wall sit. 30 seconds."  # where it is, heard
    # Left over half an hour ago: its set begins again, from its lead-in.
    start_again(while_away=LEFT_LONG_AGO)
    expect(runner(page)).to_have_attribute("data-state", "running")
    expect(label).to_have_text("Get ready · Hold")
    # Left while the hold counts down: it waits for the person, and runs on with a Start
    # once they are back in position (its `ready`: 3 s here), said.
    expect(label).to_have_text("Hold", timeout=30_000)
    left = seconds_left(page)
    heard = len(said(page))
    start_again(away_ms=6_000)
    expect(label).to_have_text("Get into position · Hold")  # seen, not only heard
    expect(runner(page)).to_have_attribute("data-state", "running", timeout=15_000)
    expect(label).to_have_text("Hold")
    assert said(page)[heard:][-2:] == ["Get into position.", "Go on."]
    assert left - 4 <= seconds_left(page) <= left  # not the 6 s away
    # Skipped while getting back into position (4 s, kept for the set: the Skip comes
    # well within it): the screen it left says nothing more and does not go on.
    start_again(away_ms=1_000, while_away=LONG_READY)
    page.wait_for_function("window.__said.at(-1) === 'Get into position.'")
    runner(page).get_by_test_id("hd-g-skip").click()
    expect(page.get_by_text(re.compile(r" · 2 of 4"))).to_be_visible()
    heard = len(said(page))
    page.wait_for_timeout(5_000)  # past its 4 s
    assert "Go on." not in said(page)[heard:], said(page)[heard:]


def seconds_left(page) -> int:
    """The countdown shown: "9:12", or under a minute "27 s"."""
    shown = runner(page).get_by_test_id("hd-g-time").inner_text()
    minutes, _, seconds = re.sub(r"[^\d:]", "", shown).rpartition(":")
    return int(minutes or 0) * 60 + int(seconds)


def stopwatch(server, routine: str) -> str | None:
    """When the session's stopwatch started, as app-state.json keeps it (None: not running)."""
    path = server.data_dir / "app-state.json"
    timers = json.loads(path.read_text())["timers"] if path.exists() else {}
    return timers.get(f"{routine}/{TODAY}")


# A tap on Undo the moment it appears (the second tap of a double tap on Done): whether it
# was ignored, i.e. Undo is still offered after it.
EARLY_UNDO = """() => { window.__early = null; new MutationObserver((_, watch) => {
  const strip = document.querySelector('[data-testid="hd-g-undo"]:not([hidden])');
  if (!strip) return;
  strip.querySelector("button").click();
  window.__early = !strip.hidden;
  watch.disconnect();
}).observe(document, { subtree: true, childList: true, attributes: true }); }"""


def test_nothing_moves_under_a_finger_and_the_stopwatch_times_what_was_done(context, marks_server):
    page = phone_page(context)  # what is said is recorded
    page.goto(f"{marks_server.url}/guided?routine=marks&date={TODAY}")
    wait_idle(page)
    at = page.get_by_text(re.compile(r"^Main · \d of 4"))
    main = runner(page).get_by_test_id("hd-g-main")
    expect(at).to_have_text("Main · 1 of 4")
    assert stopwatch(marks_server, "marks") is None  # opened: nothing done yet
    main.click()  # Start: the session begins, and its stopwatch with it
    until(page, lambda: stopwatch(marks_server, "marks"), "the stopwatch to start")

    # The hold ends, the next screen offers Undo for 5 s: the big button stays where it is.
    expect(at).to_have_text("Main · 2 of 4", timeout=15_000)
    strip = runner(page).get_by_test_id("hd-g-undo")
    expect(strip).to_contain_text("Wall sit done")
    shown, band = main.bounding_box(), strip.bounding_box()
    assert band["y"] + band["height"] < shown["y"]  # over the top of the screen, not on it
    expect(strip).to_be_hidden(timeout=10_000)
    assert main.bounding_box() == shown

    # Done, tapped twice on the same spot: the second tap is not an Undo.
    page.evaluate(EARLY_UNDO)
    x, y = shown["x"] + shown["width"] / 2, shown["y"] + shown["height"] / 2
    page.mouse.click(x, y)
    expect(at).to_have_text("Main · 3 of 4")
    page.wait_for_function("window.__early !== null")
    assert page.evaluate("window.__early")  # Undo in its first half second: ignored
    under = "([x, y]) => !!document.elementFromPoint(x, y).closest('[data-testid=hd-g-undo]')"
    assert not page.evaluate(under, [x, y])
    wait_idle(page)
    assert logged(marks_server) == [["main/wall", "1"], ["main/walk", "1"]]

    # A dose given in one tap is said in a toast: the runner does not move down. (A chip
    # tapped within 600 ms of Done, where the big button was, would be Done's double tap.)
    top = runner(page).bounding_box()["y"]
    page.wait_for_timeout(TAP_APART_MS)
    assert any(line.startswith("Foam roller") for line in said(page))  # its arrival
    heard = len(said(page))
    chip = runner(page).get_by_role("button", name="3 × 10", exact=True)
    expect(chip).to_be_hidden()  # folded away: a tap just below Done changes no routine
    runner(page).get_by_text("Give it a dose (saved in your routine)").click()
    chip.click()
    expect(page.get_by_test_id("stToast")).to_contain_text("Saved in your routine: 3 × 10.")
    expect(runner(page)).to_have_attribute("data-state", "waiting")
    page.wait_for_function(f"window.__said.length > {heard}")
    then = said(page)[heard:]  # the dose chosen, and the set's cue: not the title again
    assert not any("Foam roller" in line for line in then), then
    assert "3 sets of 10." in then, then
    assert runner(page).bounding_box()["y"] == top
    # ... at the foot of the screen: not over the way back, the position or the big button
    close = page.get_by_test_id("stToast").get_by_role("button").bounding_box()
    assert close["width"] >= 44 and close["height"] >= 44  # a finger's target, as every button
    uncovered(page, page.get_by_role("link", name="Back to Today"), at, main)
    page.wait_for_timeout(TAP_APART_MS)  # the chip's tap and the first set's are apart
    for n in (1, 2, 3):
        set_done(page, n)

    # Its Undo, once armed, takes the tick back.
    expect(at).to_have_text("Main · 4 of 4")
    expect(strip).to_have_attribute("data-armed", "true")
    strip.get_by_role("button", name="Undo").click()
    expect(at).to_have_text("Main · 3 of 4")
    wait_idle(page)
    assert logged(marks_server)[-1] == ["main/roll", "0"]

    # The finish stops the stopwatch and saves its minutes.
    runner(page).get_by_test_id("hd-g-skip").click()
    expect(at).to_have_text("Main · 4 of 4")
    main.click()
    expect(page.get_by_role("heading", name="✓ Session counted")).to_be_visible()
    assert stopwatch(marks_server, "marks") is None
    assert SessionLog(marks_server.data_dir).details(DAY, "marks").minutes == 1
    # Said in a toast, which keeps off what is tapped next: the details' Save, the ways on.
    expect(page.get_by_test_id("stToast")).to_contain_text("Session time saved: 1 min")
    finish = page.get_by_test_id("stMain")
    save = finish.get_by_role("button", name="Save details")
    uncovered(page, save, finish.get_by_role("link", name="Back to Today"))
    uncovered(page, finish.get_by_role("button", name="Back to the last exercise"))


def uncovered(page, *covered) -> None:
    """The toast shown now is wholly in view, and above or below each of `covered`."""
    toast = page.get_by_test_id("stToast").last
    expect(toast).to_be_in_viewport(ratio=1)
    for element in covered:
        element.scroll_into_view_if_needed()
        box = toast.bounding_box()
        other = element.bounding_box()
        assert box["y"] >= other["y"] + other["height"] or box["y"] + box["height"] <= other["y"]


KINDS = """
id: kinds
title: Kinds
schedule: {sessions_per_week: 3}
sections:
  - id: main
    title: Main
    exercises:
      - {id: side, title: Side bridge, dose: "1 × 5 s each side"}
      - {id: clam, title: Clamshell, dose: "2 × 8"}
      - {id: walk, title: Walk around, dose: "no timer"}
      - {id: roll, title: Foam roller}
      - id: four
        title: The four exercises demonstrated in the following video, one after another
        dose: "3 × 10"
        steps: [{id: a, title: Dead bug}, {id: b, title: Side plank}, {id: c, title: Bridge}]
"""


TO_THE_FOOT = """() => { for (const el of [document.scrollingElement,
  ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')])
  el.scrollTop = el.scrollHeight; }"""


def drawn_box(page, locator) -> dict:
    """Where `locator` is once it is drawn: a screen drawn again hides it for a moment."""
    seen: list = []
    until(page, lambda: seen.append(locator.bounding_box()) or seen[-1], "it to be drawn")
    return seen[-1]


def test_the_big_button_is_in_the_same_place_on_every_exercise(context, servers):
    """On a phone the big button is at the foot of the screen on every exercise, whatever
    its kind of dose, title or steps: when a timed set moves on by itself to one of reps,
    no other button comes under the finger. What scrolls under it can be scrolled above it,
    and a toast comes up over it, not on it. Hands-free, "Next: Clamshell." lets
    Clamshell's arrival leave its title out; Back names Side bridge, and a Skip back to
    Clamshell names it again (it said only "2 sets of 8")."""
    server = serve(servers, KINDS)
    page = phone_page(context)
    page.goto(f"{server.url}/guided?routine=kinds&date={TODAY}")
    wait_idle(page)
    main = runner(page).get_by_test_id("hd-g-main")
    where = main.bounding_box()
    assert where["y"] + where["height"] <= PHONE["height"]  # on the first screen
    main.click()  # Start: the hold runs and moves on to Clamshell by itself
    at = page.get_by_text(re.compile(r"^Main · \d of 5"))
    expect(at).to_have_text("Main · 2 of 5", timeout=15_000)
    tops = {label: top for label, top in page.evaluate("window.__tops")}
    assert set(tops.values()) == {round(where["y"])}, tops  # every phase, and the move on
    page.wait_for_function("window.__said.includes('2 sets of 8.')")
    assert "Next: Clamshell." in said(page)
    assert not any(line.startswith("Clamshell") for line in said(page))  # named just now
    page.wait_for_timeout(TAP_APART_MS)
    runner(page).get_by_test_id("hd-g-back").click()
    expect(at).to_have_text("Main · 1 of 5 · ✓ done")
    page.wait_for_function("window.__said.at(-1).startsWith('Side bridge')")
    heard = len(said(page))
    page.wait_for_timeout(TAP_APART_MS)
    runner(page).get_by_test_id("hd-g-skip").click()
    expect(at).to_have_text("Main · 2 of 5")
    page.wait_for_function(f"window.__said.length > {heard}")
    assert said(page)[heard].startswith("Clamshell."), said(page)[heard:]
    for n in (2, 3, 4, 5):
        expect(at).to_have_text(f"Main · {n} of 5")
        assert drawn_box(page, main) == where, n
        expect(runner(page)).to_have_attribute("data-placed", "true")
        for part in runner(page).locator(".hd-g-time, .hd-g-row").all():  # none under it
            box = part.bounding_box()
            assert box is None or box["y"] + box["height"] <= where["y"], (n, box)
        if n < 5:
            page.wait_for_timeout(TAP_APART_MS)
            runner(page).get_by_test_id("hd-g-skip").click()
    page.evaluate(TO_THE_FOOT)  # the foot of the page: its last line above the button
    page.wait_for_timeout(200)
    last = page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').last
    assert last.bounding_box()["y"] + last.bounding_box()["height"] <= where["y"]
    page.wait_for_timeout(TAP_APART_MS)
    runner(page).get_by_test_id("hd-g-back").click()  # Foam roller: no dose, one given
    expect(at).to_have_text("Main · 4 of 5")
    page.wait_for_timeout(TAP_APART_MS)
    runner(page).get_by_text("Give it a dose (saved in your routine)").click()
    runner(page).get_by_role("button", name="30 s", exact=True).click()
    toast = page.get_by_test_id("stToast")
    expect(toast).to_contain_text("Saved in your routine: 30 s.")
    assert toast.bounding_box()["y"] + toast.bounding_box()["height"] <= where["y"]
    assert drawn_box(page, main) == where  # the screen drawn again with its dose


def test_on_a_phone_on_its_side_the_time_and_the_big_button_are_on_the_screen(context, servers):
    """844×390: the page's top filled the screen and the countdown and Start were below
    it. As each exercise opens, its time, its dots, Skip rest or Start now, and the row of
    Back and Skip are all above the big button, on the screen: one with no timer or no dose
    too (Back and Skip were half under the button)."""
    server = serve(servers, KINDS)
    page = phone_page(context)
    page.set_viewport_size({"width": 844, "height": 390})
    page.goto(f"{server.url}/guided?routine=kinds&date={TODAY}")
    wait_idle(page)
    at = page.get_by_text(re.compile(r"^Main · \d of 5"))
    for n in (1, 2, 3, 4, 5):  # a countdown, reps, no timer, no dose, steps
        expect(at).to_have_text(f"Main · {n} of 5")
        all_above_the_button(page)
        page.wait_for_timeout(TAP_APART_MS)
        runner(page).get_by_test_id("hd-g-back" if n == 5 else "hd-g-skip").click()
    expect(at).to_have_text("Main · 4 of 5")
    page.reload()  # no dose, opened at the page's top (as after Today's Start)
    expect(at).to_have_text("Main · 4 of 5")
    all_above_the_button(page)


def all_above_the_button(page) -> None:
    """Once the exercise's scroll is done: its time, dots, waits and the row of Back and
    Skip (those shown) are on the screen above the big button."""
    expect(runner(page)).to_have_attribute("data-placed", "true")
    button = drawn_box(page, runner(page).get_by_test_id("hd-g-main"))
    assert button["y"] + button["height"] <= 390
    for part in (".hd-g-label", ".hd-g-time", ".hd-g-dots", ".hd-g-wait", ".hd-g-row"):
        box = runner(page).locator(part).bounding_box()  # None: not shown (no waits)
        assert box is None or 0 <= box["y"] <= box["y"] + box["height"] <= button["y"], part


def test_a_double_tap_on_skip_skips_once_and_taps_nothing_it_brought(context, servers):
    """A sweaty double tap on Skip exercise (350 ms apart): its second landed on what the
    first brought to that spot, such as the next exercise's "Watch" toggle. Any tap on the
    page that soon after one of the runner's is dropped; a tap after that counts."""
    server = serve(servers, KINDS)
    page = phone_page(context)
    page.goto(f"{server.url}/guided?routine=kinds&date={TODAY}")
    wait_idle(page)
    at = page.get_by_text(re.compile(r"^Main · \d of 5"))
    expect(at).to_have_text("Main · 1 of 5")
    skip = drawn_box(page, runner(page).get_by_test_id("hd-g-skip"))
    page.mouse.click(skip["x"] + skip["width"] / 2, skip["y"] + skip["height"] / 2)
    page.wait_for_timeout(100)
    page.get_by_role("link", name="📈 Progress").dispatch_event("click")  # elsewhere, at once
    page.mouse.click(skip["x"] + skip["width"] / 2, skip["y"] + skip["height"] / 2)
    expect(at).to_have_text("Main · 2 of 5")
    page.wait_for_timeout(TAP_APART_MS)
    expect(at).to_have_text("Main · 2 of 5")  # skipped once
    assert "/guided" in page.url  # the page stayed
    runner(page).get_by_test_id("hd-g-skip").click()  # a tap of its own
    expect(at).to_have_text("Main · 3 of 5")


RESTS = """
id: rests
title: Rests
schedule: {sessions_per_week: 3}
sections:
  - id: main
    title: Main
    rest_seconds: 25
    exercises:
      - {id: walk, title: Walk around, dose: "no timer"}
      - {id: roll, title: Foam roller}
"""


def test_a_dose_given_after_the_rest_goes_on_from_there(context, servers):
    """Foam roller, after its section's rest: a dose chosen reloads the screen with its
    countdown, which begins with the lead-in, not with the rest run a second time."""
    server = serve(servers, RESTS, scale="0.2")  # its rest 5 s: seen, however slow the draw
    page = phone_page(context)
    page.goto(f"{server.url}/guided?routine=rests&date={TODAY}")
    wait_idle(page)
    runner(page).get_by_test_id("hd-g-skip").click()
    rest = "Rest · next: Foam roller"
    expect(page.get_by_text(re.compile(r"^Main · \d of 2"))).to_have_text("Main · 2 of 2")
    page.wait_for_function(  # the rest shown, then over by itself
        "(rest) => window.__labels.includes(rest) && window.__labels.at(-1) !== rest",
        arg=rest,
        timeout=20_000,
    )
    assert page.evaluate("window.__labels").count(rest) == 1
    page.wait_for_timeout(TAP_APART_MS)
    runner(page).get_by_text("Give it a dose (saved in your routine)").click()
    runner(page).get_by_role("button", name="30 s", exact=True).click()
    expect(runner(page).get_by_test_id("hd-g-label")).to_have_text("Hold", timeout=15_000)
    assert page.evaluate("window.__labels").count(rest) == 1, page.evaluate("window.__labels")


@contextlib.contextmanager
def today_on_a_phone(context, servers, scale: str = "0.02"):
    """Marks served (its countdowns 50 times as fast, or `scale`) and Today open on a phone
    page, with the speech and wake-lock recorders: (server, page)."""
    server = serve(servers, MARKS, scale)
    page = phone_page(context)
    page.goto(f"{server.url}/today")
    wait_idle(page)
    yield server, page


def start_guided(page):
    """Tap Start guided session on Today; where the session is ("Main · 2 of 4")."""
    page.get_by_role("button", name="▶️ Start guided session").click()
    return page.get_by_text(re.compile(r"^Main · \d of 4"))


def test_ticks_made_in_the_session_before_a_reload_can_be_undone_on_today(context, servers):
    """A phone reloads a page left in the background: the session's ticks made before it
    stay in this tab's undo history (kept in the browser, as Today keeps its own), so
    Today's Undo takes them back, the last first, with Today's own tick before them (each
    once, though both pages kept it)."""
    with today_on_a_phone(context, servers) as (server, page):
        click_tick(page, "Foam roller")
        at = start_guided(page)
        expect(at).to_have_text("Main · 2 of 4", timeout=15_000)  # Wall sit ticked by itself
        page.reload()
        wait_idle(page)
        expect(at).to_have_text("Main · 2 of 4")
        page.wait_for_timeout(TAP_APART_MS)
        runner(page).get_by_test_id("hd-g-main").click()  # Walk around: Done, after the reload
        expect(at).to_have_text("Main · 4 of 4")  # on past Foam roller, ticked on Today
        assert logged(server) == [["main/roll", "1"], ["main/wall", "1"], ["main/walk", "1"]]

        page.wait_for_timeout(TAP_APART_MS)  # a tap of its own, not Done's second
        page.get_by_role("link", name="Back to Today").click()
        undo = page.get_by_test_id("hd-undo")
        expect(page.locator(".hd-count")).to_have_text("3 / 4 done")
        for left in ("2 / 4 done", "1 / 4 done", "0 / 4 done"):
            expect(undo).to_be_enabled()
            undo.click()
            expect(page.locator(".hd-count")).to_have_text(left)
            expect(page.get_by_role("alert")).not_to_contain_text("another device")
        expect(undo).to_be_disabled()
        undone = [["main/walk", "0"], ["main/wall", "0"], ["main/roll", "0"]]
        assert logged(server)[3:] == undone


def test_the_undo_line_is_not_offered_again_on_a_return_after_its_time(context, servers):
    """Back to Today after a tick, Resume a while later: the screen is as it was, without
    "✓ Wall sit done · Undo" coming back for 5 s more (Today's Undo still takes it back)."""
    with today_on_a_phone(context, servers) as (server, page):
        at = start_guided(page)
        expect(at).to_have_text("Main · 2 of 4", timeout=15_000)  # Wall sit ticked by itself
        strip = runner(page).get_by_test_id("hd-g-undo")
        expect(strip).to_contain_text("Wall sit done")
        page.get_by_role("link", name="Back to Today").click()
        resume = page.get_by_role("button", name=re.compile("Resume guided session"))
        resume.wait_for()
        page.wait_for_timeout(5_500)  # past the Undo line's 5 s
        resume.click()
        expect(at).to_have_text("Main · 2 of 4")
        expect(runner(page)).to_have_attribute("data-state", re.compile("."))
        page.wait_for_timeout(500)
        assert strip.is_hidden()  # now, not within expect's wait (the line goes by itself)


def test_leaving_a_set_that_began_by_itself_offers_to_resume_it(context, servers):
    """Start guided session, the first hold counting down by itself, back to Today: the
    session has begun (though its stopwatch waits for the first Done, to count from the
    start), so Today offers to go on with it, not to start."""
    with today_on_a_phone(context, servers, scale="1") as (server, page):  # Wall sit: 30 s
        start_guided(page)
        expect(runner(page)).to_have_attribute("data-state", "running")
        page.get_by_role("link", name="Back to Today").click()
        start = page.get_by_role("button", name=re.compile("guided session"))
        expect(start).to_have_text("▶️ Resume guided session at Wall sit")


def test_the_last_tick_can_be_undone_on_today_after_a_reload_of_the_finish(context, servers):
    """The phone locks at the finish and reloads it: the session's last tick, made as the
    finish came, is still this tab's to undo on Today, and is the one Undo takes back."""
    with today_on_a_phone(context, servers) as (server, page):
        at = start_guided(page)
        for shown in ("Main · 2 of 4", "Main · 3 of 4", "Main · 4 of 4"):
            expect(at).to_have_text(shown, timeout=15_000)
            page.wait_for_timeout(TAP_APART_MS)
            runner(page).get_by_test_id("hd-g-main").click()  # Done
        expect(page.get_by_role("heading", name="✓ Session counted")).to_be_visible()
        assert logged(server)[-1] == ["main/bridge", "1"]
        # The finish drawn whole (the heading comes first): its component has kept the
        # history with the last tick in the tab's session storage, as a phone that locks
        # a moment later would have it.
        expect(page.get_by_test_id("hd-guided-end")).to_be_attached()
        page.reload()
        wait_idle(page)
        page.get_by_role("link", name="Back to Today").click()
        expect(page.locator(".hd-count")).to_have_text("4 / 4 done")
        page.get_by_test_id("hd-undo").click()
        expect(page.locator(".hd-count")).to_have_text("3 / 4 done")
        assert logged(server)[-1] == ["main/bridge", "0"]
