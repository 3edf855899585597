"""Context's position index: the binary searches extractors use instead of scanning every item."""
from types import SimpleNamespace

from sitrep.article import Article
from sitrep.extract.base import Context


def item(start, end, name):
    return SimpleNamespace(start=start, end=end, name=name)


def test_items_by_position_follow_the_list_as_it_grows():
    ctx = Context(article=Article(text="x"), doc=None, published=None)
    ctx.quotes += [item(50, 90, "b"), item(0, 20, "a"), item(60, 70, "inner")]
    assert [q.name for q in ctx.starting_in("quotes", 10, 61)] == ["b", "inner"]
    assert ctx.inside("quotes", 65) and ctx.inside("quotes", 0) and not ctx.inside("quotes", 20)
    assert ctx.covering("quotes", 65).name == "b" and ctx.covering("quotes", 30) is None
    ctx.quotes.append(item(25, 40, "late"))  # appended after the first look-up: the index is rebuilt
    assert ctx.covering("quotes", 30).name == "late"
    assert [q.name for q in ctx.starting_in("quotes", 0, 100)] == ["a", "late", "b", "inner"]
