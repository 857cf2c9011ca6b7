"""Open the configured wiki for a job: log in, and refuse to edit without the bot flag."""

from __future__ import annotations

from bot.errors import PartnerbotError
from bot.io.gateway import WikiGateway
from bot.settings import Settings


class JobError(PartnerbotError):
    """The job cannot run (configuration, wiki or state store); nothing was edited."""


def connect(settings: Settings, *, need_bot_flag: bool = True) -> WikiGateway:
    """Open the wiki, log in and make sure edits will be flagged as a bot's."""
    if settings.wiki.family != "devwiki" and not settings.wiki.contact.strip():
        raise JobError(
            "settings [wiki] contact is empty",
            hint="set it to a URL or e-mail address where people can reach the bot's operator "
            "(it goes into the user agent)",
        )
    gateway = WikiGateway(settings.wiki)
    gateway.login()
    missing = gateway.missing_rights()
    if missing and need_bot_flag and not settings.simulate:
        raise JobError(
            f"the account {settings.wiki.user} lacks the right(s) {', '.join(missing)}",
            hint="grant 'High-volume (bot) access' to its BotPassword/OAuth consumer and ask for "
            "the bot flag; unflagged bot edits would flood recent changes",
        )
    return gateway
