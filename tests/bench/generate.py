"""Generate N realistic partnership pages for the benchmarks, deterministically.

Page ``i`` depends only on ``i`` (it is drawn from ``random.Random(i)``), so the first 1,000 pages
of a 10,000-page set are the 1,000-page set. Each page is what editors write: an infobox with a
varied selection of the documented parameters, then 1-2 KB of prose with headings, links and
references. About one page in eight starts with a hatnote template or holds markup in a value
(italics, ``<br />``, a citation), which the parser reads as markup; the others are
plain. Some pages carry the problems the checklist looks for: missing fields, a non-free or
unrecognised licence, an overdue review or renewal, declared warning flags, a misspelt or
repeated parameter, a date or status that does not read.

All dates are relative to :data:`TODAY`; pass it to the checklist (and to ``run_once``) so the
findings are the same on every day the benchmark runs.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

TODAY = dt.date(2026, 11, 1)
TITLE_PREFIX = "Partnerships/Bench"

AFFILIATES = (
    "Wikimedia Northland", "Wikimedia Eastmark", "Wikimedia Southvale", "Wikimedia Westerhold",
    "Wikimedia Lakeshire", "Wikimedia Highmoor", "Wikimedia Riverton", "Wikimedia Coastreach",
    "Wikimedia Fenland", "Wikimedia Stonebridge", "Wikimedia Glenhaven", "Wikimedia Ashcombe",
    "Wikimedia Marrowvale", "Wikimedia Thornbury", "Wikimedia Oakridge", "Wikimedia Silverdale",
    "Wikimedians of the Northern Isles User Group", "Wiki Loves Heritage User Group",
    "Wikimedians in Education User Group", "Open GLAM Collective User Group",
    "Wikidata Community of Eastmark", "Women in Red Southvale", "Art+Feminism Lakeshire",
    "Wikimedia Libraries Network", "Wiki Editors of Riverton User Group",
    "Wikimedia Community of Highmoor", "Coastreach Wikimedians", "Fenland Open Knowledge",
    "Wikimedia Youth Alliance", "Indigenous Languages Wiki Circle",
)  # fmt: skip
_PARTNER_WORDS = (
    "Aldermoor", "Birchwood", "Corrowick", "Dunmere", "Eastbrook", "Fernhollow", "Glossmark",
    "Harbourside", "Ivybridge", "Juniper", "Kestrel Vale", "Lindqvist", "Millbrook", "Northgate",
    "Oakhurst", "Pembury", "Quillon", "Redcliffe", "Saltmarsh", "Thistledown", "Underhill",
    "Valewood", "Westford", "Yarrow", "Zennor",
)  # fmt: skip
_PARTNER_KINDS = {
    "glam": ("Museum", "City Archives", "Art Gallery", "Heritage Library", "Botanical Garden"),
    "education": ("University", "Community College", "Secondary School", "Teachers' Network"),
    "research": ("Institute", "Observatory", "Research Centre"),
    "government": ("City Council", "National Statistics Office", "Regional Archive Service"),
    "nonprofit": ("Heritage Trust", "Foundation", "Reading Circles Association"),
    "company": ("Software", "Media Group", "Savings Bank"),
    "publisher": ("Press", "Gazette", "Journal"),
    "media": ("Radio", "Broadcasting", "Television"),
    "network": ("Open Collections Network", "Libraries Consortium"),
    "individual": ("(photographer)", "(historian)"),
    "other": ("Festival", "Choir"),
}
_TYPES = (
    "content_donation", "distribution", "access", "outreach", "recruitment", "in_kind",
    "funding", "advocacy", "residency", "technology", "recognition", "umbrella",
    "collective_impact", "other",
)  # fmt: skip
_STATUSES = (
    ("prospect", 8), ("researching", 6), ("contacted", 8), ("negotiating", 8), ("agreed", 6),
    ("active", 30), ("on_hold", 6), ("concluded", 16), ("declined", 6), ("terminated", 3),
)  # fmt: skip
_EARLY = frozenset({"prospect", "researching", "contacted", "negotiating"})
_CLOSED = frozenset({"concluded", "declined", "terminated"})
_FREE_LICENCES = (
    "CC BY-SA 4.0", "CC BY 4.0", "CC0", "Public domain", "CC BY-SA 3.0", "CC BY 4.0 and CC0",
)  # fmt: skip
_PROBLEM_LICENCES = (
    "CC BY-NC-SA 4.0", "CC BY-ND 4.0", "For Wikipedia use only", "GFDL",
    "Used with permission of the museum", "Museum's own licence",
)  # fmt: skip
_FLAGS = (
    "sudden-deadline", "tight-deadline", "refuses-free-license", "non-free-content",
    "expects-volunteer-outcomes", "brand-exploitation", "promised-content",
    "paid-editing-expected", "single-point-of-failure", "beyond-capacity", "overpromising",
)  # fmt: skip
_USERS = (
    "Aino Weaver", "Tallis Reed", "Juniper Ledger", "Sorrel Ink", "Maren Holt", "Odile Brack",
    "Piet Lanner", "Rowan Fisk", "Saga Lind", "Teodor Vale", "Ulla Brandt", "Wren Calloway",
)  # fmt: skip
_COUNTRIES = ("Northland", "Eastmark", "Southvale", "Westerhold", "Lakeshire", "Highmoor")
_PROJECTS = ("Wikipedia", "Wikimedia Commons", "Wikidata", "Wikisource", "Wiktionary")
_EVALUATION = ("checkins", "debrief", "survey", "mou_review", "metrics")
_GOALS = (
    "Make the partner's collection visible on the wiki with freely licensed photographs and "
    "well-sourced articles.",
    "Train teachers and students to improve articles on local history, with a course that "
    "counts towards their degree.",
    "Give experienced editors free access to the partner's journal archive for citations.",
    "Release the partner's open data on Wikidata and keep it up to date with a yearly import.",
    "Run editing workshops in the partner's reading rooms and recruit new volunteers.",
)
_PROSE = (
    "The partnership grew out of a workshop where staff asked why so little of their work "
    "could be found on the wiki. After a first meeting the partner offered a trial set of "
    "material, and the community discussed the offer on the talk page.",
    "Volunteers upload the material in batches, each with a title, a date and the source "
    "reference, and add it to articles where it helps the reader.",
    "A short check-in every quarter looks at how the material is used; the agreement itself "
    "is reviewed before it is renewed.",
    "Agreeing on the licence before the first upload saved a lot of time: the partner's legal "
    "adviser read the licence text in advance and the trial batch went up without questions.",
    "Questions, concerns and ideas are welcome on the talk page; the coordinators answer "
    "within a week.",
    "The partner asked us to credit its staff photographers by name in every file "
    "description, which we now do with a template.",
)
_HEADINGS = ("How it started", "What happens now", "Lessons so far", "Results", "Discussion")


def title_of(index: int, partner: str) -> str:
    """Return the title of bench page ``index`` about ``partner``."""
    return f"{TITLE_PREFIX} {index:05d} {partner}"


def _date(rng: random.Random, low_days: int, high_days: int) -> str:
    """Return an ISO date between TODAY + ``low_days`` and TODAY + ``high_days``."""
    return (TODAY + dt.timedelta(days=rng.randint(low_days, high_days))).isoformat()


def _partner(rng: random.Random) -> tuple[str, str]:
    partner_type = rng.choice(tuple(_PARTNER_KINDS))
    word = rng.choice(_PARTNER_WORDS)
    kind = rng.choice(_PARTNER_KINDS[partner_type])
    if partner_type == "individual":
        return partner_type, f"{rng.choice(_USERS).split()[0]} {word} {kind}"
    return partner_type, f"{word} {kind}"


def _parameters(index: int, rng: random.Random) -> tuple[str, list[tuple[str, str]], bool]:
    """Return the partner, the infobox parameters in order, and whether markup is used."""
    partner_type, partner = _partner(rng)
    status = rng.choices([s for s, _ in _STATUSES], [w for _, w in _STATUSES])[0]
    types = rng.sample(_TYPES[:10], rng.choice((1, 1, 2, 2, 3)))
    affiliate = AFFILIATES[rng.randrange(len(AFFILIATES))]
    users = rng.sample(_USERS, rng.choice((1, 2, 2, 3)))
    markup = rng.random() < 0.06
    live = status not in _EARLY
    p: list[tuple[str, str]] = [
        ("name", f"{partner} {types[0].replace('_', ' ')}"),
        ("partner", f"[[{partner}]]" if rng.random() < 0.3 else partner),
        ("partner_type", partner_type),
        ("partner_website", f"https://www.{partner.split()[0].lower()}.example"),
        ("affiliate", affiliate),
        ("led_by", rng.choice(("affiliate", "affiliate", "affiliate", "individual"))),
        ("type", ", ".join(types)),
        ("scope", rng.choice(("local", "national", "national", "regional", "international"))),
        ("country", rng.choice(_COUNTRIES)),
        ("status", status),
        ("first_contact", _date(rng, -1400, -400)),
        ("last_contact", _date(rng, -300, -1)),
        ("next_step", "Hold the next check-in meeting and agree on the second batch"),
        ("next_step_date", _date(rng, -60, 200)),
        ("goals", rng.choice(_GOALS)),
        ("benefit_wikimedia", "Material and expertise that were missing from the wiki."),
        ("benefit_partner", "The partner's work reaches readers far beyond its visitors."),
        ("partner_contribution", "Material, metadata and staff time to answer questions."),
        ("wikimedia_contribution", "Uploads, categorisation, workshops and a usage report."),
        ("contact_wikimedia", ", ".join(users)),
        ("contact_partner", "Head of collections"),
        ("volunteers", f"About {rng.randint(2, 30)} editors"),
        (
            "community_support",
            f"[[Talk:{title_of(index, partner)}#Proposal]]",
        ),
    ]
    if live:
        p += [
            ("start_date", _date(rng, -900, -100)),
            ("agreement", rng.choice(("mou", "mou", "letter", "contract", "email", "grant"))),
            ("agreement_date", _date(rng, -950, -120)),
            ("agreement_renewal", _date(rng, -90, 700)),
            ("money_exchanged", rng.choice(("no", "no", "no", "yes"))),
            ("evaluation", ", ".join(rng.sample(_EVALUATION, rng.randint(1, 3)))),
            ("last_review", _date(rng, -500, -10)),
            ("next_review", _date(rng, -120, 400)),  # about a quarter are overdue
            ("announcement", f"https://blog.{affiliate.split()[-1].lower()}.example/{index}"),
            ("exit_plan", "Either side can end the agreement with three months' notice."),
            ("wmf_informed", rng.choice(("yes", "no"))),
            ("affiliates_informed", rng.choice(("yes", "no"))),
        ]
    if status in _CLOSED:
        p.append(("end_date", _date(rng, -400, -5)))
        if status == "concluded":
            p.append(("report", f"[[{title_of(index, partner)}/Report]]"))
        else:
            p.append(("decline_reason", "The partner wanted terms the community cannot accept."))
    if "content_donation" in types or rng.random() < 0.2:
        licence = rng.choice(_PROBLEM_LICENCES if rng.random() < 0.12 else _FREE_LICENCES)
        p += [
            ("license", licence),
            ("commons_category", f"Media contributed by the {partner}"),
            ("projects", ", ".join(rng.sample(_PROJECTS, rng.randint(1, 3)))),
        ]
    if rng.random() < 0.15:
        p.append(("flags", ", ".join(rng.sample(_FLAGS, rng.randint(1, 2)))))
    if rng.random() < 0.1:
        p.append(("coi", f"{users[0]} works part-time for the partner and says so."))
    _add_problems(rng, p)
    if markup:
        _add_markup(rng, p)
    return partner, p, markup


def _add_problems(rng: random.Random, p: list[tuple[str, str]]) -> None:
    """Damage some records the way editors do: drop, misspell, repeat or garble parameters."""
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):  # missing fields
        if len(p) > 10:
            del p[rng.randrange(3, len(p))]
    roll = rng.random()
    if roll < 0.03:
        p.append(("Status", "active"))  # case-sensitive name: unknown parameter
    elif roll < 0.05:
        p.append(("goals", "A second, different statement of the goals."))  # duplicate
    elif roll < 0.08:
        where = next((i for i, (name, _) in enumerate(p) if name == "last_contact"), None)
        if where is not None:
            p[where] = ("last_contact", "spring 2025")  # unreadable date
    elif roll < 0.10:
        where = next((i for i, (name, _) in enumerate(p) if name == "status"), None)
        if where is not None:
            p[where] = ("status", "ongoing")  # not in the vocabulary


def _add_markup(rng: random.Random, p: list[tuple[str, str]]) -> None:
    """Put markup editors use in a few values (read as markup, not as plain text)."""
    for i, (name, value) in enumerate(p):
        if name == "goals":
            p[i] = (name, f"''{value}''<br />Second phase to be agreed.")
        elif name == "announcement":
            p[i] = (name, f"{{{{cite web |url={value} |title=Announcement}}}}")
    if rng.random() < 0.5:
        p.append(("volunteers", "About ten<ref>Count from the sign-up sheet.</ref>"))


def _infobox(parameters: list[tuple[str, str]]) -> str:
    lines = ["{{Partnership infobox"]
    lines.extend(f"| {name:<22} = {value}" for name, value in parameters)
    lines.append("}}")
    return "\n".join(lines)


def _prose(rng: random.Random, partner: str, affiliate: str) -> str:
    parts = [
        f"The '''{partner}''' partnership brings together [[{partner}|the partner]] and "
        f"{affiliate}. {rng.choice(_PROSE)}"
    ]
    for heading in rng.sample(_HEADINGS, rng.randint(1, 3)):
        parts.append(f"\n== {heading} ==")
        parts.append(rng.choice(_PROSE))
        if rng.random() < 0.25:
            parts.append(
                f"* Files go to [[:Category:Media contributed by the {partner}]].\n"
                f"* Reports are linked from [[Partnerships]].<ref>Minutes of the meeting, "
                f"{rng.randint(2020, 2026)}.</ref>"
            )
    parts.append("\n== References ==\n<references />")
    return "\n".join(parts)


def page(index: int) -> tuple[str, str]:
    """Return the title and wikitext of bench page ``index``."""
    rng = random.Random(index)  # noqa: S311 - reproducible test data, not security
    partner, parameters, markup = _parameters(index, rng)
    affiliate = next((value for name, value in parameters if name == "affiliate"), "volunteers")
    head = ""
    if markup or rng.random() < 0.05:
        head = "{{Short description|A partnership with " + partner + "}}\n"
    text = head + _infobox(parameters) + "\n" + _prose(rng, partner, affiliate) + "\n"
    return title_of(index, partner), text


def pages(count: int) -> Iterator[tuple[str, str]]:
    """Yield (title, wikitext) for bench pages 0 .. ``count`` - 1."""
    for index in range(count):
        yield page(index)


def generate(count: int) -> dict[str, str]:
    """Return title → wikitext for ``count`` bench pages."""
    return dict(pages(count))
