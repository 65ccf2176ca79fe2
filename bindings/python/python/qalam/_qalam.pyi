"""Type stubs of the Rust module of qalam (checked against it by mypy's stubtest)."""

import os
from types import TracebackType
from typing import (
    Any,
    Dict,
    Iterable,
    Iterator,
    List,
    Optional,
    Sequence,
    Tuple,
    Type,
    Union,
    final,
    overload,
)

__all__ = [
    "__version__",
    "analyze",
    "analyze_many",
    "normalize",
    "tokenize",
    "sentences",
    "stem",
    "translit",
    "tag_ner",
    "analyze_columns",
    "read_documents",
    "input_files",
    "near_duplicates",
    "assign_clusters",
    "jaccard",
    "stories",
    "Documents",
    "Index",
    "QalamError",
    "ArgumentError",
    "InputError",
    "ModelError",
    "QueryError",
    "DocumentError",
    "StorageError",
]

__version__: str

class QalamError(Exception):
    """Base class of every error raised by qalam."""

class ArgumentError(QalamError):
    """An argument qalam does not accept: an unknown profile, algorithm or encoding name."""

class InputError(QalamError):
    """A text qalam cannot read: a string that is not valid Unicode (lone surrogates)."""

class ModelError(QalamError):
    """A model that cannot be loaded."""

class QueryError(QalamError):
    """A search query that cannot be parsed or run."""

class DocumentError(QalamError):
    """A document that cannot be indexed."""

class StorageError(QalamError):
    """An index directory that cannot be opened, read or written."""

def analyze(
    text: str, *, morph: bool = False, fingerprint: bool = False, name: str = "-"
) -> Dict[str, Any]: ...
def analyze_many(
    texts: Iterable[str],
    threads: Optional[int] = None,
    *,
    morph: bool = False,
    fingerprint: bool = False,
) -> List[Dict[str, Any]]: ...
def normalize(text: str, profile: str = "search") -> str: ...
def tokenize(text: str) -> List[Dict[str, Any]]: ...
def sentences(text: str) -> List[Dict[str, Any]]: ...
@overload
def stem(word_or_words: str, algo: str = "light") -> str: ...  # type: ignore[overload-overlap]
@overload
def stem(word_or_words: Iterable[str], algo: str = "light") -> List[str]: ...
def translit(text: str, to: str = "bw") -> str: ...
def tag_ner(tokens: Sequence[str]) -> List[str]: ...
def analyze_columns(
    texts: Iterable[str],
    dates: Optional[Iterable[Optional[str]]] = None,
    threads: Optional[int] = None,
) -> Dict[str, List[Any]]: ...
def read_documents(
    paths: Sequence[Union[str, "os.PathLike[str]"]], *, max_record_bytes: Optional[int] = None
) -> "Documents": ...
def input_files(
    paths: Sequence[Union[str, "os.PathLike[str]"]],
) -> Tuple[List[str], List[str]]: ...
def near_duplicates(
    a: Iterable[Optional[bytes]], b: Iterable[Optional[bytes]]
) -> List[Optional[float]]: ...
def assign_clusters(
    ids: Sequence[str], minhashes: Iterable[Optional[bytes]]
) -> List[str]: ...
def jaccard(a: Iterable[Optional[bytes]], b: Iterable[Optional[bytes]]) -> List[float]: ...
def stories(
    docs: List[Dict[str, Any]],
    window_days: int = 3,
    threshold: float = 0.25,
    min_docs: int = 2,
) -> List[Dict[str, Any]]: ...
@final
class Documents:
    def __iter__(self) -> Iterator[Union[Dict[str, Any], InputError]]: ...
    def __next__(self) -> Union[Dict[str, Any], InputError]: ...

@final
class Index:
    def __new__(
        cls, path: Union[str, "os.PathLike[str]"], create: bool = False
    ) -> "Index": ...
    @property
    def path(self) -> str: ...
    def __len__(self) -> int: ...
    def add(self, docs: Iterable[Dict[str, Any]]) -> Dict[str, Any]: ...
    def commit(self) -> Dict[str, Any]: ...
    def search(
        self,
        q: Optional[str] = None,
        limit: int = 10,
        offset: int = 0,
        collapse: bool = False,
        *,
        mode: str = "syntax",
        source: Optional[str] = None,
        date_from: Optional[str] = None,
        date_to: Optional[str] = None,
        all_words: bool = False,
        facets: bool = True,
    ) -> Dict[str, Any]: ...
    def get(self, id: str) -> Optional[Dict[str, Any]]: ...
    def delete(self, ids: Union[str, Iterable[str]]) -> int: ...
    def __enter__(self) -> "Index": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> bool: ...
