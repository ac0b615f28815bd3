"""A whole guided session on a phone, by clicking: countdowns for sets and sides with rests
(sped up with HIPDASH_TIMER_SCALE), set taps, Done / Skip, how it felt, and the finish."""

import pytest
from playwright.sync_api import expect

from .conftest import Server, wait_idle

PHONE = {"width": 390, "height": 844}
ROUTINE = """
id: guided
title: Guided test
schedule: {sessions_per_week: 3}
sections:
  - id: warm
    title: Warm-up
    exercises:
      - {id: pigeon, title: Pigeon stretch, dose: "3 × 20 s each side"}
      - {id: squats, title: Squats, dose: "3 × 8"}
  - id: main
    title: Strength
    exercises:
      - {id: plank, title: Plank, dose: "hold 60 s"}
      - {id: bike, title: Bike, dose: "5 minutes"}
"""


@pytest.fixture
def guided_server(tmp_path):
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "guided.yaml").write_text(ROUTINE)
    env = {"HIPDASH_ROUTINES_DIR": str(routines), "HIPDASH_TIMER_SCALE": "0.05"}
    srv = Server(tmp_path / "data", env=env)
    yield srv
    srv.stop()


def phone_checks(page) -> None:
    """No sideways scroll; every button 44 px or more; Done in view without scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    main = page.locator('[data-testid="stMain"]')
    assert main.evaluate("el => el.scrollWidth") <= PHONE["width"]
    for button in page.locator("button:visible").all():
        box = button.bounding_box()
        assert box["height"] >= 44, (button.inner_text(), box["height"])
    done = page.get_by_role("button", name="✅ Done")
    if done.count():
        box = done.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box


def position(page):
    return page.get_by_text(" of 4")


def test_a_whole_guided_session_on_a_phone(page, guided_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{guided_server.url}/today")
    wait_idle(page)
    page.get_by_role("button", name="▶️ Start guided session").click()
    wait_idle(page)
    expect(position(page)).to_have_text("Warm-up · 1 of 4")
    phone_checks(page)

    # 3 × 20 s each side: six countdowns with a rest between, one after another by themselves.
    # Only what is shown: Streamlit may keep a keyed element of the screen before in the page,
    # hidden (display: none), so that its state survives if it comes back.
    runner = page.get_by_test_id("hd-sets").filter(visible=True)
    page.evaluate(
        """() => { const label = document.querySelector('.hd-sets-label');
          window.__labels = [label.textContent];
          new MutationObserver(() => window.__labels.push(label.textContent))
            .observe(label, {childList: true, characterData: true, subtree: true}); }"""
    )
    runner.get_by_test_id("hd-sets-main").click()
    expect(runner).to_have_attribute("data-state", "finished", timeout=30_000)
    assert runner.get_attribute("data-completed") == "6"
    shown = list(dict.fromkeys(page.evaluate("window.__labels")))  # each label, in order
    assert [t for t in shown if t.startswith("Set")] == [
        f"Set {n} of 3 · side {s} of 2" for n in (1, 2, 3) for s in (1, 2)
    ]
    assert len([t for t in shown if t.startswith("Rest")]) == 5
    feelings = page.get_by_test_id("stButtonGroup").filter(visible=True)
    feelings.locator("button").filter(has_text="Hard").click()
    wait_idle(page)
    page.get_by_role("button", name="✅ Done").click()
    wait_idle(page)

    # 3 × 8: a tap per set.
    expect(position(page)).to_have_text("Warm-up · 2 of 4")
    expect(runner).to_have_count(1)  # the person sees one runner and one "How did it feel?"
    expect(feelings).to_have_count(1)
    phone_checks(page)
    for n in (1, 2, 3):
        runner.get_by_role("button", name=f"✓ Set {n} of 3 done").click()
    expect(runner).to_have_attribute("data-state", "finished")
    page.get_by_role("button", name="✅ Done").click()
    wait_idle(page)

    # hold 60 s and 5 minutes: one countdown each, the longer shown in minutes.
    expect(position(page)).to_have_text("Strength · 3 of 4")
    expect(runner.locator(".hd-sets-time")).to_have_text("1:00")
    page.get_by_role("button", name="✅ Done").click()
    wait_idle(page)
    expect(position(page)).to_have_text("Strength · 4 of 4")
    expect(runner.locator(".hd-sets-time")).to_have_text("5:00")
    page.get_by_test_id("stBaseButton-secondary").filter(has_text="Skip").click()
    wait_idle(page)

    # The finish: counted (3 of 4 done), the week, and the details form right there.
    expect(page.get_by_role("heading", name="🎉 Session counted")).to_be_visible()
    expect(page.get_by_text("1 of 3 this week")).to_be_visible()
    # The last exercise's buttons are gone (Streamlit clears them when the run ends).
    expect(page.get_by_role("button", name="✅ Done")).to_have_count(0)
    phone_checks(page)
    rows = (guided_server.data_dir / "checkoffs.csv").read_text().splitlines()[1:]
    assert [r.split(",")[3:] for r in rows] == [
        ["warm/pigeon", "1"],
        ["warm/squats", "1"],
        ["main/plank", "1"],
    ]
    feelings = (guided_server.data_dir / "feelings.csv").read_text().splitlines()[1:]
    assert [f.split(",")[3:] for f in feelings] == [["warm/pigeon", "hard"]]
