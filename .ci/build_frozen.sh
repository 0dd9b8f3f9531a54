#!/usr/bin/env bash
# Build the frozen app with planner.spec and prove it works the way a team member will use it:
# --version, --smoke-test on a fresh data folder, `demo`, --smoke-test on that database and an
# `export-ics` whose file is checked. Exits non-zero on the first failure. Prints the build time
# and the size of the dist folder (and of a .tar.gz of it).
#
# Uses the `python` on PATH (the CI's virtual environment); installs PyInstaller into it if
# missing. Qt runs offscreen, so no display is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python}"
export QT_QPA_PLATFORM=offscreen
# Make zoneinfo use the bundled tzdata package instead of /usr/share/zoneinfo, as it must on
# Windows: a build that forgot tzdata fails here rather than on a colleague's laptop.
export PYTHONTZPATH=/nonexistent

fail() {
    echo "build_frozen: FAILED: $*" >&2
    exit 1
}

if [ "$(uname -s)" = "Linux" ]; then
    # PyInstaller needs objdump and Python as a shared library; Debian's python3 package has
    # neither by default (binutils, libpython3.X).
    need=()
    command -v objdump >/dev/null 2>&1 || need+=(binutils)
    pylib=$("$PYTHON" -c 'import sysconfig as s; print(s.get_config_var("LIBDIR"), s.get_config_var("INSTSONAME"), s.get_config_var("py_version_short"))')
    read -r pylib_dir pylib_name py_short <<<"$pylib"
    [ -e "$pylib_dir/$pylib_name" ] || need+=("libpython$py_short")
    if [ ${#need[@]} -gt 0 ]; then
        if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
            echo "build_frozen: installing ${need[*]}"
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
        else
            fail "PyInstaller needs ${need[*]} (objdump; Python built as a shared library)"
        fi
    fi
fi

if ! "$PYTHON" -m PyInstaller --version >/dev/null 2>&1; then
    echo "build_frozen: installing PyInstaller"
    "$PYTHON" -m pip install -q "pyinstaller>=6.10"
fi

case "$(uname -s)" in
    MINGW* | MSYS* | CYGWIN*) EXE_SUFFIX=".exe" ;;
    *) EXE_SUFFIX="" ;;
esac
if [ "$(uname -s)" = "Darwin" ]; then
    APP_DIR="dist/Networking Planner.app/Contents/MacOS"
else
    APP_DIR="dist/planner"
fi
CLI="$APP_DIR/planner-cli$EXE_SUFFIX"

started=$(date +%s)
# The work folder is kept between runs so a rebuild only redoes what changed.
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN planner.spec || fail "PyInstaller build"
build_seconds=$(($(date +%s) - started))
[ -x "$CLI" ] || fail "$CLI was not built"
[ -x "$APP_DIR/planner$EXE_SUFFIX" ] || fail "$APP_DIR/planner was not built"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

run() {
    # Run the frozen console program with a time limit; show its output on failure.
    local what="$1"
    shift
    if ! timeout 120 "$CLI" "$@" >"$WORK/out.txt" 2>&1; then
        cat "$WORK/out.txt" >&2
        fail "$what: planner-cli $*"
    fi
    # The app logs problems it works around (an unknown time zone when tzdata is missing, a
    # resource not found) as WARNING/ERROR lines: in a clean run there must be none.
    if grep -E "^(WARNING|ERROR|CRITICAL): |Traceback" "$WORK/out.txt" >&2; then
        fail "$what: planner-cli $* logged the problems above"
    fi
    echo "build_frozen: ok: $what"
}

run "version" --version
grep -q "^Networking Planner " "$WORK/out.txt" || fail "--version printed: $(cat "$WORK/out.txt")"

run "smoke test on a new database" --data-dir "$WORK/fresh" --smoke-test
[ -s "$WORK/fresh/data/planner.sqlite3" ] || fail "--smoke-test did not create the database"

# The windowed program too (it has no console on Windows and macOS: only its exit code counts).
timeout 120 "$APP_DIR/planner$EXE_SUFFIX" --data-dir "$WORK/gui" --smoke-test >/dev/null 2>&1 ||
    fail "windowed planner --smoke-test"
