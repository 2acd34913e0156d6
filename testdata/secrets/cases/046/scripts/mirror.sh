#!/usr/bin/env bash
set -euo pipefail
export GITLAB_TOKEN=glpat-ovc2T0o1uxsWI9BsB86w
git push "https://oauth2:${GITLAB_TOKEN}@gitlab.com/acme/mirror.git" --mirror
