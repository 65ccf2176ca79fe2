"""qalam: offline Arabic news-text analysis and search.

The functions are those of the ``qalam`` command line, from the same Rust code::

    >>> import qalam
    >>> doc = qalam.analyze("زار الملك سلمان مدينة الرياض.")
    >>> [t["stem"] for t in doc["tokens"]][:3]
    ['زار', 'ملك', 'سلم']
"""

from qalam._qalam import (
    ArgumentError,
    DocumentError,
    Index,
    InputError,
    ModelError,
    QalamError,
    QueryError,
    StorageError,
    __version__,
    analyze,
    analyze_many,
    normalize,
    sentences,
    stem,
    tag_ner,
    tokenize,
    translit,
)

__all__ = [
    "ArgumentError",
    "DocumentError",
    "Index",
    "InputError",
    "ModelError",
    "QalamError",
    "QueryError",
    "StorageError",
    "__version__",
    "analyze",
    "analyze_many",
    "normalize",
    "sentences",
    "stem",
    "tag_ner",
    "tokenize",
    "translit",
]
