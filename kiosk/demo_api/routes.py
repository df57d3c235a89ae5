"""URL table of the API: one line per operation of ``openapi.yaml``."""

from __future__ import annotations

import re
from collections.abc import Callable

from kiosk.api.action_kinds import ACTION_KINDS, Kind

from . import bookings, calls, checkins, demarches, devices, numbering, open311, queues, reads
from .request import JsonObject, Raw, Request

# (status, body) or (status, body, headers); no body for 304.
Answer = tuple[int, JsonObject | Raw | None] | tuple[int, JsonObject | Raw | None, dict[str, str]]
Handler = Callable[[Request], Answer]
Route = tuple[str, re.Pattern[str], Handler, bool]
SEGMENT = r"(?P<{}>[A-Za-z0-9_.:-]{{1,100}})"


def _route(method: str, template: str, handler: Handler, auth: bool = True) -> Route:
    pattern = re.sub(r"\{(\w+)\}", lambda m: SEGMENT.format(m.group(1)), template)
    return method, re.compile(f"^{pattern}$"), handler, auth


# The handler of each kind of citizen's action; its route comes from the registry.
ACTION_HANDLERS: dict[Kind, Handler] = {
    Kind.BOOKING: bookings.create,
    Kind.CANCELLATION: bookings.cancel,
    Kind.BOOKING_REQUEST: bookings.create_request,
    Kind.CHECKIN: checkins.create,
    Kind.QUEUE_TICKET: queues.create_ticket,
    Kind.DEMARCHE: demarches.create,
}


def _action(name: Kind) -> Route:
    kind = ACTION_KINDS[name]
    return _route(kind.method, kind.path, ACTION_HANDLERS[name])


ROUTES = [
    _route("POST", "/v1/devices/enroll", devices.enroll, auth=False),
    _route("POST", "/v1/devices/{device_id}/heartbeat", devices.heartbeat),
    _route("GET", "/v1/catalog", reads.catalog),
    _route("GET", "/v1/agendas/{agenda_id}/slots", reads.slots),
    _action(Kind.BOOKING),
    _action(Kind.CANCELLATION),
    _route("POST", "/v1/bookings/{booking_id}/cancel-check", bookings.check_cancel),
    _action(Kind.BOOKING_REQUEST),
    _route("GET", "/v1/booking-requests/{request_id}", bookings.get_request),
    _action(Kind.CHECKIN),
    _route("GET", "/v1/number-blocks", numbering.number_block),
    _action(Kind.QUEUE_TICKET),
    _route("GET", "/v1/queues", queues.queues),
    _route("GET", "/v1/calls", calls.calls),
    # the agents' routes check the agent's token themselves (not a terminal's)
    _route("POST", "/v1/agent/calls", calls.call_next, auth=False),
    _route("POST", "/v1/agent/calls/{queue_number}/recall", calls.recall, auth=False),
    _route("POST", "/v1/agent/calls/{queue_number}/absent", calls.absent, auth=False),
    _route("POST", "/v1/agent/calls/{queue_number}/served", calls.served, auth=False),
    _action(Kind.DEMARCHE),
    _route("GET", "/v1/requests/{tracking_code}", reads.tracked_request),
    _route("GET", "/v1/keys", reads.keys),
    _route("GET", "/v1/openapi.yaml", reads.openapi, auth=False),
    # Open311 GeoReport v2 for reports (open311.yaml): api_key in the body, checked by the handler
    _route("GET", f"{open311.BASE}/services.json", open311.services, auth=False),
    _route("POST", f"{open311.BASE}/requests.json", open311.post_request, auth=False),
    _route("GET", f"{open311.BASE}/requests/{{service_request_id}}.json", open311.get_request, auth=False),
]


def match(method: str, path: str) -> tuple[Handler, bool, dict[str, str]] | list[str]:
    """The handler for a request, or the methods the path allows (an empty list: no such
    resource, 404; otherwise 405 with these methods in ``Allow``)."""
    allowed: list[str] = []
    for route_method, pattern, handler, auth in ROUTES:
        m = pattern.match(path)
        if m:
            if route_method == method:
                return handler, auth, m.groupdict()
            allowed.append(route_method)
    return allowed
