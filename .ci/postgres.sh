#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the test suite, run as the `postgres` user.
#   .ci/postgres.sh start DIR   -> initdb in DIR, start on 127.0.0.1 and a socket in DIR, create
#                                  the database `planner_test`, print its SQLAlchemy URL
#   .ci/postgres.sh stop DIR    -> stop the cluster (DIR can then be deleted)
# Durability is switched off (fsync, full pages): the cluster lives for one test run only.
set -euo pipefail

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "postgres.sh: no PostgreSQL server installed" >&2; exit 1; }
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

cmd=${1:?usage: postgres.sh start|stop DIR}
dir=${2:?usage: postgres.sh start|stop DIR}
bin=$(bindir)

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-instructions >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" \
      start
    as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres planner_test
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/planner_test"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -s stop
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR" >&2
    exit 2
    ;;
esac
