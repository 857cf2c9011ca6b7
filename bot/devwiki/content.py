"""Put content into a local wiki without the API: XML-dump imports, uploads, link tables, jobs.

Maintenance scripts are much faster than edits for seeding hundreds or thousands of pages; the
pages are attributed to the admin account (:data:`bot.devwiki.files.IMPORT_USER`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from bot.devwiki.accounts import ADMIN_USER
from bot.devwiki.files import xml_dump
from bot.devwiki.layout import WikiLayout
from bot.devwiki.maintenance import run_maintenance


def import_pages(
    layout: WikiLayout,
    pages: Mapping[str, str],
    *,
    summary: str = "Seeded page",
    link_updates: bool = True,
) -> int:
    """Import ``pages`` (title → wikitext) through an XML dump; return how many.

    Without ``link_updates`` the link tables are left for :func:`refresh_links`, which is
    faster for thousands of pages.
    """
    if not pages:
        return 0
    with tempfile.NamedTemporaryFile(
        "w", suffix=".xml", dir=layout.tmp_dir, delete=False, encoding="utf-8"
    ) as dump:
        dump.writelines(xml_dump(pages, summary))
        dump_path = Path(dump.name)
    try:
        options = [] if link_updates else ["--no-updates"]
        run_maintenance(layout, "importDump", *options, "--", str(dump_path))
    finally:
        dump_path.unlink(missing_ok=True)
    return len(pages)


def upload_files(
    layout: WikiLayout, files: Mapping[str, tuple[bytes, str]], *, comment: str
) -> int:
    """Upload ``files`` (name → (bytes, description wikitext)); return how many."""
    if not files:
        return 0
    with tempfile.TemporaryDirectory(dir=layout.tmp_dir) as staging:
        for name, (data, description) in files.items():
            (Path(staging) / name).write_bytes(data)
            (Path(staging) / f"{name}.txt").write_text(description, encoding="utf-8")
        run_maintenance(
            layout,
            "importImages",
            "--extensions=png,jpg,svg",
            "--comment-ext=txt",
            f"--summary={comment}",
            f"--user={ADMIN_USER}",
            "--overwrite",
            "--",
            staging,
        )
    return len(files)


def refresh_links(layout: WikiLayout, namespace: int = 0) -> None:
    """Rebuild the link tables (templatelinks included) of one namespace."""
    run_maintenance(layout, "refreshLinks", f"--namespace={namespace}")


def run_jobs(layout: WikiLayout) -> None:
    """Run the job queue (link tables after template changes, for example)."""
    run_maintenance(layout, "runJobs", "--maxjobs=100000")
