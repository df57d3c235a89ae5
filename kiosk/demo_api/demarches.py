"""Filing a démarche (``POST /v1/demarches``): placeholder until the handler lands in the next commit."""

from __future__ import annotations

from .errors import ApiError
from .request import JsonObject, Request


def create(req: Request) -> tuple[int, JsonObject, dict[str, str]]:
    raise ApiError(501, "not_implemented", "filing a démarche is not served yet by this reference server")
