"""Log lines: UTC timestamps, and secrets removed whatever shape they are logged in (I4)."""

from __future__ import annotations

import logging

import pytest

from bot.logs import RedactingFormatter, redact

TOKEN = "0123456789abcdef0123456789abcdef6553b2e1+\\"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (
            "Body: 'action=edit&title=A&token=0123456789abcdef%2B%5C&format=json'",
            "0123456789abcdef",
        ),
        ("action=login&lgname=Bot%40x&lgpassword=s3cr3t-pass&lgtoken=abc%2B%5C", "s3cr3t-pass"),
        (f"{{'action': 'edit', 'token': '{TOKEN}'}}", TOKEN),
        (f'{{"query": {{"tokens": {{"csrftoken": "{TOKEN}"}}}}}}', TOKEN),
        ("Cookie: partnerbot_session=8f7e6d5c4b3a; path=/", "8f7e6d5c4b3a"),
        ("Authorization: OAuth oauth_consumer_key=ck123, oauth_signature=sig456", "sig456"),
        ("authenticate = ('ck', 'consumer_secret=cs789')", "cs789"),
    ],
)
def test_secrets_are_removed_from_log_text(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned
    assert "[hidden]" in cleaned


def test_ordinary_text_is_left_alone() -> None:
    line = "run-once ok: cold sync, 16 pages (16 fetched, 0 gone), 13 API requests, 2.8 s"
    assert redact(line) == line


def test_lines_carry_utc_timestamps_and_tracebacks_are_redacted() -> None:
    try:
        raise RuntimeError("login failed: lgpassword=hunter2")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), True)
        import sys  # noqa: PLC0415

        record.exc_info = sys.exc_info()
    record.created = 0.0
    text = RedactingFormatter().format(record)
    assert text.startswith("1970-01-01T00:00:00Z ERROR x: failed")
    assert "hunter2" not in text
