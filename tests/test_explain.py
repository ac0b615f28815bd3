"""The words beside the numbers: what each says at its edges."""

from hipdash import explain


def test_this_week_is_a_fraction_of_its_target_until_it_passes_it():
    assert explain.this_week(0, 3) == explain.Figure(
        "This week", "0 / 3", "sessions of the week's target"
    )
    assert explain.this_week(3, 3).value == "3 / 3"
    assert explain.this_week(4, 3) == explain.Figure(
        "This week", "4", "sessions, past its target of 3"
    )
    assert explain.this_week(1, 0).means == "sessions, its training days all marked off"


def test_today_s_line_says_when_the_day_counts():
    assert explain.session_line(16, 8, False) == "This day counts as a session at 8 of 16 done"
    assert explain.session_line(16, 8, True) == "✓ This day counts as a session"


def test_a_week_past_its_target_is_not_said_as_a_fraction_over_one():
    assert explain.week_count(2, 3) == "2 of 3 this week"
    assert explain.week_count(3, 3, unit="session") == "3 of 3 sessions this week"
    assert explain.week_count(4, 3) == "4 this week, past its target of 3"
    assert explain.week_count(4, 3, "that week", "session") == (
        "4 sessions that week, past its target of 3"
    )
    assert explain.week_count(1, 0, unit="session") == (
        "1 session this week, its training days all marked off"
    )
