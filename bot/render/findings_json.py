"""Write the bot's checklist results as the JSON data pages the infobox module reads.

``Module:Partnership infobox`` loads these pages with ``mw.loadJsonData`` and shows, for each
infobox, the score and the findings. The pages hold data only (rule ids, reason ids and their
parameters, flag ids); the module composes the sentences from the messages in
``Module:Partnership infobox/messages``. Format version 2 (keys are written sorted)::

    index page, base_title (default Module:Partnership infobox/findings.json):
    {"flags": {id: {"source"}},
     "pages": {title: page, ...},                only when shards == 1
     "rules": {id: {"severity", "source"}},
     "shards": K, "sources": {guidance page: url}, "updated": str, "version": 2}

    shard n of K > 1, "<base_title without .json>/<n>.json", n = shard_of(title, K):
    {"pages": {title: page, ...}, "shard": n, "shards": K, "updated": str, "version": 2}

    page:     {"b": [record, ...], "r": the revision id checked (left out when unknown)}
    record:   {"f": [finding, ...], "i": index, "k": infobox key, "n": name key,
               "s": [passed, applicable], "t": [parameters left out of the key] (when any),
               "u": usage figures (when collected; bot.render.usage_infobox),
               "x": findings left out (when > 0)}
    finding:  [rule, field, reason, [parameter, ...], flag], trailing empty items left out

A finding's severity is its rule's; its source is its flag's (``warning-flag``) or its rule's.
A source is cited as ``Page § Section`` and linked through ``sources``.

Which record belongs to which infobox is told by the key of its parameters and its name key
(:mod:`bot.render.infobox_key`).

The text returned is exactly what MediaWiki stores for a JSON page (it re-encodes JSON on save
with tab indentation and ``<``, ``>``, ``&`` as ``\\u`` escapes), so comparing it with the page's
current text tells whether a save is needed.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.checklist.predicates import Flag, Rule, Source
from bot.model import Assessment, Finding, ParamValue, PartnershipRecord
from bot.render.infobox_key import HASH_MODULUS, infobox_key, name_key

FORMAT_VERSION = 2
#: Fibonacci hashing: round(2**29 / golden ratio), an odd number, times a hash stays below 2**53.
MIX_MULTIPLIER = 331_804_471
MIX_MODULUS = 1 << 29
#: Longest text parameter of a finding kept, in characters; longer ones end with an ellipsis.
DETAIL_LIMIT = 300
#: Longest source or name kept, in characters.
TEXT_LIMIT = 500
#: Most shards tried before over-full shards are cut down.
MAX_SHARDS = 256

_PHP_ESCAPES = {
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True)
class RuleInfo:
    """What the infobox needs to know about one checklist rule besides its message."""

    severity: str
    source: str = ""
    url: str = ""


@dataclass(frozen=True)
class FlagInfo:
    """What the infobox needs to know about one warning flag besides its label."""

    source: str = ""
    url: str = ""


def cite(source: Source) -> str:
    """Return the citation of a source as findings carry it: ``Page § Section``."""
    return f"{source.page} § {source.section}" if source.section else source.page


def rule_infos(rules: Iterable[Rule]) -> dict[str, RuleInfo]:
    """Return the infobox's view of checklist rules, by rule id."""
    return {
        rule.id: RuleInfo(str(rule.severity), cite(rule.source), rule.source.url) for rule in rules
    }


def flag_infos(flags: Iterable[Flag]) -> dict[str, FlagInfo]:
    """Return the infobox's view of warning flags, by flag id."""
    return {flag.id: FlagInfo(cite(flag.source), flag.source.url) for flag in flags}


def shard_of(title: str, shards: int) -> int:
    """Return which of ``shards`` data pages holds the records of page ``title``.

    A 31-multiplier hash of the UTF-8 bytes, spread by Fibonacci hashing so that similar titles
    and small shard counts still divide evenly. Every product stays below 2**53, so Lua's
    double-precision numbers compute the same value exactly.
    """
    if shards <= 1:
        return 0
    value = 0
    for byte in title.encode("utf-8"):
        value = (value * 31 + byte) % HASH_MODULUS
    spread = (value * MIX_MULTIPLIER) % MIX_MODULUS
    return spread * shards // MIX_MODULUS


def shard_title(base_title: str, number: int) -> str:
    """Return the title of data page ``number`` under ``base_title``."""
    return f"{base_title.removesuffix('.json')}/{number}.json"


def encode_json(value: object, level: int = 0) -> str:
    """Return ``value`` as MediaWiki stores JSON, as if nested ``level`` deep."""
    text = json.dumps(
        value, ensure_ascii=False, indent="\t", separators=(",", ": "), sort_keys=True
    )
    for char, escape in _PHP_ESCAPES.items():
        text = text.replace(char, escape)
    return text.replace("\n", "\n" + "\t" * level) if level else text


