"""Ask the usage sources what the figures are made of: trees, file use, templates, links.

:func:`open_sources` builds the sources the ``[usage]`` settings name, over the bot's gateway
and the configured wikis; :func:`collect` asks each question once for every partnership
together (a category named twice is listed once, every file is asked about once in batches of
500, every domain once) and counts each partnership and the totals (:mod:`bot.usage.counting`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from bot.io.category_files import CategoryMembersSource
from bot.io.commons_metrics import CommonsImpactMetrics
from bot.io.file_usage import FileUsageFallback
from bot.io.gateway import WikiGateway
from bot.io.global_usage import GlobalUsageSource
from bot.io.link_usage import ExtUrlUsageSource
from bot.io.pageviews import PageviewsClient
from bot.io.rest_client import RestClient, user_agent
from bot.io.template_usage import EmbeddedInSource, Transclusions
from bot.io.usage_sources import (
    Availability,
    CategoryFilesSource,
    CategoryTree,
    FileUsage,
    FileUsageSource,
    LinkSource,
    LinkUsage,
)
from bot.io.usage_wikis import UsageWikis
from bot.progress import Progress, QuietProgress
from bot.settings import Settings
from bot.usage.counting import (
    NS_TEMPLATE,
    SplitUses,
    UsageCounts,
    count_subject,
    count_total,
    split_uses,
    templates_showing,
)
from bot.usage.subjects import TOTAL_KEY, UsageSubject, wanted_domains, wanted_trees

log = logging.getLogger(__name__)


@dataclass
class UsageSources:
    """The sources one collection asks."""

    categories: CategoryFilesSource
    files: FileUsageSource
    transclusions: EmbeddedInSource
    links: LinkSource
    views: PageviewsClient | None
    impact: CommonsImpactMetrics | None
    #: Where the files are (for the method), and the names of the wikis asked.
    files_endpoint: str
    wiki_names: tuple[str, ...]
    wikis: UsageWikis | None = None


def open_sources(settings: Settings, gateway: WikiGateway) -> UsageSources:
    """Return the sources the settings name (the configured wikis open when first asked)."""
    usage = settings.usage
    wikis = UsageWikis(gateway)
    commons_api = usage.commons_api or gateway.api_url
    commons = wikis.endpoint("commons", commons_api)
    endpoints = [wikis.endpoint(wiki.name, wiki.api) for wiki in usage.wikis]
    asked = tuple(sorted({*usage.namespaces, NS_TEMPLATE}))
    files: FileUsageSource
    if usage.source == "globalusage":
        files = GlobalUsageSource(commons.send, commons_api, asked, batch=commons.batch)
    else:
        files = FileUsageFallback(endpoints, asked)
    views = impact = None
    if usage.pageviews_url:
        client = RestClient(
            usage.pageviews_url,
            user_agent(settings.wiki.contact or "no contact configured"),
            max_per_second=usage.requests_per_second,
        )
        views = PageviewsClient(client, synthetic=usage.synthetic)
        if usage.impact_metrics_categories:
            impact = CommonsImpactMetrics(
                client, usage.impact_metrics_categories, synthetic=usage.synthetic
            )
    return UsageSources(
        categories=CategoryMembersSource(commons.send, commons_api),
        files=files,
        transclusions=EmbeddedInSource(endpoints, usage.namespaces),
        links=ExtUrlUsageSource(endpoints, usage.namespaces),
        views=views,
        impact=impact,
        files_endpoint=commons_api,
        wiki_names=tuple(wiki.name for wiki in usage.wikis),
        wikis=wikis,
    )


@dataclass(frozen=True)
class Collected:
    """What one collection found, counted per partnership and for all together."""

    counts: dict[str, UsageCounts]
    trees: dict[tuple[str, int], CategoryTree]
    usage: FileUsage | None
    split: SplitUses | None
    transclusions: Transclusions | None
    links: dict[str, LinkUsage]
    #: Requests per source.
    requests: dict[str, int] = field(default_factory=dict)


def _capped(tree: CategoryTree, limit: int) -> CategoryTree:
    if tree.availability is Availability.OK and len(tree.files) > limit:
        detail = f"{len(tree.files)} files, more than the {limit} a collection counts"
        return replace(tree, availability=Availability.CONFIG_ERROR, files=(), detail=detail)
    return tree


def collect(
    sources: UsageSources,
    subjects: Sequence[UsageSubject],
    settings: Settings,
    progress: Progress | None = None,
) -> Collected:
    """Ask every source once for all partnerships; return the counts (see the module doc)."""
    progress = progress or QuietProgress()
    trees: dict[tuple[str, int], CategoryTree] = {}
    wanted = wanted_trees(subjects)
    with progress.task("category trees", len(wanted)) as advance:
        for category, depth in wanted:
            tree = sources.categories.files(category, depth)
            trees[(category, depth)] = _capped(tree, settings.usage.max_files)
            advance(1)
    files = sorted({file for tree in trees.values() for file in tree.files})
    usage = split = transclusions = None
    if files:
        with progress.task("file use", len(files)) as advance:
            usage = sources.files.usage(files)
            advance(len(files))
        templates = sorted(templates_showing(usage.uses))
        transclusions = sources.transclusions.transclusions(templates)
        split = split_uses(usage.uses, transclusions.pages, settings.usage.namespaces)
    links: dict[str, LinkUsage] = {}
    domains = wanted_domains(subjects)
    with progress.task("links", len(domains)) as advance:
        for domain in domains:
            links[domain] = sources.links.links(domain)
            advance(1)
    counts = {
        subject.key: count_subject(subject, trees, usage, split, links) for subject in subjects
    }
    counts[TOTAL_KEY] = count_total(list(counts.values()))
    requests = {
        "categorymembers": sum(tree.method.requests for tree in trees.values()),
        "file use": usage.method.requests if usage else 0,
        "embeddedin": transclusions.method.requests if transclusions else 0,
        "exturlusage": sum(found.method.requests for found in links.values()),
    }
    return Collected(counts, trees, usage, split, transclusions, links, requests)
