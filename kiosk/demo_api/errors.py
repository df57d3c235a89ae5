"""The one error shape of the API, raised anywhere in a handler and rendered once."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """An HTTP error answer: ``{"error": code, "message": message, "details": details}``."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, *, remember: bool = True) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}
        self.headers = headers or {}
        # False: a 4xx about the request's own choice (a reference already taken), not the
        # operation's verdict: not stored under the Idempotency-Key (see idempotency.run)
        self.remember = remember

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, "details": self.details}


def validation_error(exc: ValidationError) -> ApiError:
    """400 naming every bad field, so a terminal's log says what to fix."""
    errors = [{"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
              for e in exc.errors(include_url=False, include_input=False)]
    first = errors[0]
    return ApiError(400, "validation_error", f"{first['field']}: {first['message']}", {"errors": errors})


def parse_body(model: type[M], raw: bytes) -> M:
    """Validate a JSON body in strict mode: "5" is not a number, but ISO strings are dates
    (pydantic's strict JSON mode), which is what the contract says."""
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise validation_error(exc) from None
