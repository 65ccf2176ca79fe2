"""qalam: offline Arabic news-text analysis and search.

The functions are those of the ``qalam`` command line, from the same Rust code::

    >>> import qalam
    >>> doc = qalam.analyze("زار الملك سلمان مدينة الرياض.")
    >>> [t["stem"] for t in doc["tokens"]][:3]
    ['زار', 'ملك', 'سلم']

``qalam.spark`` runs the same analysis as a Spark job (it needs ``pyspark`` and ``pyarrow``).
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
    Documents,
    analyze,
    analyze_columns,
    analyze_many,
    assign_clusters,
    input_files,
    jaccard,
    near_duplicates,
    read_documents,
    stories,
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
    "Documents",
    "Index",
    "InputError",
    "ModelError",
    "QalamError",
    "QueryError",
    "StorageError",
    "__version__",
    "analyze",
    "analyze_columns",
    "analyze_many",
    "assign_clusters",
    "input_files",
    "jaccard",
    "near_duplicates",
    "read_documents",
    "stories",
    "normalize",
    "sentences",
    "stem",
    "tag_ner",
    "tokenize",
    "translit",
]
