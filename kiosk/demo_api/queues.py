"""Queue numbers, walk-in tickets, the state of the queues and the calls (issue 12).

Handlers come in the next commit; the routes exist so that the URL table stays the contract's.
"""

from __future__ import annotations

from .errors import ApiError
from .request import JsonObject, Request


def _pending(req: Request) -> tuple[int, JsonObject]:
    raise ApiError(404, "not_found", f"{req.path} is not served by this version of the reference server yet")


number_block = create_ticket = queues = calls = call_next = recall = absent = served = _pending
