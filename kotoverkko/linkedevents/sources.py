"""Reading Linked Events pages: from an API URL (following `next`) or from saved JSON files.

A saved file holds one page (`{"meta": …, "data": […]}`) or a list of pages. A page that is not
JSON is still yielded, with its error, so that the importer can name it and stop there.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 30
MAX_PAGES = 10_000
MAX_RETRIES = 5
MAX_RETRY_AFTER_SECONDS = 120
USER_AGENT = "Kotoverkko Linked Events importer"


class SourceError(Exception):
    """The source cannot be read at all (network error, HTTP error, missing file)."""


@dataclass
class Page:
    label: str  # the URL or "file.json", for messages
    number: int  # 1-based position in the run
    payload: Any = None
    error: str = ""


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def fetch_json(url: str, *, sleep: Callable[[float], None] = time.sleep) -> Any:
    """GET a JSON document; waits and retries politely when the server answers 429."""
    if not is_url(url):
        raise SourceError(f"Not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})  # noqa: S310 - scheme checked above
    for attempt in range(MAX_RETRIES + 1):
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked above
                body = response.read()
            break
        except urllib.error.HTTPError as error:
            if error.code == 429 and attempt < MAX_RETRIES:
                sleep(_retry_after(error.headers.get("Retry-After"), attempt))
                continue
            raise SourceError(f"{url}: HTTP {error.code}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SourceError(f"{url}: {error}") from error
    try:
        return json.loads(body)
    except ValueError as error:
        raise NotJson(str(error)) from error


class NotJson(ValueError):
    pass


def _retry_after(header: str | None, attempt: int) -> float:
    try:
        seconds = float(header) if header else 2.0**attempt
    except ValueError:
        seconds = 2.0**attempt  # an HTTP date: back off instead of parsing it
    return max(0.0, min(seconds, MAX_RETRY_AFTER_SECONDS))


def url_pages(url: str, *, sleep: Callable[[float], None] = time.sleep) -> Iterator[Page]:
    """Every page from `url` on, following meta.next."""
    seen: set[str] = set()
    number = 0
    next_url: str | None = url
    while next_url and next_url not in seen and number < MAX_PAGES:
        seen.add(next_url)
        number += 1
        try:
            payload = fetch_json(next_url, sleep=sleep)
        except NotJson as error:
            yield Page(label=next_url, number=number, error=f"not JSON ({error})")
            return
        yield Page(label=next_url, number=number, payload=payload)
        meta = payload.get("meta") if isinstance(payload, dict) else None
        next_url = meta.get("next") if isinstance(meta, dict) else None


def file_pages(paths: list[Path]) -> Iterator[Page]:
    """The pages of saved files in order; `next` links are not followed."""
    number = 0
    for path in paths:
        if not path.is_file():
            raise SourceError(f"No such file: {path}")
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            number += 1
            yield Page(label=path.name, number=number, error=f"not JSON ({error})")
            return
        for item in payload if isinstance(payload, list) else [payload]:
            number += 1
            yield Page(label=path.name, number=number, payload=item)


def read_pages(sources: list[str], *, sleep: Callable[[float], None] = time.sleep) -> Iterator[Page]:
    """Pages of one API URL or of local files."""
    if len(sources) == 1 and is_url(sources[0]):
        yield from url_pages(sources[0], sleep=sleep)
    elif any(is_url(source) for source in sources):
        raise SourceError("Give one API URL, or one or more files, not both.")
    else:
        yield from file_pages([Path(source) for source in sources])
