"""Hooks of .ci/schemathesis.sh (loaded through SCHEMATHESIS_HOOKS): a check and a serializer."""

import json

import schemathesis

# Operations whose `q` takes the query syntax; see .ci/schemathesis.toml.
QUERY_OPERATIONS = {"GET /api/search", "GET /api/entities", "GET /api/stories"}
# Error codes of a q the query parser refuses.
QUERY_ERRORS = {"bad_query", "query_too_complex"}


@schemathesis.check
def only_the_query_syntax_is_refused(ctx, response, case):
    """A schema-valid request to a query operation is refused only for the syntax of its q."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 400:
        return None
    if case.operation.label not in QUERY_OPERATIONS:
        return None
    body = response.json()
    q = (case.query or {}).get("q")
    detail = body.get("detail", "")
    if body.get("error") not in QUERY_ERRORS or not isinstance(q, str) or not q.strip():
        raise AssertionError(f"valid request refused for something other than its query: {body}")
    if detail.startswith("bad date"):
        raise AssertionError(f"valid from/to refused: {body}")
    return None


@schemathesis.serializer("application/x-ndjson")
def json_lines(ctx, value):
    """JSON Lines: an array as one line per item, any other value as one line."""
    items = value if isinstance(value, list) else [value]
    return "".join(json.dumps(item) + "\n" for item in items).encode("utf-8")