[ -s "$WORK/gui/data/planner.sqlite3" ] || fail "windowed planner --smoke-test made no database"
echo "build_frozen: ok: smoke test of the windowed program"

run "demo data" --data-dir "$WORK/demo" demo --contacts 300
run "smoke test on the demo database" --data-dir "$WORK/demo" --smoke-test

# A team database: the frozen build must carry the PostgreSQL driver and dialect. .ci/run
# leaves its throw-away server running for this step and names it in PLANNER_TEST_POSTGRES_URL.
if [ -n "${PLANNER_TEST_POSTGRES_URL:-}" ]; then
    team_url=$("$PYTHON" - <<'PY'
import os
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
url = make_url(os.environ["PLANNER_TEST_POSTGRES_URL"])
admin = create_engine(url, isolation_level="AUTOCOMMIT")
with admin.connect() as conn:
    conn.exec_driver_sql("DROP DATABASE IF EXISTS planner_frozen WITH (FORCE)")
    conn.exec_driver_sql("CREATE DATABASE planner_frozen")
admin.dispose()
print(url.set(database="planner_frozen").render_as_string(hide_password=False))
PY
)
    run "demo data on PostgreSQL" --data-dir "$WORK/team" --database "$team_url" demo --contacts 50
    run "smoke test on PostgreSQL" --data-dir "$WORK/team" --database "$team_url" --smoke-test
fi

# Every subcommand the source tree has must be in the build too (they are imported by name,
# which PyInstaller cannot see).
commands() {
    COLUMNS=200 "$@" --help | awk '/^  COMMAND$/ {on = 1; next} on && /^$/ {exit} on && /^    [a-z]/ {print $1}' |
        sort | tr '\n' ' '
}
source_commands=$(commands "$PYTHON" -m planner)
frozen_commands=$(commands "$CLI")
[ -n "$frozen_commands" ] || fail "could not read the subcommands from planner-cli --help"
[ "$source_commands" = "$frozen_commands" ] ||
    fail "subcommands differ: source [$source_commands], frozen [$frozen_commands]"
echo "build_frozen: ok: subcommands [$frozen_commands]"

if [[ " $frozen_commands" == *" export-ics "* ]]; then
    run "export-ics" --data-dir "$WORK/demo" export-ics "$WORK/reminders.ics"
    [ "$(head -c 15 "$WORK/reminders.ics")" = "BEGIN:VCALENDAR" ] ||
        fail "export-ics wrote a file that does not start with BEGIN:VCALENDAR"
    grep -q "BEGIN:VEVENT\|BEGIN:VTODO" "$WORK/reminders.ics" ||
        fail "export-ics wrote no events for the demo database"
else
    echo "build_frozen: note: this tree has no export-ics subcommand yet; not checked"
fi

if [[ " $frozen_commands" == *" sync-calendar "* ]]; then
    # The CalDAV client must be in the build: against a closed port the command has to say
    # "could not reach" (exit 4), not fail on a missing module (exit 70).
    set +e
    PLANNER_FROZEN_PW=x timeout 120 "$CLI" --data-dir "$WORK/demo" sync-calendar \
        --url http://127.0.0.1:9/ --user ci --password-env PLANNER_FROZEN_PW --dry-run \
        >"$WORK/out.txt" 2>&1
    code=$?
    set -e
    if [ "$code" != 4 ] || grep -q Traceback "$WORK/out.txt"; then
        cat "$WORK/out.txt" >&2
        fail "sync-calendar against a closed port exited $code (4 expected)"
    fi
    echo "build_frozen: ok: sync-calendar reports an unreachable server"
fi

size_kb=$(du -sk "$(dirname "$CLI")" | cut -f1)
if [ "$(uname -s)" != "Darwin" ]; then
    tar -C dist -czf "$WORK/planner.tar.gz" planner
    gz_kb=$(du -k "$WORK/planner.tar.gz" | cut -f1)
    gz_text=", $((gz_kb / 1024)) MiB as .tar.gz"
else
    gz_text=""
fi
echo "build_frozen: built in ${build_seconds} s; dist folder $((size_kb / 1024)) MiB${gz_text}"
