"""How requests to Google are retried: alone, or many in one batch request.

A batch carries up to 50 calls in one HTTP request, and Google answers each on its
own. A call that failed only for the moment (429, 5xx, rateLimitExceeded) goes out
again in the next batch, after a pause that doubles each round; the others keep the
answer they got.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from interview_followup import environment
from interview_followup.errors import RemoteError
from interview_followup.sinks.base import Unavailable

T = TypeVar("T")

MAX_ATTEMPTS = 6
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
RETRY_STATUSES = {429, 500, 502, 503, 504}

#: Builds one API request afresh, since a call may have to go out in a second batch.
Call = Callable[[], Any]


def error_reason(error: Any) -> str:
    """The ``reason`` of an HttpError's JSON body ("" when it has none)."""
    try:
        details = json.loads(error.content.decode("utf-8"))["error"]
        return str(details.get("errors", [{}])[0].get("reason") or details.get("status") or "")
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        return ""


def transient(status: int, reason: str) -> bool:
    """Whether Google asks us to try again later rather than refusing for good."""
    return status in RETRY_STATUSES or (status == 403 and reason in RATE_REASONS)


def retry_pause() -> float:
    """The first back-off step in seconds (FOLLOWUP_GOOGLE_RETRY_SECONDS, default 1)."""
    return environment.seconds("FOLLOWUP_GOOGLE_RETRY_SECONDS", 1.0)


def backoff(attempt: int) -> float:
    """The pause after the ``attempt``-th failure in a row: doubling, capped, jittered."""
    pause: float = min(32.0, retry_pause() * 2.0**attempt)
    return pause * random.uniform(0.5, 1.5)


class FollowUps:
    """The requests that some parts of a batch still need afterwards (a taken id, a
    refused deletion). Once Google is out of reach, the others get that answer at once
    rather than each waiting out its retries, and no answer already had is lost."""

    def __init__(self) -> None:
        self.cut_off: Unavailable | None = None

    def ask(self, request: Callable[[], T]) -> T | RemoteError:
        if self.cut_off is not None:
            return self.cut_off
        try:
            return request()
        except Unavailable as error:
            self.cut_off = error
            return error
        except RemoteError as error:
            return error


def _collector() -> tuple[dict[str, Any], Callable[[str, Any, Any], None]]:
    """Where a batch's answers land, by request id, and the callback that puts them."""
    got: dict[str, Any] = {}

    def collect(request_id: str, response: Any, exception: Any) -> None:
        got[request_id] = exception if exception is not None else response

    return got, collect


def send_batch(
    calls: Sequence[Call],
    *,
    batch_uri: str,
    execute: Callable[[Any, str], Any],
    sleep: Callable[[float], None],
    what: str,
) -> list[Any]:
    """Each call's answer (the decoded body) or its HttpError, in the order of ``calls``.

    ``execute`` sends one batch request with the retries of a single request. When the
    first batch fails as a whole, nothing is known and that error is raised; when a
    later one does, the calls it carried get that error as their answer, and those
    answered before keep theirs (they went through, and must be recorded).
    """
    from googleapiclient.errors import HttpError
    from googleapiclient.http import BatchHttpRequest

    answers: dict[int, Any] = {}
    waiting = list(range(len(calls)))
    for attempt in range(MAX_ATTEMPTS):
        got, collect = _collector()
        batch = BatchHttpRequest(callback=collect, batch_uri=batch_uri)
        for number in waiting:
            batch.add(calls[number](), request_id=str(number))
        try:
            execute(batch, what)
        except RemoteError as error:
            if attempt == 0:
                raise
            answers.update(dict.fromkeys(waiting, error))
            break
        again = []
        for number in waiting:
            answer = answers[number] = got.get(str(number))
            if isinstance(answer, HttpError) and transient(
                answer.resp.status, error_reason(answer)
            ):
                again.append(number)
        if not again or attempt == MAX_ATTEMPTS - 1:
            break
        sleep(backoff(attempt))
        waiting = again
    return [answers[number] for number in range(len(calls))]
