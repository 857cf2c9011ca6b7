#!/bin/sh
# Run the partnerbot command line on Toolforge: `toolforge/partnerbot.sh COMMAND [OPTIONS]`.
# Every job of jobs.yaml and jobs-serve.yaml calls this. It reads (Toolforge envvars, see
# toolforge/README.md): PARTNERBOT_SETTINGS, the settings file (default ~/partnerbot.toml), and
# PARTNERBOT_VENV, the virtualenv partnerbot is installed in (default ~/partnerbot-venv).
# Secrets are never arguments: pywikibot reads them through user-config.py (see user-config.py).
set -eu
settings="${PARTNERBOT_SETTINGS:-$HOME/partnerbot.toml}"
venv="${PARTNERBOT_VENV:-$HOME/partnerbot-venv}"
exec "$venv/bin/partnerbot" --config "$settings" "$@"
