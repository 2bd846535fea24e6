"""The shared keeper of recently used values: taggers, taxonomies and models rely on it."""

from evidence.recent import Recent


def test_the_least_recently_used_value_goes_first_when_too_many_are_kept():
    recent: Recent[str, int] = Recent(2)
    recent.keep("a", 1)
    recent.keep("b", 2)
    assert recent.get("a") == 1  # now "b" is the least recently used
    recent.keep("c", 3)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (1, None, 3)


def test_keeping_a_key_kept_already_returns_the_first_value():
    recent: Recent[str, object] = Recent(4)
    first, second = object(), object()
    assert recent.keep("model", first) is first
    assert recent.keep("model", second) is first
