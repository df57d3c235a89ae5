"""The OpenAPI document as a validator: "does this response conform to the contract?"

Used by the conformance tests of the reference server, and available to the client for
diagnostics. ``closed=True`` additionally rejects properties the document does not list:
the contract itself is open (clients must ignore new fields), but our own reference
server must not drift from its document unnoticed.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any, cast

import yaml
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]  # no stubs installed
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from . import SPEC_PATH

BASE = "urn:kiosk-sync-api-v1"


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    with open(SPEC_PATH, encoding="utf-8") as f:
        return cast(dict[str, Any], yaml.safe_load(f))


def _close(document: dict[str, Any]) -> dict[str, Any]:
    closed = copy.deepcopy(document)
    for schema in closed["components"]["schemas"].values():
        if schema.get("type") == "object" and "additionalProperties" not in schema:
            schema["unevaluatedProperties"] = False
    return closed


@lru_cache(maxsize=2)
def _registry(closed: bool) -> Registry[Any]:
    document = _close(spec()) if closed else spec()
    registry: Registry[Any] = Registry().with_resource(
        BASE, Resource.from_contents(document, default_specification=DRAFT202012))
    return registry


def validator(schema_name: str, closed: bool = False) -> Draft202012Validator:
    ref = {"$ref": f"{BASE}#/components/schemas/{schema_name}"}
    return Draft202012Validator(ref, registry=_registry(closed), format_checker=FormatChecker())


def _deref(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        path = node["$ref"].removeprefix("#/").split("/")
        node = spec()
        for part in path:
            node = node[part]
    return node


def response_schema_name(method: str, path_template: str, status: int) -> str | None:
    """The component schema a documented response uses (None: no body). KeyError if the
    operation does not document this status: an undocumented status is a contract bug."""
    operation = spec()["paths"][path_template][method.lower()]
    response = _deref(operation["responses"][str(status)])
    content = response.get("content", {}).get("application/json")
    if content is None:
        return None
    return str(content["schema"]["$ref"].rsplit("/", 1)[-1])


def check_response(method: str, path_template: str, status: int, body: Any, closed: bool = True) -> None:
    """Raise ``jsonschema.ValidationError`` (or KeyError) unless ``body`` conforms."""
    name = response_schema_name(method, path_template, status)
    if name is None:
        if body not in (None, b"", ""):
            raise ValueError(f"{method} {path_template} {status} documents no body")
        return
    validator(name, closed).validate(body)
