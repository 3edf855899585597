"""A document that breaks an extractor becomes an error record naming its origin; the others still come out."""
from sitrep.article import Article, ReadError
from sitrep.pipeline import Pipeline


class ExplodesOnBoom:
    """A real extractor slot that raises on one kind of document (stands in for a bug in any extractor)."""

    name = "explodes"

    def __init__(self, nlp):
        pass

    def __call__(self, ctx):
        if "boom" in ctx.text:
            raise RuntimeError("extractor bug")


def test_failing_document_is_an_error_record_and_the_batch_goes_on():
    pipeline = Pipeline()
    pipeline.extractors.append(ExplodesOnBoom(pipeline.nlp))
    articles = [
        Article(text="Russian forces shelled Kherson on Monday, the governor said.", origin="a.txt:1"),
        Article(text="A boom was heard in Kharkiv overnight.", origin="b.jsonl:7"),
        Article(text="   ", origin="c.jsonl:8"),
        Article(text="Ukraine said it shot down 20 drones over Odesa.", origin="d.txt:1"),
    ]
    out = list(pipeline.run(articles, batch_size=3))
    assert len(out) == 4  # one record per input, in input order
    assert not isinstance(out[0], ReadError) and not isinstance(out[3], ReadError)
    assert isinstance(out[1], ReadError) and out[1].source == "b.jsonl:7"
    assert "RuntimeError" in out[1].error and "extractor bug" in out[1].error
    assert isinstance(out[2], ReadError) and out[2].source == "c.jsonl:8"
    assert out[3].document.text.startswith("Ukraine said")
