"""PxWeb API v1 client on the standard library: table metadata, queries, fetching with backoff on HTTP 429.

Statistics Finland (https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin) and Statistics Sweden run the same
PxWeb software. The opener is injectable (anything with urllib's ``open(request, timeout=…)``), so
tests replay recorded responses and never touch the network.
"""

from __future__ import annotations

import email.utils
import io
import json
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .parsers.common import Table
from .parsers.jsonstat import parse_jsonstat
from .parsers.px import parse_px
from .parsers.pxweb_csv import parse_pxweb_csv

__all__ = [
    "RESPONSE_FORMATS",
    "PxWebClient",
    "PxWebError",
    "PxWebHTTPError",
    "PxWebQueryError",
    "PxWebRateLimitError",
    "PxWebTableMetadata",
    "PxWebVariable",
    "Selection",
    "build_query",
    "estimated_cells",
    "validate_query",
]

RESPONSE_FORMATS = ("json-stat2", "json-stat", "json", "csv", "px", "xlsx", "sdmx")
RETRY_STATUSES = frozenset({429, 502, 503, 504})
USER_AGENT = "Kotoverkko situation importer (urllib)"
_TOP = re.compile(r"top:(?P<n>[1-9]\d*)")
_EXPLICIT_FILTER = re.compile(r"item|all|top|(?:vs|agg):.+")
_HINTS = {
    400: "PxWeb did not accept the query (check variable codes and values)",
    403: "PxWeb refuses queries over its cell limit; split the query into smaller ones",
    404: "no such table or folder at this path",
    429: "rate limited: too many requests",
}


class PxWebError(Exception):
    """The PxWeb API could not be used as asked."""


class PxWebQueryError(PxWebError, ValueError):
    """A query does not fit the table's metadata; the message names the variable and value."""


class PxWebHTTPError(PxWebError):
    """The API answered with an HTTP error; ``status``, ``url`` and an excerpt of ``body`` are kept."""

    def __init__(self, status: int, url: str, body: str, *, method: str = "GET") -> None:
        self.status = status
        self.url = url
        self.body = body
        hint = _HINTS.get(status, "server error" if status >= 500 else "request refused")
        detail = f": {body.strip()[:300]}" if body.strip() else ""
        super().__init__(f"{method} {url} failed with HTTP {status} ({hint}){detail}")


class PxWebRateLimitError(PxWebHTTPError):
    """HTTP 429 persisted after every retry, or the server asked us to wait longer than allowed."""


class Opener(Protocol):
    """What the client needs of ``urllib.request.OpenerDirector``."""

    def open(self, fullurl: urllib.request.Request, data: bytes | None = None, timeout: float = ...) -> Any:
        """Send the request and return a response with ``read()``."""
        ...


@dataclass(frozen=True)
class PxWebVariable:
    """A variable of a PxWeb table as its metadata describes it."""

    code: str
    text: str
    values: tuple[str, ...]
    value_texts: tuple[str, ...]
    elimination: bool = False
    time: bool = False

    def text_of(self, code: str) -> str:
        """The label of a value code."""
        return self.value_texts[self.values.index(code)]


@dataclass(frozen=True)
class PxWebTableMetadata:
    """A table's title and variables, from ``GET <table>``."""

    title: str
    variables: tuple[PxWebVariable, ...]

    def variable(self, code: str) -> PxWebVariable:
        """The variable with this code."""
        for variable in self.variables:
            if variable.code == code:
                return variable
        raise PxWebQueryError(f"the table has no variable {code!r} (it has {', '.join(self.codes)})")

    @property
    def codes(self) -> tuple[str, ...]:
        """Variable codes in the table's order."""
        return tuple(variable.code for variable in self.variables)

    @classmethod
    def from_json(cls, document: Any) -> PxWebTableMetadata:
        """Check and read the metadata document PxWeb v1 returns for a table."""
        if isinstance(document, list):
            raise PxWebError("the path is a folder (PxWeb returned a list of items), not a table")
        if not isinstance(document, dict) or not isinstance(document.get("variables"), list):
            raise PxWebError("the metadata has no 'variables' list: not a PxWeb v1 table")
        variables = []
        for position, raw in enumerate(document["variables"]):
            where = f"variables[{position}]"
            if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
                raise PxWebError(f"{where}: a variable needs a 'code'")
            values, texts = raw.get("values"), raw.get("valueTexts")
            if not _is_strings(values) or not _is_strings(texts) or len(values) != len(texts):
                raise PxWebError(
                    f"{where} ({raw['code']}): 'values' and 'valueTexts' must be string lists of one length"
                )
            variables.append(
                PxWebVariable(
                    code=raw["code"],
                    text=str(raw.get("text", raw["code"])),
                    values=tuple(values),
                    value_texts=tuple(texts),
                    elimination=raw.get("elimination") is True,
                    time=raw.get("time") is True,
                )
            )
        codes = [variable.code for variable in variables]
        if len(set(codes)) != len(codes):
            raise PxWebError("a variable code appears twice in the metadata")
        return cls(title=str(document.get("title", "")), variables=tuple(variables))


