"""The built-in sample set: the demo a newcomer sees first, and the input of many tests.

These tests keep the samples honest: file names decode to the titles the importer uses, images
are valid PNGs in the content donation's category, articles really use the donated images and
cite the library's domains, every lifecycle stage is shown, and each partnership page tells the
story it is meant to tell (healthy pages stay healthy for years; problem pages show their problem).
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import tomllib
import zlib
from pathlib import Path

import mwparserfromhell
import pytest

from bot.devwiki.seed import (
    SAMPLE_IMAGES,
    SAMPLES_DIR,
    ImageSpec,
    SampleDataError,
    load_image_specs,
    make_png,
    sample_pages,
    title_from_file_name,
)
from bot.model import PartnershipRecord, Severity, Status
from bot.parse.records import parse_page
from bot.resources import load_checklist
from tests.sample_files import file_name_from_title

PAGES_DIR = SAMPLES_DIR / "pages"
CHECKLIST = Path(__file__).resolve().parents[2] / "config" / "checklist.toml"
INFOBOX = "Partnership infobox"
DONATION_PAGE = "Partnerships/Museum of Northern Crafts content donation"
LIBRARY_PAGE = "Partnerships/Eastbrook University Library archive access"
OVERVIEW_PAGE = "Partnerships"

#: How many infoboxes each page under Partnerships counts: the overview, the report subpage and
#: the drafts page (infoboxes in a comment and in nowiki) count none; one page holds two.
EXPECTED_RECORDS = {
    "Partnerships": 0,
    "Partnerships/Aldermoor Photographic Society photo contest": 1,
    "Partnerships/Aldermoor Photographic Society photo contest/Report": 0,
    "Partnerships/Noticeboard": 0,
    "Partnerships/Corrowick Gazette archive": 1,
    "Partnerships/Eastbrook University Library archive access": 1,
    "Partnerships/Fernhollow Public Schools editing club": 1,
    "Partnerships/Glossmark Media sponsored articles": 1,
    "Partnerships/Goldcrest Savings Bank sponsored editathons": 1,
    "Partnerships/Harbourside Maritime Museum photographs": 1,
    "Partnerships/Ideas and drafts": 0,
    "Partnerships/Kestrel Vale University history course": 1,
    "Partnerships/Lindqvist Botanical Garden herbarium": 1,
    "Partnerships/Marrowvale City Council open data": 1,
    "Partnerships/Museum of Northern Crafts content donation": 1,
    "Partnerships/Open Folk Collections Network": 1,
    "Partnerships/Quillon Software translation tool": 1,
    "Partnerships/Regional reading circles": 2,
    "Partnerships/Saltmarsh Coastal Heritage Trust": 1,
    "Partnerships/Thistledown Family Foundation digitisation grant": 1,
}

#: Records that follow the guidance: no error or warning, now and for the next years.
HEALTHY = {
    "Partnerships/Museum of Northern Crafts content donation#0",
    "Partnerships/Eastbrook University Library archive access#0",
    "Partnerships/Thistledown Family Foundation digitisation grant#0",
    "Partnerships/Kestrel Vale University history course#0",
    "Partnerships/Open Folk Collections Network#0",
    "Partnerships/Aldermoor Photographic Society photo contest#0",
    "Partnerships/Regional reading circles#0",
    "Partnerships/Regional reading circles#1",
    "Partnerships/Lindqvist Botanical Garden herbarium#0",
    "Partnerships/Saltmarsh Coastal Heritage Trust#0",
}

#: Records with a typical problem, and the findings (at least) that the problem must produce.
PROBLEMS = {
    "Partnerships/Harbourside Maritime Museum photographs#0": {
        "license-not-free",
        "warning-flag",
    },
    "Partnerships/Fernhollow Public Schools editing club#0": {
        "community-support-missing",
        "individual-without-backup",
    },
    "Partnerships/Marrowvale City Council open data#0": {"review-overdue"},
    "Partnerships/Goldcrest Savings Bank sponsored editathons#0": {
        "agreement-too-informal-for-money",
        "warning-flag",
    },
    "Partnerships/Corrowick Gazette archive#0": {"follow-up-stale"},
    "Partnerships/Glossmark Media sponsored articles#0": {"warning-flag"},
    "Partnerships/Quillon Software translation tool#0": {"warning-flag"},
}

#: Problems of the parser that mean a sample is written against the contract.
CONTRACT_PROBLEMS = {
    "unknown-parameter",
    "date-invalid",
    "status-invalid",
    "type-invalid",
    "value-invalid",
    "value-not-literal",
    "positional-parameter",
    "duplicate-parameter",
    "infobox-unparseable",
}

#: The demo's "today" and a date years later: the samples' stories hold on both.
DEMO_DAYS = (dt.date(2026, 11, 21), dt.date(2027, 12, 31))
DATE_FIELDS = (
    "first_contact",
    "last_contact",
    "next_step_date",
    "start_date",
    "end_date",
    "agreement_date",
    "agreement_renewal",
    "last_review",
    "next_review",
)

PAGES = sample_pages()
SPECS = load_image_specs(SAMPLE_IMAGES)


def _infoboxes(text: str) -> list[dict[str, str]]:
    """Return the parameters of each infobox MediaWiki would show, read straight from the text."""
    boxes = []
    for template in mwparserfromhell.parse(text).filter_templates(recursive=False):
        if template.name.matches(INFOBOX):
            boxes.append({str(p.name).strip(): str(p.value).strip() for p in template.params})
    return boxes


def _infobox(title: str) -> dict[str, str]:
    (box,) = _infoboxes(PAGES[title])
    return box


def _is_article(title: str) -> bool:
    return ":" not in title and title != OVERVIEW_PAGE and not title.startswith("Partnerships/")


def _records() -> dict[str, PartnershipRecord]:
    records = {}
    for title, text in PAGES.items():
        for record in parse_page(title, text).records:
            records[record.key] = record
    return records


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into (type, data) chunks, checking each chunk's CRC."""
    chunks = []
    offset = 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + data) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, data))
        offset += 12 + length
    return chunks


