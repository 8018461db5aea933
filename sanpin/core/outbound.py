"""Pushing JSON to other systems: one HTTP POST that never follows a redirect, the compact JSON
encoding that is posted, and the back-off schedule of retries.

Shared by the subscription webhooks (sanpin.subscriptions.webhooks) and the push to the national
traceability platform (sanpin.traceability), so that both time out, fail and retry the same way.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
# Seconds to wait after failed attempt 1, 2, … (1, 5, 25, 125 and 625 minutes): six attempts in
# all over about thirteen hours, so a receiver that is down overnight still gets the push.
RETRY_DELAYS = (60, 300, 1500, 7500, 37500)


def retry_delay(attempts: int, delays: tuple[int, ...] = RETRY_DELAYS) -> int | None:
    """Seconds to wait after the `attempts`-th failed attempt, or None when none is left."""
    return delays[attempts - 1] if 1 <= attempts <= len(delays) else None


def encode(payload: dict) -> bytes:
    """Compact UTF-8 JSON with sorted keys: the exact bytes that are posted (and signed)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as a failure: following it could lead to a refused address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    error: str


def post(url: str, body: bytes, headers: dict, *, user_agent: str, timeout: int = TIMEOUT_SECONDS) -> Outcome:
    """POST once; a 2xx answer is success, anything else (or no answer in time) a failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        return Outcome(False, None, "only http and https URLs receive pushes")
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 - scheme checked above
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": user_agent, **headers})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Outcome(200 <= response.status < 300, response.status, "")
    except urllib.error.HTTPError as exc:
        return Outcome(False, exc.code, f"HTTP {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(False, None, f"{type(exc).__name__}: {reason}"[:2000])
