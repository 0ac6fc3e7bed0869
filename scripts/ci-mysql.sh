#!/usr/bin/env bash
# Starts a throwaway MariaDB (Debian's mariadb-server: the MySQL server Debian ships) on 127.0.0.1
# for the real-MySQL replay tests and prints its connection URL. Installs the package when no server
# is installed (root and apt-get only). Prints nothing and exits non-zero when it cannot; the tests
# then skip. `scripts/ci-mysql.sh stop <port>` stops the server started for that port.
# The data directory lives in a new temp dir; nothing outside it is written.
set -euo pipefail
server() { command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd /usr/sbin/mysqld 2>/dev/null | head -n 1; }
if [ "${1:-}" = "stop" ]; then
  port="${2:-33069}"
  state="/tmp/migration-lint-mysql.$port"
  [ -f "$state" ] || exit 0
  data="$(cat "$state")"
  if [ -f "$data/mysqld.pid" ]; then
    pid="$(cat "$data/mysqld.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$data" "$state"
  exit 0
fi
port="${1:-33069}"
bin="$(server)"
if [ -z "$bin" ]; then
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 || exit 1
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server; } >&2 </dev/null || exit 1
  bin="$(server)"
  [ -n "$bin" ] || exit 1
fi
installdb="$(command -v mariadb-install-db || command -v mysql_install_db || true)"
[ -n "$installdb" ] || exit 1
data="$(mktemp -d /tmp/migration-lint-mysql.XXXXXX)"
user_args=()
if [ "$(id -u)" = 0 ]; then
  id mysql >/dev/null 2>&1 || useradd --system --no-create-home mysql
  chown mysql "$data"
  user_args=(--user=mysql)
fi
# root@localhost with an empty password over TCP (a throwaway server on loopback only)
"$installdb" --no-defaults "${user_args[@]}" --datadir="$data/db" --auth-root-authentication-method=normal \
  --skip-test-db >"$data/install.log" 2>&1 || { rm -rf "$data"; exit 1; }
for try_port in $(seq "$port" $((port + 9))); do
  "$bin" --no-defaults "${user_args[@]}" --datadir="$data/db" --bind-address=127.0.0.1 --port="$try_port" \
    --socket="$data/mysqld.sock" --pid-file="$data/mysqld.pid" --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
    --log-error="$data/server.log" >/dev/null 2>&1 &
  for _ in $(seq 1 100); do
    if [ -S "$data/mysqld.sock" ] && [ -f "$data/mysqld.pid" ]; then
      echo "$data" > "/tmp/migration-lint-mysql.$port"
      echo "mysql://root@127.0.0.1:$try_port/mysql"
      exit 0
    fi
    kill -0 $! 2>/dev/null || break
    sleep 0.1
  done
  kill $! 2>/dev/null || true
done
rm -rf "$data"
exit 1