def _is_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


@dataclass(frozen=True)
class Selection:
    """An explicit PxWeb filter, e.g. ``Selection("vs:Ålder1årL", ["0", "1"])`` for a value set."""

    filter: str
    values: Sequence[str]


SelectionSpec = Sequence[str] | str | Selection


def build_query(
    metadata: PxWebTableMetadata,
    selections: Mapping[str, SelectionSpec],
    response_format: str = "json-stat2",
) -> dict[str, Any]:
    """The PxWeb v1 request body for these selections, variables in the table's order.

    A selection is a list of value codes (filter "item"), "all", "top:n" (the n latest periods) or a
    ``Selection`` for value sets ("vs:…") and aggregations ("agg:…"). A variable left out is
    eliminated, which PxWeb allows only when its metadata says ``elimination: true``.
    """
    if response_format not in RESPONSE_FORMATS:
        raise PxWebQueryError(
            f"unknown response format {response_format!r} (one of {', '.join(RESPONSE_FORMATS)})"
        )
    unknown = [code for code in selections if code not in metadata.codes]
    if unknown:
        raise PxWebQueryError(
            f"the table has no variable {', '.join(map(repr, unknown))} (it has {', '.join(metadata.codes)})"
        )
    query = []
    for variable in metadata.variables:
        if variable.code not in selections:
            if not variable.elimination:
                raise PxWebQueryError(
                    f"variable {variable.code!r} ({variable.text}) must be selected:"
                    " the table cannot eliminate it"
                )
            continue
        filter_, values = _selection(variable, selections[variable.code])
        query.append({"code": variable.code, "selection": {"filter": filter_, "values": values}})
    return {"query": query, "response": {"format": response_format}}


def _selection(variable: PxWebVariable, spec: SelectionSpec) -> tuple[str, list[str]]:
    if isinstance(spec, Selection):
        if not _EXPLICIT_FILTER.fullmatch(spec.filter):
            raise PxWebQueryError(f"{variable.code}: unknown filter {spec.filter!r}")
        values = [str(value) for value in spec.values]
        if not values:
            raise PxWebQueryError(f"{variable.code}: the {spec.filter!r} selection has no values")
        if spec.filter == "item":
            _check_values(variable, values)
        return spec.filter, values
    if isinstance(spec, str):
        if spec == "all":
            return "all", ["*"]
        top = _TOP.fullmatch(spec)
        if top is not None:
            if int(top.group("n")) > len(variable.values):
                raise PxWebQueryError(
                    f"{variable.code}: {spec} asks for more than its {len(variable.values)} values"
                )
            return "top", [top.group("n")]
        raise PxWebQueryError(
            f"{variable.code}: {spec!r} is not 'all' or 'top:n'; give value codes as a list"
        )
    values = list(spec)
    if not values:
        raise PxWebQueryError(f"{variable.code}: no values selected (leave the variable out to eliminate it)")
    _check_values(variable, values)
    return "item", values


def _check_values(variable: PxWebVariable, values: list[str]) -> None:
    if len(set(values)) != len(values):
        duplicate = next(value for value in values if values.count(value) > 1)
        raise PxWebQueryError(f"{variable.code}: the value {duplicate!r} is selected twice")
    known = set(variable.values)
    for value in values:
        if value in known:
            continue
        if value in variable.value_texts:
            code = variable.values[variable.value_texts.index(value)]
            raise PxWebQueryError(f"{variable.code}: {value!r} is a value text; its code is {code!r}")
        raise PxWebQueryError(f"{variable.code}: the table has no value {value!r}")


def validate_query(query: Any) -> None:
    """Check a request body has PxWeb v1's shape (query[].code/selection.filter/values, response.format)."""
    if not isinstance(query, Mapping) or not isinstance(query.get("query"), list):
        raise PxWebQueryError("a PxWeb query is an object with a 'query' list")
    codes = []
    for position, part in enumerate(query["query"]):
        where = f"query[{position}]"
        if not isinstance(part, Mapping) or not isinstance(part.get("code"), str) or not part["code"]:
            raise PxWebQueryError(f"{where}: needs a variable 'code'")
        selection = part.get("selection")
        if not isinstance(selection, Mapping) or not isinstance(selection.get("filter"), str):
            raise PxWebQueryError(f"{where} ({part['code']}): needs a 'selection' with a 'filter'")
        if not _EXPLICIT_FILTER.fullmatch(selection["filter"]):
            raise PxWebQueryError(f"{where} ({part['code']}): unknown filter {selection['filter']!r}")
        values = selection.get("values")
        if not _is_strings(values) or not values:
            raise PxWebQueryError(f"{where} ({part['code']}): 'values' must be a non-empty list of strings")
        codes.append(part["code"])
    if len(set(codes)) != len(codes):
        raise PxWebQueryError("a variable is selected twice")
    response = query.get("response")
    if not isinstance(response, Mapping) or response.get("format") not in RESPONSE_FORMATS:
        raise PxWebQueryError(f"'response.format' must be one of {', '.join(RESPONSE_FORMATS)}")


