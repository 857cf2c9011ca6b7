"""The files of a Commons category tree, to a depth, with ``generator=categorymembers``.

Breadth first, one category at a time (``gcmtitle`` takes one category), files and subcategories
in the same requests (``gcmtype=file|subcat``, ``gcmlimit=max``: 5,000 members a request for a
bot, 500 otherwise). Each category is listed once, so a cycle (A in B in A) or a category reached
through two parents costs nothing more; at the last level only files are asked for. The floor is
one request per category visited.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.io.action_api import (
    ApiAnswerError,
    ApiSend,
    ApiUnavailable,
    CountingSend,
    answer_pages,
    continued,
)
from bot.io.usage_sources import Availability, CategoryTree, Method, parameters

NS_FILE = 6
NS_CATEGORY = 14
#: Deepest tree the bot walks (Commons Impact Metrics stops at 7 as well).
MAX_DEPTH = 7


def category_title(name: str) -> str:
    """Return ``Category:Name`` for a name written with or without the prefix, ``_`` or ``[[``."""
    text = name.strip().strip("[]").strip().replace("_", " ")
    prefix, colon, rest = text.partition(":")
    if colon and prefix.strip().lower() == "category":
        text = rest.strip()
    text = " ".join(text.split())
    if not text:
        return ""
    return "Category:" + text[0].upper() + text[1:]


@dataclass
class CategoryMembersSource:
    """Lists a category tree through the Action API of the wiki holding the files."""

    send: ApiSend
    #: Where ``send`` goes (for the method; the sender itself knows its URL).
    endpoint: str

    def files(self, category: str, depth: int) -> CategoryTree:
        """Return the files of ``category`` and its subcategories down to ``depth`` levels."""
        root = category_title(category)
        depth = max(0, depth)
        counting = CountingSend(self.send)

        def method() -> Method:
            return Method(
                "categorymembers",
                self.endpoint,
                parameters(depth=depth, types="file|subcat"),
                counting.requests,
            )

        if not root:
            return CategoryTree(
                category, depth, Availability.CONFIG_ERROR, detail="empty category name"
            )
        if depth > MAX_DEPTH:
            return CategoryTree(
                root,
                depth,
                Availability.CONFIG_ERROR,
                detail=f"depth {depth} is deeper than the {MAX_DEPTH} levels the bot walks",
            )
        files: set[str] = set()
        visited: list[str] = [root]
        seen = {root}
        revisits = 0
        level = [root]
        root_missing = False
        try:
            for current_depth in range(depth + 1):
                following: list[str] = []
                last = current_depth == depth
                for title in level:
                    members = self._members(counting, title, files_only=last)
                    if title == root and not members and self._missing(counting, root):
                        root_missing = True
                    for ns, member in members:
                        if ns == NS_FILE:
                            files.add(member)
                        elif ns == NS_CATEGORY and member in seen:
                            revisits += 1
                        elif ns == NS_CATEGORY:
                            seen.add(member)
                            visited.append(member)
                            following.append(member)
                level = following
        except ApiAnswerError as error:
            status = (
                Availability.CONFIG_ERROR
                if error.code in {"invalidcategory", "invalidtitle"}
                else Availability.STALE
            )
            return CategoryTree(root, depth, status, detail=str(error), method=method())
        except ApiUnavailable as error:
            return CategoryTree(root, depth, Availability.STALE, detail=str(error), method=method())
        return CategoryTree(
            root,
            depth,
            Availability.NO_DATA if root_missing else Availability.OK,
            files=tuple(sorted(files)),
            categories=tuple(visited),
            revisits=revisits,
            root_missing=root_missing,
            detail="the category does not exist" if root_missing else "",
            method=method(),
        )

    @staticmethod
    def _members(send: ApiSend, title: str, *, files_only: bool) -> list[tuple[int, str]]:
        params: Mapping[str, str] = {
            "generator": "categorymembers",
            "gcmtitle": title,
            "gcmtype": "file" if files_only else "file|subcat",
            "gcmlimit": "max",
        }
        members: list[tuple[int, str]] = []
        for answer in continued(send, params):
            members.extend((int(page["ns"]), str(page["title"])) for page in answer_pages(answer))
        return members

    @staticmethod
    def _missing(send: ApiSend, title: str) -> bool:
        """Return True when the category page does not exist (one request, empty trees only)."""
        answer = next(continued(send, {"titles": title, "prop": "info"}))
        pages = answer_pages(answer)
        return bool(pages) and "missing" in pages[0]
