"""An exercise's links as Today, the guided view and the import preview draw them."""

from __future__ import annotations

from hipdash.links import checked_links, label
from hipdash.markup import md_links
from hipdash.models import Link
from hipdash.ui import today_view

YOGA = "https://www.yogauonline.com/yoga-basics/relax-and-energize-quick-yoga-twist-chair"


def _card(routine, title: str) -> dict:
    _, drawn = today_view.routine_data(routine)
    (card,) = [e for s in drawn["sections"] for e in s["exercises"] if e["title"] == title]
    return card


def test_a_link_that_repeats_the_title_above_it_is_named_by_its_site(routine1):
    """The note's `- [Yoga twist in chair](…)` made the title and a link of the same words,
    drawn twice on the card, one under the other."""
    card = _card(routine1, "Yoga twist in chair")
    assert card["links"] == [{"title": "yogauonline.com", "url": YOGA}]


def test_other_words_stay_and_the_match_ignores_case_and_punctuation():
    named = Link(title="Why it helps", url=YOGA)
    assert label(named, "Yoga twist in chair") == "Why it helps"
    assert label(Link(title="yoga twist, in chair!", url=YOGA), "Yoga twist in chair") == (
        "yogauonline.com"
    )
    assert label(Link(title="", url="https://example.org/x"), "Squat") == "https://example.org/x"
    assert label(Link(title="Squat", url="https://example.org/x")) == "Squat"  # nothing beside
    assert checked_links([named, Link(title="x", url="javascript:alert(1)")], "Yoga") == [
        {"title": "Why it helps", "url": YOGA}
    ]


def test_one_markdown_line_names_the_site_beside_the_title_and_the_title_elsewhere(routine1):
    (yoga,) = [e for s in routine1.sections for e in s.exercises if e.title.startswith("Yoga")]
    assert md_links(yoga.links, beside=yoga.title) == f"[yogauonline.com]({YOGA}) ↗"
    assert md_links(yoga.links) == f"[Yoga twist in chair]({YOGA}) ↗"


def test_a_title_of_no_words_or_a_link_that_is_not_one_keeps_its_words():
    """Emoji-only titles have no words to compare; a link no surface draws as a link is
    not named by a site it does not lead to."""
    assert label(Link(title="🧘", url=YOGA), "🦵") == "🧘"
    assert label(Link(title="Squat", url="javascript://files.com/x"), "Squat") == "Squat"
