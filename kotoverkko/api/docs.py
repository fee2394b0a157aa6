"""The documentation page's content, taken from the generated OpenAPI schema.

Summaries and parameter descriptions are English msgids in the code (marked for translation
there), so the page shows them in the UI language while the schema itself stays English.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .errors import ApiErrorCode
from .exports import EXPORT_MAX_ROWS
from .throttling import DEFAULT_ANON_RATE, DEFAULT_TOKEN_RATE, parse_rate

METHOD_ORDER = ("get", "post", "patch", "put", "delete")
EXAMPLE_DEPTH = 6


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def example(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A small example value of a JSON schema (examples given in the schema first)."""
    schema = _resolve(schema, components)
    if schema.get("examples"):
        return schema["examples"][0]
    if depth > EXAMPLE_DEPTH:
        return None
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [option for option in schema[key] if option.get("type") != "null"]
            return example(options[0], components, depth + 1) if options else None
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        if not properties:
            return {"fi": "…"} if schema.get("additionalProperties") else {}
        return {name: example(value, components, depth + 1) for name, value in properties.items()}
    if kind == "array":
        return [example(schema.get("items", {}), components, depth + 1)]
    formats = {"date-time": "2026-05-05T17:00:00+03:00", "date": "2026-05-05"}
    if kind == "string":
        return formats.get(schema.get("format", ""), "…")
    return {"integer": 1, "number": 60.2, "boolean": True}.get(kind or "")


def _type(schema: dict[str, Any], components: dict[str, Any]) -> str:
    schema = _resolve(schema, components)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(
                _type(option, components) for option in schema[key] if option.get("type") != "null"
            )
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if schema.get("type") == "array":
        return _("list of %(type)s") % {"type": _type(schema.get("items", {}), components)}
    return schema.get("format") or schema.get("type") or "string"


def _translated(text: str) -> str:
    return _(text) if text else ""


def _operation(
    path: str, method: str, operation: dict[str, Any], components: dict[str, Any]
) -> dict[str, Any]:
    parameters = [
        {
            "name": parameter["name"],
            "location": parameter["in"],
            "required": parameter.get("required", False),
            "type": _type(parameter.get("schema", {}), components),
            "description": _translated(
                parameter.get("description") or parameter.get("schema", {}).get("description", "")
            ),
        }
        for parameter in operation.get("parameters", [])
    ]
    responses = operation.get("responses", {})
    success = next((code for code in ("200", "201") if code in responses), None)
    response_example = None
    if success:
        content = responses[success].get("content", {}).get("application/json", {})
        if content:
            response_example = json.dumps(
                example(content["schema"], components), indent=2, ensure_ascii=False
            )
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    security = operation.get("security") or []
    return {
        "id": operation.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": _translated(operation.get("summary", "")),
        "description": _translated(operation.get("description", "")),
        "parameters": parameters,
        "statuses": sorted(responses),
        "example": response_example,
        "body_example": json.dumps(example(body["schema"], components), indent=2, ensure_ascii=False)
        if body
        else None,
        "needs_token": bool(security) and {} not in security,
    }


def context(request: HttpRequest) -> dict[str, Any]:
    from .api import api

    schema = api.get_openapi_schema(path_params={})
    components = schema.get("components", {}).get("schemas", {})
    operations = [
        _operation(path, method, methods[method], components)
        for path, methods in schema.get("paths", {}).items()
        for method in METHOD_ORDER
        if method in methods
    ]
    anon, anon_seconds = parse_rate(getattr(settings, "API_ANON_RATE", DEFAULT_ANON_RATE))
    token, token_seconds = parse_rate(getattr(settings, "API_TOKEN_RATE", DEFAULT_TOKEN_RATE))
    return {
        "operations": operations,
        "openapi_url": request.build_absolute_uri(reverse("api:v1:openapi-json")),
        "api_root": request.build_absolute_uri(reverse("api:v1:listing_list")).rsplit("listings/", 1)[0],
        "error_codes": [(code.value, code.label) for code in ApiErrorCode],
        "anon_rate": anon,
        "anon_seconds": anon_seconds,
        "token_rate": token,
        "token_seconds": token_seconds,
        "export_limit": EXPORT_MAX_ROWS,
        "export_formats": ["csv", "xlsx", "json"],
    }