def _clean(text: str, limit: int) -> str:
    """Return ``text`` on one line, as valid NFC UTF-8 (as MediaWiki saves it), cut to ``limit``."""
    text = unicodedata.normalize("NFC", text.encode("utf-8", "replace").decode("utf-8"))
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut] + "…"


def _param(value: ParamValue) -> object:
    """Return a finding parameter as stored: texts cleaned and cut, numbers as they are."""
    if isinstance(value, tuple):
        return [_clean(item, DETAIL_LIMIT) for item in value]
    if isinstance(value, str):
        return _clean(value, DETAIL_LIMIT)
    return value


def _finding_entry(finding: Finding) -> tuple[object, ...]:
    """Return the compact form of ``finding``; see the module docstring."""
    params = [_param(value) for value in finding.params]
    entry: list[object] = [finding.rule, finding.field or "", finding.reason, params]
    entry.append(finding.flag or "")
    while entry and entry[-1] in ("", []):
        entry.pop()
    return tuple(entry)


@dataclass(frozen=True)
class _Record:
    """One infobox's results, before encoding."""

    index: int
    key: str
    left_out: tuple[str, ...]
    name: str
    score: tuple[int, int]
    findings: tuple[tuple[object, ...], ...]
    usage: Mapping[str, object] | None = None

    @classmethod
    def of(
        cls,
        assessment: Assessment,
        page_findings: Sequence[Finding],
        usage: Mapping[str, object] | None = None,
    ) -> _Record:
        record = assessment.record
        findings = (_finding_entry(f) for f in (*assessment.findings, *page_findings))
        key, left_out = infobox_key(record.params) if record.index >= 0 else ("", ())
        return cls(
            index=record.index,
            key=key,
            left_out=left_out,
            name=_clean(name_key(record), TEXT_LIMIT),
            score=(assessment.score.passed, assessment.score.applicable),
            findings=tuple(findings),
            usage=usage,
        )

    def as_json(self, kept: int) -> dict[str, object]:
        """Return the record with only its first ``kept`` findings."""
        data: dict[str, object] = {
            "f": [list(entry) for entry in self.findings[:kept]],
            "i": self.index,
            "n": self.name,
            "s": list(self.score),
        }
        if self.key:
            data["k"] = self.key
        if self.left_out:
            data["t"] = list(self.left_out)
        if self.usage:
            data["u"] = dict(self.usage)
        if kept < len(self.findings):
            data["x"] = len(self.findings) - max(kept, 0)
        return data


def _entry(
    title: str, revid: int | None, records: Sequence[_Record], kept: int | None = None
) -> str:
    """Return the ``"title": page`` member of ``pages``, with the first ``kept`` findings."""
    remaining = sum(len(record.findings) for record in records) if kept is None else kept
    encoded = []
    for record in records:
        encoded.append(record.as_json(max(remaining, 0)))
        remaining -= len(record.findings)
    page: dict[str, object] = {"b": encoded}
    if revid is not None:
        page["r"] = revid
    return "\t\t" + encode_json(title) + ": " + encode_json(page, 2)


