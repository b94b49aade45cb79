#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 before the tests run, starting
# them when they are installed but stopped; install Debian's Chromium for the
# browser tests when it is missing and we may. Fails loudly otherwise.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() {
  for _ in $(seq 1 60); do port_open "$1" "$2" && return 0; sleep 0.5; done
  return 1
}

if ! port_open "$PGHOST" "$PGPORT"; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "ensure_services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n1)" main start || true
  fi
  wait_port "$PGHOST" "$PGPORT" || { echo "ensure_services: PostgreSQL is not reachable on $PGHOST:$PGPORT and could not be started. Install it (apt-get install postgresql) or set DATABASE_URL." >&2; exit 1; }
fi

if ! port_open 127.0.0.1 "$REDIS_PORT"; then
  if command -v redis-server >/dev/null; then
    echo "ensure_services: starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no
  fi
  wait_port 127.0.0.1 "$REDIS_PORT" || { echo "ensure_services: Redis is not reachable on 127.0.0.1:$REDIS_PORT and could not be started. Install it (apt-get install redis-server)." >&2; exit 1; }
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure_services: installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "ensure_services: /usr/bin/chromium is missing; install it with: sudo apt-get install -y chromium fonts-noto-cjk" >&2
    exit 1
  fi
fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure_services: installing Debian's nodejs and npm (axe-core for the accessibility checks)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "ensure_services: npm is missing; install it with: sudo apt-get install -y nodejs npm" >&2
    exit 1
  fi
fi
echo "ensure_services: PostgreSQL, Redis, Chromium and npm are ready"
