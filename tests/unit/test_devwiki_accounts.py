"""Generated secrets of the local wiki can never be read as a maintenance script's option."""

from __future__ import annotations

from bot.devwiki.accounts import account_password, new_admin_password


def test_account_passwords_never_start_like_an_option() -> None:
    # A URL-safe alphabet starts with "-" once in 64 draws; 5,000 draws would all but surely hit.
    drawn = [account_password() for _ in range(5000)]
    assert not [password for password in drawn if password.startswith("-")]
    assert len(set(drawn)) == len(drawn)
    assert min(len(password) for password in drawn) >= 32


def test_admin_password_is_long_enough_for_mediawiki() -> None:
    assert len(new_admin_password()) >= 10
