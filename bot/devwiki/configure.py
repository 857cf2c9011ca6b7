"""Write the configuration files of a local wiki and of the programs that talk to it.

The wiki's own PHP settings and router (regenerated on every start, so a port change takes
effect), pywikibot's ``user-config.py`` and password file, and the partnerbot settings file
``DIR/settings.toml``. The texts come from :mod:`bot.devwiki.files`.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.devwiki.accounts import BOT_APP_ID, BOT_USER
from bot.devwiki.files import (
    ROUTER,
    SETTINGS_TEMPLATE,
    SETTINGS_VERSION,
    SETTINGS_VERSION_OPTION,
    USER_CONFIG,
    USER_CONFIG_FAMILY,
    php_string,
    toml_value,
)
from bot.devwiki.layout import WikiLayout

_INCLUDE = "\nrequire_once __DIR__ . '/DevWikiSettings.php';\n"


def include_wiki_settings(layout: WikiLayout) -> None:
    """Make LocalSettings.php (as install.php wrote it) load the generated settings and router."""
    with layout.local_settings.open("a", encoding="utf-8") as settings:
        settings.write(_INCLUDE)
    (layout.directory / "router.php").write_text(ROUTER, encoding="utf-8")
    write_wiki_settings(layout)


def wiki_settings_text(
    layout: WikiLayout, snippets: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """Return the text of DevWikiSettings.php and the version it declares.

    ``snippets`` (name -> PHP statements) follow the generated settings, each under a comment
    with its name; the version is a digest of everything before it.
    """
    text = SETTINGS_TEMPLATE.format(
        port=layout.port,
        dir=layout.directory,
        site_name=php_string(layout.site_name),
        cookie_prefix=php_string(layout.family),
    )
    for name, snippet in sorted((snippets or {}).items()):
        body = snippet.removeprefix("<?php").strip("\n")
        text += f"\n// -- {name} (written on every start) --\n{body}\n"
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return text + SETTINGS_VERSION.format(option=SETTINGS_VERSION_OPTION, version=version), version


def write_wiki_settings(layout: WikiLayout, snippets: Mapping[str, str] | None = None) -> str:
    """Write DevWikiSettings.php (generated settings, then ``snippets``); return its version.

    The file's modification time always moves forward by at least a second: ``php -S`` compares
    modification times in whole seconds before it compiles a file again.
    """
    text, version = wiki_settings_text(layout, snippets)
    path = layout.wiki_settings
    previous = path.stat().st_mtime if path.exists() else 0.0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime < previous + 1:
        os.utime(path, (previous + 1, previous + 1))
    return version


def write_pywikibot_user_config(layout: WikiLayout, companions: Sequence[WikiLayout] = ()) -> Path:
    """Write ``user-config.py`` for this wiki (possible before the wiki is installed).

    pywikibot reads it when it is first imported, so a process that talks to this wiki sets
    ``PYWIKIBOT_DIR`` to ``layout.pywikibot_dir`` and calls this before importing pywikibot.
    ``companions`` are other local wikis the same process talks to (their families are
    declared too, so ``pywikibot.Site(url=...)`` finds them).
    """
    layout.pywikibot_dir.mkdir(parents=True, exist_ok=True)
    config = layout.pywikibot_dir / "user-config.py"
    families = "".join(
        USER_CONFIG_FAMILY.format(family=wiki.family, port=wiki.port, bot=BOT_USER)
        for wiki in (layout, *companions)
    )
    text = USER_CONFIG.format(port=layout.port, family=layout.family, families=families)
    config.write_text(text, encoding="utf-8")
    return config


def write_pywikibot_password(layout: WikiLayout, passwords: Mapping[str, str]) -> Path:
    """Write pywikibot's ``user-password.py`` (mode 0600): the bot's password per family."""
    layout.pywikibot_dir.mkdir(parents=True, exist_ok=True)
    path = layout.pywikibot_dir / "user-password.py"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        for family, password in passwords.items():
            file.write(
                f"({family!r}, {family!r}, {BOT_USER!r}, "
                f"BotPassword({BOT_APP_ID!r}, {password!r}))\n"
            )
    return path


def write_settings_file(
    layout: WikiLayout,
    template: Path,
    sections: Mapping[str, Mapping[str, Any]] | None = None,
) -> Path:
    """Write ``DIR/settings.toml``: the settings in ``template``, pointed at this wiki.

    Paths the template sets are made absolute, so the written file works from anywhere; paths
    it leaves out keep their defaults (the project's own checklist and templates). ``sections``
    are added (or replace the template's sections of the same name).
    """
    data = tomllib.loads(template.read_text(encoding="utf-8"))
    data.update({name: dict(values) for name, values in (sections or {}).items()})
    data.setdefault("wiki", {})["pywikibot_dir"] = str(layout.pywikibot_dir)
    data.setdefault("run", {})["state_url"] = f"sqlite:///{layout.directory / 'state.sqlite'}"
    paths = data.get("paths", {})
    for key in ("checklist", "templates"):
        if key in paths:
            paths[key] = str((template.parent / paths[key]).resolve())
    lines = [f"# Generated by `partnerbot devwiki start` from {template.name} for {layout.url}", ""]
    for section, values in data.items():
        lines.append(f"[{section}]")
        lines.extend(f"{key} = {toml_value(value)}" for key, value in values.items())
        lines.append("")
    layout.settings_file.write_text("\n".join(lines), encoding="utf-8")
    return layout.settings_file
