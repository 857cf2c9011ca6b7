"""The one way the usage sources talk to a wiki's Action API: a ``send(params) -> dict`` callable.

A source never builds sessions or logs in: it is given a callable that sends one request and
returns the decoded JSON. In production that is :func:`gateway_send` over the bot's
:class:`~bot.io.gateway.WikiGateway` (pywikibot: maxlag, retries, throttling, user agent); anything
that speaks the Action API the same way will do. This module adds what every listing needs:
continuation to the end, API errors as exceptions of one type, both ``formatversion`` shapes of
``query.pages``, the titles MediaWiki normalised, and a request count per source.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.io.gateway import WikiGateway

#: Sends one Action API request (string parameters) and returns the decoded JSON answer.
ApiSend = Callable[[Mapping[str, str]], dict[str, Any]]

#: Titles or page ids per request with ``apihighlimits`` (bots); MediaWiki's maximum.
HIGH_BATCH = 500
#: Without ``apihighlimits``.
LOW_BATCH = 50
#: Safety stop for one continued listing (5000 rows a request: 50 million rows).
MAX_CONTINUATIONS = 10_000


class ApiUnavailable(RuntimeError):
    """The wiki gave no usable answer (after the sender's own retries)."""


class ApiAnswerError(RuntimeError):
    """The wiki answered with an API error (``code`` and ``info`` as MediaWiki sent them)."""

    def __init__(self, code: str, info: str) -> None:
        super().__init__(f"{code}: {info}")
        self.code = code
        self.info = info


#: What a usage source catches from a wiki: an API error, or no usable answer.
WikiFailure = (ApiAnswerError, ApiUnavailable)


@dataclass(frozen=True)
class WikiEndpoint:
    """One wiki a source asks: its name, where its API is, and how to send to it."""

    #: The wiki's host name as Wikimedia names it (``en.wikipedia.org``), or a configured name.
    name: str
    api_url: str
    send: ApiSend
    #: Titles per request this login may send (500 with apihighlimits, 50 without).
    batch: int = HIGH_BATCH


@dataclass
class CountingSend:
    """Wrap a sender and count the requests it sends."""

    send: ApiSend
    requests: int = 0

    def __call__(self, params: Mapping[str, str]) -> dict[str, Any]:
        self.requests += 1
        return self.send(params)


def checked(answer: dict[str, Any]) -> dict[str, Any]:
    """Return ``answer``, or raise ApiAnswerError when it is an API error."""
    error = answer.get("error")
    if error is not None:
        if isinstance(error, Mapping):
            raise ApiAnswerError(str(error.get("code", "?")), str(error.get("info", "")))
        raise ApiAnswerError("?", str(error))
    return answer


def continued(send: ApiSend, params: Mapping[str, str]) -> Iterator[dict[str, Any]]:
    """Yield every answer of a query, following ``continue`` until MediaWiki has no more.

    Raises ApiAnswerError on an API error and ApiUnavailable when a listing does not end: a
    partial listing is never returned as if complete.
    """
    request = dict(params)
    request.setdefault("action", "query")
    request.setdefault("format", "json")
    request.setdefault("formatversion", "2")
    continuation: dict[str, str] = {}
    for _ in range(MAX_CONTINUATIONS):
        answer = checked(send({**request, **continuation}))
        yield answer
        following = answer.get("continue")
        if not isinstance(following, Mapping):
            return
        continuation = {str(key): str(value) for key, value in following.items()}
    raise ApiUnavailable(f"listing did not end after {MAX_CONTINUATIONS} requests: {params}")


def answer_pages(answer: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return ``query.pages`` as a list, whether the answer is formatversion 1 or 2."""
    pages = answer.get("query", {}).get("pages", [])
    if isinstance(pages, Mapping):
        return [page for page in pages.values() if isinstance(page, dict)]
    return [page for page in pages if isinstance(page, dict)]


def renamed_titles(answer: Mapping[str, Any]) -> dict[str, str]:
    """Return how MediaWiki renamed the titles it was given: its title → the title sent.

    ``normalized`` turns ``File:A_b.png`` into ``File:A b.png`` and, on a wiki in another
    language, ``File:`` into the local namespace name; ``redirects`` is followed only when asked.
    """
    query = answer.get("query", {})
    renamed: dict[str, str] = {}
    for key in ("normalized", "converted"):
        for entry in query.get(key, []):
            source = str(entry["from"])
            renamed[str(entry["to"])] = renamed.get(source, source)
    return renamed


def title_rows(
    send: ApiSend, params: Mapping[str, str], prop: str, asked: Container[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (title asked, row) for every row of ``prop`` about a batch of titles.

    Continuation is followed to the end; a title MediaWiki renamed is reported as it was asked.
    A batch is complete when its last answer says ``batchcomplete`` (continuing the prop alone
    keeps it away until every row of the batch was sent); raises ApiUnavailable otherwise.
    """
    renamed: dict[str, str] = {}
    complete = False
    for answer in continued(send, params):
        complete = "batchcomplete" in answer
        renamed.update(renamed_titles(answer))
        for page in answer_pages(answer):
            title = str(page.get("title", ""))
            title = renamed.get(title, title)
            if title in asked:
                for row in page.get(prop, []) or []:
                    yield title, row
    if not complete:
        raise ApiUnavailable(f"{prop} ended without batchcomplete: rows may be missing")


def page_id(value: object) -> int | None:
    """Return a page id from an API value (GlobalUsage sends strings), or None."""
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if number > 0 else None


def gateway_send(gateway: WikiGateway) -> ApiSend:
    """Return a sender that goes through the bot's logged-in gateway (pywikibot)."""
    from pywikibot.exceptions import APIError  # noqa: PLC0415 - io only, after configuration

    from bot.io.responses import GatewayError  # noqa: PLC0415

    def send(params: Mapping[str, str]) -> dict[str, Any]:
        request = {key: value for key, value in params.items() if key != "format"}
        try:
            return gateway.request(**request)
        except APIError as error:
            return {"error": {"code": error.code, "info": error.info}}
        except GatewayError as error:
            raise ApiUnavailable(str(error)) from error

    return send
