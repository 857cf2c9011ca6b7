"""The one base class of the errors a person can act on.

Every error the bot raises for a condition outside its control (a settings file, the wiki, the
state store, a data file of the project) derives from :class:`PartnerbotError`. Its message says
what is wrong and names the file, page or setting; its ``hint`` says what to do next. The command
line prints both on one line and exits 1, without a traceback unless ``-v`` is given. Anything
else that escapes is a bug.
"""

from __future__ import annotations


class PartnerbotError(Exception):
    """Something outside the bot's control is wrong; the message says what, ``hint`` what to do."""

    #: What to do next, when the message alone does not say it.
    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message}; {self.hint}" if self.hint else message