# --- file names and titles ---------------------------------------------------------------------


def test_file_name_decodes_to_title_with_slash_and_spaces() -> None:
    file_name = "Partnerships%2FMuseum_of_Northern_Crafts_content_donation.wikitext"
    assert title_from_file_name(file_name) == DONATION_PAGE


@pytest.mark.parametrize("path", sorted(PAGES_DIR.glob("*.wikitext")), ids=lambda p: p.name)
def test_every_sample_file_is_named_by_its_title(path: Path) -> None:
    title = title_from_file_name(path.name)
    assert file_name_from_title(title) == path.name
    assert PAGES[title] == path.read_text(encoding="utf-8")


def test_sample_pages_reads_every_wikitext_file_of_a_directory(tmp_path: Path) -> None:
    (tmp_path / "Talk%3AA%2FB_c.wikitext").write_text("x", encoding="utf-8")
    (tmp_path / "Plain.wikitext").write_text("y", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a page", encoding="utf-8")
    assert sample_pages(tmp_path) == {"Plain": "y", "Talk:A/B c": "x"}


def test_two_files_for_one_title_are_refused(tmp_path: Path) -> None:
    (tmp_path / "A_b.wikitext").write_text("one", encoding="utf-8")
    (tmp_path / "A%20b.wikitext").write_text("two", encoding="utf-8")
    with pytest.raises(SampleDataError, match="A b"):
        sample_pages(tmp_path)


# --- images ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("width", "height", "rgb"), [(1, 1, (0, 0, 0)), (37, 64, (200, 30, 90))])
def test_make_png_is_a_valid_png_of_the_requested_size(
    width: int, height: int, rgb: tuple[int, int, int]
) -> None:
    png = make_png(width, height, rgb)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks = _chunks(png)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    header = struct.unpack(">IIBBBBB", chunks[0][1])
    assert header == (width, height, 8, 2, 0, 0, 0)
    pixels = zlib.decompress(chunks[1][1])
    assert len(pixels) == height * (1 + 3 * width)
    assert pixels[0] == 0
    assert tuple(pixels[1:4]) == rgb


def test_make_png_differs_for_different_colours() -> None:
    assert make_png(8, 8, (10, 20, 30)) != make_png(8, 8, (10, 20, 31))


@pytest.mark.parametrize(("width", "height", "rgb"), [(0, 5, (1, 2, 3)), (5, 5, (1, 2, 256))])
def test_make_png_refuses_impossible_images(
    width: int, height: int, rgb: tuple[int, int, int]
) -> None:
    with pytest.raises(ValueError, match="must be"):
        make_png(width, height, rgb)


def test_image_spec_file_is_read_in_order_with_its_values(tmp_path: Path) -> None:
    path = tmp_path / "images.toml"
    path.write_text(
        '[[image]]\nname = "B.png"\nwidth = 3\nheight = 4\nrgb = [1, 2, 3]\n'
        'description = "Two"\n\n[[image]]\nname = "A.png"\nwidth = 64\nheight = 1\n'
        'rgb = [0, 0, 0]\ndescription = "One"\n',
        encoding="utf-8",
    )
    expected = (
        ImageSpec("B.png", 3, 4, (1, 2, 3), "Two"),
        ImageSpec("A.png", 64, 1, (0, 0, 0), "One"),
    )
    assert load_image_specs(path) == expected


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('name = "File:A.png"\nwidth = 2\nheight = 2\nrgb = [1, 2, 3]', "name"),
        ('name = "A.jpg"\nwidth = 2\nheight = 2\nrgb = [1, 2, 3]', "name"),
        ('name = "A.png"\nwidth = 65\nheight = 2\nrgb = [1, 2, 3]', "width"),
        ('name = "A.png"\nwidth = 2\nheight = 2\nrgb = [1, 2]', "rgb"),
        ('name = "A.png"\nwidth = 2\nheight = 2\nrgb = [1, 2, 3]\ncolour = 1', "unknown"),
    ],
)
def test_malformed_image_spec_is_refused_naming_the_problem(
    tmp_path: Path, entry: str, complaint: str
) -> None:
    path = tmp_path / "images.toml"
    path.write_text(f'[[image]]\n{entry}\ndescription = "d"\n', encoding="utf-8")
    with pytest.raises(SampleDataError, match=complaint):
        load_image_specs(path)


