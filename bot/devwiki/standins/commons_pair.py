"""Two local wikis as Commons and a Wikipedia: one shows the other's files.

The content wiki gets ``$wgForeignFileRepos`` with a ``ForeignAPIRepo`` pointing at the commons
wiki's ``api.php`` (what InstantCommons does), as a settings snippet the content wiki writes on
every start. Articles on the content wiki then show the commons wiki's
files, and the content wiki's ``imagelinks`` records every use, so ``prop=fileusage`` and
``list=imageusage`` answer for files that have no page there (MediaWiki lists them as
``missing`` and ``known``).

Why not ``ForeignDBRepo`` on the commons wiki's SQLite file: MediaWiki 1.39's ForeignDBRepo
passes only host, user, password and database name to the database layer, and
``DatabaseSqlite::open`` needs ``dbDirectory`` or ``dbFilePath``, so every lookup fails with
"DB path or directory required" (and a broken foreign repository fails every API query that
touches a file title).

Cost to know: every ``missing`` file title in an API query of the content wiki makes one HTTP
request to the commons wiki (``Title::isKnown`` asks the foreign repository; nothing is cached
with the local wikis' ``CACHE_NONE``): about 9 ms per title, 1.7 s for a 200-title query.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Protocol

#: The name of the content wiki's settings snippet.
FOREIGN_FILES = "foreign-files"
#: The repository name the content wiki reports in ``imagerepository``.
REPO_NAME = "devcommons"

FOREIGN_FILES_TEMPLATE = """// This wiki shows the files of {commons_url}.
$wgForeignFileRepos[] = [
\t'class' => ForeignAPIRepo::class,
\t'name' => '{name}',
\t'apibase' => '{commons_api}',
\t'hashLevels' => 2,
\t'fetchDescription' => true,
\t'descriptionCacheExpiry' => 0,
\t'apiThumbCacheExpiry' => 0,
\t'apiMetadataExpiry' => 0,
];
"""


class LocalWiki(Protocol):
    """What this module needs of a local wiki (``bot.devwiki.DevWiki`` has it)."""

    @property
    def directory(self) -> Path: ...

    @property
    def url(self) -> str: ...

    @property
    def api_url(self) -> str: ...


class ContentWiki(LocalWiki, Protocol):
    """A local wiki that takes settings snippets (``bot.devwiki.DevWiki``)."""

    @property
    def snippets(self) -> dict[str, str]: ...

    def apply_settings(self) -> None: ...


def foreign_files_settings(commons: LocalWiki) -> str:
    """Return the PHP settings that make a wiki show ``commons``'s files."""
    return FOREIGN_FILES_TEMPLATE.format(
        commons_url=commons.url, name=REPO_NAME, commons_api=commons.api_url
    )


def link_foreign_files(content: ContentWiki, commons: LocalWiki) -> None:
    """Make ``content`` show ``commons``'s files, now and on every later start.

    Idempotent: the snippet replaces an earlier one of the same name. Returns once a running
    content wiki serves the new settings.
    """
    content.snippets[FOREIGN_FILES] = foreign_files_settings(commons)
    content.apply_settings()


def shows_foreign_file(content: LocalWiki, file_title: str) -> bool:
    """Return True when ``content`` finds ``file_title`` in the foreign repository (one request)."""
    query = urllib.parse.urlencode(
        {
            "action": "query",
            "prop": "imageinfo",
            "titles": file_title,
            "format": "json",
            "formatversion": "2",
        }
    )
    with urllib.request.urlopen(f"{content.api_url}?{query}", timeout=30) as response:  # noqa: S310 - loopback
        data = json.loads(response.read().decode("utf-8"))
    pages = data.get("query", {}).get("pages", [])
    return bool(pages) and pages[0].get("imagerepository") == REPO_NAME
