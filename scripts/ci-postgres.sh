#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the real-Postgres replay tests
# (tests/replay/postgres.test.ts) and prints its connection URL. Installs
# Debian's postgresql package when no server is installed. Prints nothing and
# exits non-zero when it cannot; the tests then skip.
# `scripts/ci-postgres.sh stop <port>` stops the server started for that port.
set -euo pipefail
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ "${1:-}" = "stop" ]; then
  port="${2:-54329}"
  state="/tmp/migration-lint-pg.$port"
  [ -f "$state" ] || exit 0
  data="$(cat "$state")"
  run=()
  [ "$(id -u)" = 0 ] && run=(runuser -u postgres --)
  "${run[@]}" "$(pgbin)/pg_ctl" -D "$data/db" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$data" "$state"
  exit 0
fi
port="${1:-54329}"
bin="$(pgbin)"
if [ -z "$bin" ]; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2 || exit 1
  bin="$(pgbin)"
  [ -n "$bin" ] || exit 1
fi
data="$(mktemp -d /tmp/migration-lint-pg.XXXXXX)"
run=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$data"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$data/db" -U postgres --auth=trust >/dev/null
# the requested port, or the next free one (a server left over from an earlier run may hold it)
for try_port in $(seq "$port" $((port + 9))); do
  if "${run[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/db/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$try_port -c unix_socket_directories=$data -c fsync=off" start >/dev/null 2>&1; then
    echo "$data" > "/tmp/migration-lint-pg.$port"
    echo "postgresql://postgres@127.0.0.1:$try_port/postgres"
    exit 0
  fi
done
rm -rf "$data"
exit 1