def test_sample_images_are_small_distinct_valid_pngs() -> None:
    assert len(SPECS) >= 3
    assert len({spec.name for spec in SPECS}) == len(SPECS)
    pngs = {spec.png() for spec in SPECS}
    assert len(pngs) == len(SPECS)
    for spec in SPECS:
        assert spec.width <= 64
        assert spec.height <= 64
        assert _chunks(make_png(spec.width, spec.height, spec.rgb))[-1][0] == b"IEND"


def test_every_sample_image_is_in_the_donations_commons_category() -> None:
    category = _infobox(DONATION_PAGE)["commons_category"]
    assert f"Category:{category}" in PAGES
    for spec in SPECS:
        links = mwparserfromhell.parse(spec.description).filter_wikilinks()
        categories = {str(link.title).strip() for link in links}
        assert f"Category:{category}" in categories, spec.name


def test_image_descriptions_state_a_free_licence() -> None:
    licence = _infobox(DONATION_PAGE)["license"]
    for spec in SPECS:
        assert f"Licence: {licence}" in spec.description, spec.name


# --- how articles use the partnerships ---------------------------------------------------------


def test_articles_use_at_least_three_of_the_donated_images() -> None:
    names = {spec.name for spec in SPECS}
    used = set()
    for title, text in PAGES.items():
        if _is_article(title):
            for link in mwparserfromhell.parse(text).filter_wikilinks():
                target = str(link.title).strip()
                if target.startswith("File:"):
                    used.add(target.removeprefix("File:"))
    assert len(used & names) >= 3
    assert used <= names


def test_an_article_cites_a_domain_of_the_library_partnership() -> None:
    domains = {d.strip() for d in _infobox(LIBRARY_PAGE)["link_domains"].split(",")}
    cited = set()
    for title, text in PAGES.items():
        if _is_article(title):
            for link in mwparserfromhell.parse(text).filter_external_links():
                host = re.sub(r"^https?://", "", str(link.url)).split("/", 1)[0]
                cited.add(host)
    assert cited & domains


