#!/usr/bin/env python3
"""Fingerprint the partnership guidance, so tests can check our texts without holding its text.

The checklist's messages and the template documentation are written in our own words, and each
rule cites a section of a guidance page. To test both without copying the guidance into the
repository, this script reads the guidance documents (plain-text captures, one ``*.txt`` file per
page) once and writes two files:

- ``guidance_8grams.txt``: the SHA-256 of every run of eight consecutive words of every document
  (words are runs of letters and digits after case folding, joined by single spaces), truncated
  to 16 hex digits, sorted, one per line. A test hashes every eight-word run of our texts the
  same way (:func:`fingerprints`) and fails on any match.
- ``guidance_sections.toml``: page title -> the section titles of that page, so a test can check
  that every cited section exists.

Headings are found as the captures mark them: a capture of a rendered wiki page ends each
heading with ``[edit]``; in the others (slides, a FAQ), a heading is a line standing alone
between blank lines and followed by a list (slide titles may be numbered, "6. ..."), short
unless it is a question.

Usage: ``python scripts/guidance_fingerprints.py SEEDS_DIR [OUT_DIR]`` (OUT_DIR defaults to
``tests/unit/data``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Words in a run, and hex digits kept of each run's SHA-256.
RUN_WORDS = 8
DIGITS = 16
#: Page title of each guidance document, by file name (the captures do not all carry it).
PAGE_TITLES = {
    "partnerships-questions-faq.txt": "Partnerships & Resource Development/Questions",
    "partnerships-for-wikimedians-slides.txt": "Partnerships for Wikimedians",
    "wmf-partnership-reflections.txt": "Wikimedia Foundation partnership reflections",
    "community-capacity-partnerships.txt": "Community Capacity Development/Partnerships",
    "strategy-working-group-partnerships.txt": (
        "Strategy/Wikimedia movement/2018-20/Working Groups/Partnerships"
    ),
}
#: Longest heading, in words, that is not a question (longer lines are sentences of the text).
MAX_HEADING_WORDS = 10
#: Longest heading ending with a colon, in words ("Ask more questions:"; longer ones lead in).
MAX_COLON_HEADING_WORDS = 6

_WORD = re.compile(r"[^\W_]+")
_BULLET = re.compile(r"^\s*[-•*]\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-•*]\s|\d+(?:\.\d+)*\.?\s)")
_SLIDE_PART = re.compile(r"\s*\[\d+/\d+\]$")
_EDIT_LINK = "[edit]"


def words(text: str) -> list[str]:
    """Return the words of ``text``: runs of letters and digits, case-folded."""
    return _WORD.findall(text.casefold())


def fingerprints(text: str) -> Iterator[tuple[str, str]]:
    """Yield (fingerprint, the run of words) for every eight-word run of ``text``."""
    found = words(text)
    for start in range(len(found) - RUN_WORDS + 1):
        run = " ".join(found[start : start + RUN_WORDS])
        yield hashlib.sha256(run.encode("utf-8")).hexdigest()[:DIGITS], run


def normalise_title(text: str) -> str:
    """Return a section title as cited: straight apostrophes, single spaces."""
    return " ".join(text.replace("’", "'").replace("\xa0", " ").split())


def _standalone_heading(lines: list[str], number: int) -> str | None:
    line = lines[number]
    if not line.strip() or line[:1].isspace() or _BULLET.match(line):
        return None
    if (number > 0 and lines[number - 1].strip()) or (
        number + 1 < len(lines) and lines[number + 1].strip()
    ):
        return None
    following = next((text for text in lines[number + 1 :] if text.strip()), "")
    title = normalise_title(_SLIDE_PART.sub("", line))
    if not _LIST_ITEM.match(following) or title.endswith(".") or title[:1] in "\"“'":
        return None
    if "://" in title:
        return None
    if title.endswith(":"):
        if len(title.split()) > MAX_COLON_HEADING_WORDS:
            return None
        title = title[:-1].rstrip()
    if "?" not in title and len(title.split()) > MAX_HEADING_WORDS:
        return None
    return title


def section_titles(text: str, page_title: str) -> list[str]:
    """Return the section titles of one guidance document, in order, without repeats."""
    lines = [line.rstrip() for line in text.splitlines()]
    if any(line.endswith(_EDIT_LINK) for line in lines):
        found: Iterable[str | None] = (
            normalise_title(line.removesuffix(_EDIT_LINK))
            for line in lines
            if line.endswith(_EDIT_LINK)
        )
    else:
        found = (_standalone_heading(lines, number) for number in range(len(lines)))
    titles = [title for title in found if title and title != page_title]
    return list(dict.fromkeys(titles))


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_data(seeds: Path, out: Path) -> tuple[int, int]:
    """Write both files from the ``*.txt`` documents in ``seeds``; return (runs, sections)."""
    documents = sorted(seeds.glob("*.txt"))
    if not documents:
        raise SystemExit(f"no *.txt guidance documents in {seeds}")
    runs: set[str] = set()
    sections: dict[str, list[str]] = {}
    for path in documents:
        text = path.read_text(encoding="utf-8")
        runs.update(fingerprint for fingerprint, _ in fingerprints(text))
        title = PAGE_TITLES.get(path.name, path.stem)
        sections[title] = section_titles(text, title)
    out.mkdir(parents=True, exist_ok=True)
    (out / "guidance_8grams.txt").write_text("".join(f"{r}\n" for r in sorted(runs)), "utf-8")
    lines = [
        "# Section titles of each guidance page, written by scripts/guidance_fingerprints.py.",
        "",
    ]
    for title, titles in sorted(sections.items()):
        lines.append(f"{_toml_string(title)} = [")
        lines.extend(f"    {_toml_string(section)}," for section in titles)
        lines.append("]")
    (out / "guidance_sections.toml").write_text("\n".join(lines) + "\n", "utf-8")
    return len(runs), sum(len(titles) for titles in sections.values())


def main(argv: list[str]) -> int:
    """Run the script; return the exit status."""
    if len(argv) not in {1, 2}:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) == 2 else Path(__file__).parents[1] / "tests/unit/data"
    runs, sections = write_data(Path(argv[0]), out)
    print(f"{runs} eight-word runs and {sections} section titles written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
