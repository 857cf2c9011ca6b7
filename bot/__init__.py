"""Partnership tracker: a pywikibot bot and on-wiki toolkit for Wikimedia partnerships."""
