"""The examples in the docstrings run and print what they show."""

import doctest

import pytest

import qalam

FUNCTIONS = [
    qalam.analyze,
    qalam.analyze_many,
    qalam.normalize,
    qalam.tokenize,
    qalam.sentences,
    qalam.stem,
    qalam.translit,
    qalam.tag_ner,
]


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_function_examples(f):
    assert ">>>" in (f.__doc__ or ""), f"{f.__name__} has an example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder().find(f, f.__name__, globs={"qalam": qalam}):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_index_examples(tmp_path):
    globs = {"qalam": qalam, "path": str(tmp_path / "i")}
    parts = [qalam.Index.__doc__] + [
        getattr(qalam.Index, m).__doc__ for m in ["add", "commit", "search", "get", "delete"]
    ]
    text = "\n\n".join(p or "" for p in parts)
    test = doctest.DocTestParser().get_doctest(text, globs, "Index", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert test.examples and runner.summarize(verbose=False).failed == 0


def test_every_error_is_a_qalam_error():
    for name in ["ArgumentError", "InputError", "ModelError", "QueryError", "DocumentError",
                 "StorageError"]:
        assert issubclass(getattr(qalam, name), qalam.QalamError)
    assert qalam.QalamError.__module__ == "qalam"


def test_spark_support_examples(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text('{"id": "a", "title": "أمطار", "content": "أمطار غزيرة على جدة"}\n'
                    '{"id": "b", "title": "بلا نص"}\n', encoding="utf-8")
    globs = {"qalam": qalam, "path": str(path)}
    functions = [qalam.analyze_columns, qalam.read_documents, qalam.input_files,
                 qalam.near_duplicates, qalam.assign_clusters, qalam.jaccard, qalam.stories]
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for f in functions:
        assert ">>>" in (f.__doc__ or ""), f"{f.__name__} has an example"
        for test in doctest.DocTestFinder().find(f, f.__name__, globs=dict(globs)):
            runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