def test_every_url_in_the_samples_uses_a_reserved_example_domain() -> None:
    texts = [*PAGES.values(), *(spec.description for spec in SPECS)]
    hosts = {host for text in texts for host in re.findall(r"https?://([^/\s\]|]+)", text)}
    assert hosts
    assert {host for host in hosts if not host.endswith(".example")} == set()


# --- the partnership pages ---------------------------------------------------------------------


def test_every_lifecycle_stage_appears_in_a_sample() -> None:
    statuses = {box.get("status", "") for text in PAGES.values() for box in _infoboxes(text)}
    assert {status.value for status in Status} <= statuses


def test_overview_links_every_partnership_page_and_has_no_infobox() -> None:
    overview = PAGES[OVERVIEW_PAGE]
    assert INFOBOX.casefold() not in overview.casefold()
    linked = {
        str(link.title).strip() for link in mwparserfromhell.parse(overview).filter_wikilinks()
    }
    with_infobox = {title for title, text in PAGES.items() if _infoboxes(text)}
    assert with_infobox <= linked


def test_draft_page_holds_infoboxes_only_in_a_comment_and_in_nowiki() -> None:
    text = PAGES["Partnerships/Ideas and drafts"]
    assert text.count("{{" + INFOBOX) == 2
    assert _infoboxes(text) == []


def test_community_support_links_lead_to_an_existing_discussion() -> None:
    checked = 0
    for text in PAGES.values():
        for box in _infoboxes(text):
            link = box.get("community_support", "")
            if not link:
                continue
            page, _, section = link.strip("[]").partition("#")
            assert page in PAGES, link
            headings = {
                str(h.title).strip() for h in mwparserfromhell.parse(PAGES[page]).filter_headings()
            }
            assert section in headings, link
            checked += 1
    assert checked >= 10


def test_sample_dates_are_past_or_planned_from_2028() -> None:
    """No date falls in the coming year, so each page's story stays true for years."""
    for text in PAGES.values():
        for box in _infoboxes(text):
            for name in DATE_FIELDS:
                value = box.get(name, "")
                if value:
                    assert value < "2026-11" or value >= "2028", (box["name"], name, value)


def test_flags_used_in_samples_are_in_the_checklist_vocabulary() -> None:
    vocabulary = set(tomllib.loads(CHECKLIST.read_text(encoding="utf-8"))["flags"])
    used = {
        flag.strip()
        for text in PAGES.values()
        for box in _infoboxes(text)
        for flag in box.get("flags", "").split(",")
        if flag.strip()
    }
    assert len(used) >= 5
    assert used <= vocabulary


@pytest.mark.parametrize(("title", "count"), sorted(EXPECTED_RECORDS.items()))
def test_partnership_sample_parses_cleanly(title: str, count: int) -> None:
    parsed = parse_page(title, PAGES[title])
    problems = [*parsed.problems, *(p for record in parsed.records for p in record.problems)]
    assert len(parsed.records) == count
    assert [p for p in problems if p.rule in CONTRACT_PROBLEMS] == []


def test_expected_records_cover_every_partnership_page() -> None:
    partnership_pages = {t for t in PAGES if t == OVERVIEW_PAGE or t.startswith("Partnerships/")}
    assert set(EXPECTED_RECORDS) == partnership_pages
    assert HEALTHY | set(PROBLEMS) == set(_records())


@pytest.mark.parametrize("today", DEMO_DAYS, ids=str)
def test_healthy_samples_have_no_errors_or_warnings(today: dt.date) -> None:
    checklist = load_checklist(CHECKLIST)
    records = _records()
    for key in sorted(HEALTHY):
        findings = checklist.assess(records[key], today).findings
        serious = [f.rule for f in findings if f.severity is not Severity.INFO]
        assert serious == [], key


@pytest.mark.parametrize("today", DEMO_DAYS, ids=str)
@pytest.mark.parametrize(("key", "expected"), sorted(PROBLEMS.items()))
def test_problem_samples_show_their_problem(key: str, expected: set[str], today: dt.date) -> None:
    findings = load_checklist(CHECKLIST).assess(_records()[key], today).findings
    assert expected <= {finding.rule for finding in findings}