def estimated_cells(metadata: PxWebTableMetadata, query: Mapping[str, Any]) -> int:
    """How many cells a query asks for (eliminated variables count once), to stay under PxWeb's limit."""
    counts = []
    for part in query["query"]:
        variable = metadata.variable(part["code"])
        selection = part["selection"]
        if selection["filter"] == "all":
            counts.append(len(variable.values))
        elif selection["filter"] == "top":
            counts.append(int(selection["values"][0]))
        else:
            counts.append(len(selection["values"]))
    return math.prod(counts)


class PxWebClient:
    """Talk to one PxWeb v1 database, e.g. ``PxWebClient("https://pxdata.stat.fi/PXWeb/api/v1/fi/StatFin")``."""

    def __init__(
        self,
        base_url: str,
        opener: Opener | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_retries: int = 5,
        backoff_seconds: float = 1.0,
        max_wait_seconds: float = 60.0,
        timeout: float = 60.0,
        user_agent: str = USER_AGENT,
    ) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.opener: Opener = opener or urllib.request.build_opener()
        self.sleep = sleep
        self.clock = clock
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.max_wait_seconds = max_wait_seconds
        self.timeout = timeout
        self.user_agent = user_agent

    def url(self, path: str) -> str:
        """The URL of a table or folder path below the base URL, percent-encoded."""
        return f"{self.base_url}/{urllib.parse.quote(path.strip('/'), safe='/')}"

    def table_metadata(self, path: str) -> PxWebTableMetadata:
        """GET a table's metadata (title and variables with their value codes and texts)."""
        body = self._request("GET", self.url(path))
        return PxWebTableMetadata.from_json(_json(body, self.url(path)))

    def build_query(
        self,
        metadata: PxWebTableMetadata,
        selections: Mapping[str, SelectionSpec],
        response_format: str = "json-stat2",
    ) -> dict[str, Any]:
        """See ``build_query``."""
        return build_query(metadata, selections, response_format)

    def fetch(self, path: str, query: Mapping[str, Any]) -> bytes:
        """POST a query (as UTF-8 JSON) and return the response body as bytes."""
        validate_query(query)
        body = json.dumps(query, ensure_ascii=False).encode("utf-8")
        return self._request("POST", self.url(path), body)

    def fetch_table(self, path: str, query: Mapping[str, Any]) -> Table:
        """POST a query and parse the answer by its response format (json-stat2, px or csv)."""
        response_format = query.get("response", {}).get("format")
        body = self.fetch(path, query)
        if response_format == "json-stat2":
            return parse_jsonstat(body)
        if response_format == "px":
            return parse_px(io.BytesIO(body))
        if response_format == "csv":
            return parse_pxweb_csv(io.BytesIO(body))
        raise ValueError(f"fetch_table reads json-stat2, px and csv, not {response_format!r}; use fetch()")

    def _request(self, method: str, url: str, data: bytes | None = None) -> bytes:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json, */*;q=0.5"}
        if data is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        attempt = 0
        while True:
            request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - http(s) only, checked in __init__
            try:
                with self.opener.open(request, timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as exc:
                body = _excerpt(exc)
                if exc.code not in RETRY_STATUSES:
                    raise PxWebHTTPError(exc.code, url, body, method=method) from None
                wait = self._wait(exc.headers.get("Retry-After") if exc.headers else None, attempt)
                error_class = PxWebRateLimitError if exc.code == 429 else PxWebHTTPError
                if attempt >= self.max_retries or wait is None:
                    raise error_class(exc.code, url, body, method=method) from None
                self.sleep(wait)
                attempt += 1
            except urllib.error.URLError as exc:
                raise PxWebError(f"{method} {url}: cannot reach the server ({exc.reason})") from None

    def _wait(self, retry_after: str | None, attempt: int) -> float | None:
        """Seconds to wait before the next try: Retry-After if given, else exponential backoff."""
        if retry_after:
            seconds = _retry_after_seconds(retry_after, self.clock())
            if seconds is not None:
                return seconds if seconds <= self.max_wait_seconds else None
        return min(self.backoff_seconds * 2**attempt, self.max_wait_seconds)


def _retry_after_seconds(value: str, now: float) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


def _excerpt(error: urllib.error.HTTPError) -> str:
    try:
        raw = error.read() if error.fp is not None else b""
    except OSError:
        raw = b""
    return raw[:2000].decode("utf-8", "replace")


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PxWebError(f"{url}: the response is not JSON ({exc})") from None
