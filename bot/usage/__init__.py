"""How a partner's content is used, computed from what the usage sources answered (pure).

In data-flow order: :mod:`~bot.usage.subjects` (which partnerships are counted, and what is
asked for them), :mod:`~bot.usage.counting` (files, files used, pages, wikis, links, with uses
that come only through a template told apart; totals count each file and page once),
:mod:`~bot.usage.views` (which page-months to fetch, and the monthly sums), and
:mod:`~bot.usage.history` (the month-by-month record kept in the store, where a figure that
could not be fetched keeps its last good value, marked stale).
"""
