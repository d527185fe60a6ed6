#!/usr/bin/env bash
# The scale-out topology of docker-compose.yml without Docker: two uvicorn
# processes behind Debian's nginx with docker/nginx.conf, the Huey workers,
# PostgreSQL and Redis (a fresh database and a free db number on the local
# servers). Everything happens in scripts/topology.py; see its docstring.
#
#   bash scripts/topology.sh up [--demo]   start it and wait until healthy
#   bash scripts/topology.sh smoke         up, the checks (scripts/topology_smoke.py), down
#   bash scripts/topology.sh down          stop it, drop the database, empty the Redis db
#   eval "$(bash scripts/topology.sh env)" the running stack's variables (DATABASE_URL, ...)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "topology: nginx is missing; install it with: sudo apt-get install -y nginx-light" >&2
    exit 1
  fi
  echo "topology: installing Debian's nginx (the program only: its service is not started)"
  # A policy-rc.d that answers 101 keeps Debian's maintainer scripts from
  # starting the nginx service on port 80; removed again afterwards.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  if [ -n "$policy" ]; then rm -f "$policy"; fi
  trap - EXIT
fi

# `topology.sh install`: only make sure nginx is there (.ci/run, before the
# test suite, so tests/test_topology.py can check both configs with nginx -t).
if [ "${1:-}" = install ]; then exit 0; fi

exec .venv/bin/python scripts/topology.py "$@"
