"""Response validation against the Helsinki Linked Events OpenAPI file, with openapi-core.

The file is used as published; only its server list is replaced by the test server's base path,
and YAML's integer response codes are turned into the strings OpenAPI requires.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

# A byte-for-byte copy of shared/specs/linked-events-helsinki.openapi.yaml (see data/PROVENANCE.md).
SPEC_PATH = Path(__file__).parent / "data" / "linked-events-helsinki.openapi.yaml"


def _string_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_string_keys(item) for item in value]
    return value


@functools.cache
def linked_events_api() -> OpenAPI:
    spec = _string_keys(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))
    spec["servers"] = [{"url": "http://testserver/linkedevents/v1"}]
    return OpenAPI.from_dict(spec)


def assert_valid_response(response: Any) -> None:
    """Raise openapi-core's error when the response does not match the operation's schema."""
    request = DjangoOpenAPIRequest(response.wsgi_request)
    linked_events_api().validate_response(request, DjangoOpenAPIResponse(response))
