"""Run MediaWiki's maintenance scripts for one local wiki.

Every script gets ``MW_CONFIG_FILE`` so nothing is written through Debian's symlinks into
``/etc``. Arguments that carry secrets never go here positionally: see :mod:`bot.devwiki.accounts`.
"""

from __future__ import annotations

import os
import subprocess

from bot.devwiki.layout import MEDIAWIKI_ROOT, DevWikiError, WikiLayout

#: Debian packages the local wiki needs (installed by the Makefile when missing).
DEBIAN_PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "lua5.1")
#: Characters of a failed script's output kept in the error message.
OUTPUT_TAIL = 2000


def missing_debian_packages() -> list[str]:
    """Return the Debian packages the local wiki needs that are not installed."""
    missing = []
    for package in DEBIAN_PACKAGES:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in result.stdout:
            missing.append(package)
    return missing


def require_debian_packages() -> None:
    """Raise :class:`DevWikiError` naming the packages to install when any is missing."""
    missing = missing_debian_packages()
    if missing:
        names = " ".join(missing)
        raise DevWikiError(
            f"the local wiki needs these Debian packages: {names}",
            hint=f"run `make demo` as root, or: apt-get install --no-install-recommends {names}",
        )


def maintenance_env(layout: WikiLayout) -> dict[str, str]:
    """Return the environment a PHP process of this wiki runs with."""
    env = dict(os.environ)
    env["MW_CONFIG_FILE"] = str(layout.local_settings)
    env["MW_INSTALL_PATH"] = str(MEDIAWIKI_ROOT)
    return env


def run_maintenance(
    layout: WikiLayout,
    script: str,
    *args: str,
    stdin: str | None = None,
    check: bool = True,
    timeout: float = 1800,
) -> subprocess.CompletedProcess[str]:
    """Run ``maintenance/SCRIPT.php`` for this wiki and return the finished process.

    With ``check``, a non-zero exit raises :class:`DevWikiError` with the end of the output.
    """
    name = script.removesuffix(".php")
    result = subprocess.run(
        ["php", str(MEDIAWIKI_ROOT / "maintenance" / f"{name}.php"), *args],
        cwd=MEDIAWIKI_ROOT,
        env=maintenance_env(layout),
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-OUTPUT_TAIL:]
        raise DevWikiError(f"maintenance/{name}.php failed ({result.returncode}): {output}")
    return result