def _fit_entry(title: str, revid: int | None, records: Sequence[_Record], budget: int) -> str:
    """Return the page's member, dropping trailing findings, then records, to fit ``budget``."""
    entry = _entry(title, revid, records)
    if _size(entry) <= budget:
        return entry
    low, high = 0, sum(len(record.findings) for record in records)
    while low < high:  # the most findings that fit lies in [low, high]
        middle = (low + high + 1) // 2
        if _size(_entry(title, revid, records, middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    while len(records) > 1 and _size(_entry(title, revid, records, low)) > budget:
        records = records[: len(records) // 2]
    return _entry(title, revid, records, low)


def _page_text(members: Mapping[str, object], entries: Sequence[str] | None) -> str:
    """Return a data page: ``members`` in key order, plus ``pages`` from ``entries`` if given."""
    parts = {key: encode_json(value, 1) for key, value in members.items()}
    if entries is not None:
        parts["pages"] = "{\n" + ",\n".join(entries) + "\n\t}" if entries else "{}"
    body = ",\n".join(f"\t{encode_json(key)}: {parts[key]}" for key in sorted(parts))
    return "{\n" + body + "\n}"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def build_findings_pages(  # noqa: PLR0917 - positional signature agreed with the jobs layer
    base_title: str,
    assessments: Sequence[Assessment],
    rules: Mapping[str, RuleInfo],
    flags: Mapping[str, FlagInfo],
    updated: str,
    max_bytes: int,
    *,
    page_findings: Sequence[Finding] = (),
    usage: Mapping[str, Mapping[str, object]] | None = None,
) -> dict[str, str]:
    """Return the findings data pages, title to JSON text, each at most ``max_bytes`` bytes.

    ``page_findings`` (about a page, not one infobox) are added to every record of their page,
    or make a record of their own (index -1, no score) for a page without a readable infobox.
    A page's checked revision is its records' ``revid``. Shard pages come first and the index
    last, so saving in this order never leaves the index pointing at shards that are not written
    yet. ``updated`` is shown as "Checked on <updated>"; pass a value that changes only when the
    data does, or every run will save the pages. ``usage`` holds each record's usage figures by
    record key (``page#index``).
    """
    all_rules = dict(rules)
    for finding in [*(f for a in assessments for f in a.findings), *page_findings]:
        if finding.rule not in all_rules:
            all_rules[finding.rule] = RuleInfo(finding.severity.value, finding.source)
    about_page: dict[str, list[Finding]] = {}
    for finding in page_findings:
        title = _clean(finding.page.replace("_", " "), TEXT_LIMIT)
        about_page.setdefault(title, []).append(finding)
    by_title: dict[str, list[_Record]] = {}
    revisions: dict[str, int | None] = {}
    for assessment in assessments:
        title = _clean(assessment.record.page.replace("_", " "), TEXT_LIMIT)
        usage_entry = (usage or {}).get(assessment.record.key)
        record = _Record.of(assessment, about_page.get(title, ()), usage_entry)
        by_title.setdefault(title, []).append(record)
        revisions[title] = assessment.record.revid
    for title, findings in about_page.items():
        if title not in by_title:
            bare = Assessment(PartnershipRecord(page=title, index=-1), tuple(findings))
            by_title[title] = [_Record.of(bare, ())]
    entries = {
        title: _fit_entry(
            title,
            revisions.get(title),
            sorted(records, key=lambda record: record.index),
            max_bytes // 4,
        )
        for title, records in sorted(by_title.items())
    }
    index = _index_members(all_rules, flags, updated)
    single = _page_text({**index, "shards": 1}, list(entries.values()))
    if _size(single) <= max_bytes:
        return {base_title: single}
    for shards in range(2, MAX_SHARDS + 1):
        pages = _sharded_pages(
            base_title, entries, index, shards, max_bytes, final=shards == MAX_SHARDS
        )
        if pages is not None:
            return pages
    raise AssertionError("unreachable: the last shard count always fits")  # pragma: no cover


def _index_members(
    rules: Mapping[str, RuleInfo], flags: Mapping[str, FlagInfo], updated: str
) -> dict[str, object]:
    """Return the index page's members other than ``pages`` and ``shards``."""
    sources: dict[str, str] = {}
    infos: list[RuleInfo | FlagInfo] = [rules[key] for key in sorted(rules)]
    infos += [flags[key] for key in sorted(flags)]
    for info in infos:
        if info.url and info.source:
            sources.setdefault(info.source.split(" § ")[0], info.url)
    return {
        "flags": {
            flag_id: {"source": _clean(flag.source, TEXT_LIMIT)} for flag_id, flag in flags.items()
        },
        "rules": {
            rule_id: {
                "severity": rule.severity,
                "source": _clean(rule.source, TEXT_LIMIT),
            }
            for rule_id, rule in rules.items()
        },
        "sources": {page: _clean(url, TEXT_LIMIT) for page, url in sources.items()},
        "updated": _clean(updated, TEXT_LIMIT),
        "version": FORMAT_VERSION,
    }


def _sharded_pages(
    base_title: str,
    entries: Mapping[str, str],
    index: Mapping[str, object],
    shards: int,
    max_bytes: int,
    *,
    final: bool,
) -> dict[str, str] | None:
    """Return the pages split in ``shards``, or None when one is too big (unless ``final``)."""
    groups: list[list[str]] = [[] for _ in range(shards)]
    for title, entry in entries.items():
        groups[shard_of(title, shards)].append(entry)
    header = {"shards": shards, "updated": index["updated"], "version": FORMAT_VERSION}
    pages: dict[str, str] = {}
    for number, group in enumerate(groups):
        text = _page_text({**header, "shard": number}, group)
        if _size(text) > max_bytes:
            if not final:
                return None
            while group and _size(text) > max_bytes:  # hash collisions beyond repair: drop pages
                group.remove(max(group, key=len))
                text = _page_text({**header, "shard": number}, group)
        pages[shard_title(base_title, number)] = text
    index_text = _page_text({**index, "shards": shards}, None)
    if _size(index_text) > max_bytes:
        raise ValueError(f"the rules and flags alone exceed {max_bytes} bytes")
    pages[base_title] = index_text
    return pages
