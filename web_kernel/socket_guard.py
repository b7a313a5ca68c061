"""Socket.IO handlers answer a database outage as the HTTP API does (a 503 there): with a
refusal the client already handles, and one log line, not a traceback per event."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from queue_service.persistence.failures import database_unavailable

log = logging.getLogger(__name__)

Handler = TypeVar("Handler", bound=Callable[..., Any])


def refusing_when_unavailable(refusal: object) -> Callable[[Handler], Handler]:
    """The handler answers `refusal` (an ack, or False for a connect) if the database cannot
    serve right now; any other error stays loud."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def guarded(*args: Any) -> Any:
            try:
                return handler(*args)
            except Exception as error:
                if not database_unavailable(error):
                    raise
                log.error("database unavailable in socket handler %s", handler.__name__)
                return refusal

        return guarded  # type: ignore[return-value]

    return decorate
