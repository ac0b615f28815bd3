"""The words beside the numbers: what each says at its edges."""

from hipdash import explain


def test_this_week_is_a_fraction_of_its_target_until_it_passes_it():
    assert explain.this_week(0, 3) == explain.Figure(
        "This week", "0 / 3", "sessions of the week's target"
    )
    assert explain.this_week(3, 3).value == "3 / 3"
    assert explain.this_week(4, 3) == explain.Figure(
        "This week", "4", "sessions, past the week's target of 3"
    )
    assert explain.this_week(1, 0).means == "sessions, past the week's target of 0"


def test_today_s_line_says_when_the_day_counts():
    assert explain.session_line(16, 8, False) == "This day counts as a session at 8 of 16 done"
    assert explain.session_line(16, 8, True) == "✓ This day counts as a session"
