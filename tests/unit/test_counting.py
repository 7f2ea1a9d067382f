"""counted(): each item reported once handled, and no wrapper at all when nobody watches."""

from __future__ import annotations

from interview_followup.counting import counted


def test_nobody_watching_gets_the_items_themselves() -> None:
    items = [1, 2, 3]
    assert counted(items, None) is items


def test_each_item_is_reported_after_it_is_handled() -> None:
    heard: list[tuple[int, int]] = []
    handled: list[str] = []
    for item in counted(
        ["a", "b"], lambda done, total: heard.append((done, total)), done=3, total=9
    ):
        assert len(heard) == len(handled)  # not yet reported while being handled
        handled.append(item)
    assert handled == ["a", "b"] and heard == [(4, 9), (5, 9)]
    heard.clear()
    list(counted("xyz", lambda done, total: heard.append((done, total))))
    assert heard == [(1, 3), (2, 3), (3, 3)]
