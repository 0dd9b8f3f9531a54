#!/usr/bin/env bash
# Install, update or remove the Networking Planner build (the dist/planner folder) on Linux.
#
#   ./install-linux.sh                 for you: ~/.local/opt/networking-planner, ~/.local/bin
#   sudo ./install-linux.sh --system   for everyone: /opt/networking-planner, /usr/local/bin
#   ./install-linux.sh --uninstall     (add --system for the system-wide copy)
#
# Run it from inside the unpacked build folder (it ships there), or pass --from DIR.
# Installing again over an older copy is an update. Nobody's data is touched by an install,
# an update or an uninstall: each user's database, settings and logs live in their own
# ~/.local/share/networking-planner, ~/.config/networking-planner and
# ~/.local/state/networking-planner.
set -euo pipefail

APP_ID="networking-planner"
MODE="user"
ACTION="install"
SOURCE=""

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    echo
    echo "Options: --user (default) | --system, --uninstall, --from DIR, -h/--help"
}

while [ $# -gt 0 ]; do
    case "$1" in
        --user) MODE="user" ;;
        --system) MODE="system" ;;
        --uninstall) ACTION="uninstall" ;;
        --from)
            [ $# -ge 2 ] || { echo "install-linux.sh: --from needs a folder" >&2; exit 2; }
            SOURCE="$2"
            shift
            ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install-linux.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ "$MODE" = "system" ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-linux.sh: --system writes to /opt and /usr/local; run it with sudo." >&2
        exit 1
    fi
    APP_DIR="/opt/$APP_ID"
    BIN_DIR="/usr/local/bin"
    SHARE_DIR="/usr/local/share"
else
    if [ -z "${HOME:-}" ]; then
        echo "install-linux.sh: HOME is not set." >&2
        exit 1
    fi
    APP_DIR="$HOME/.local/opt/$APP_ID"
    BIN_DIR="$HOME/.local/bin"
    SHARE_DIR="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
APPS_DIR="$SHARE_DIR/applications"
ICON_ROOT="$SHARE_DIR/icons/hicolor"
DESKTOP_FILE="$APPS_DIR/$APP_ID.desktop"

refresh_desktop_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPS_DIR" 2>/dev/null || true
    fi
    if [ -d "$ICON_ROOT" ]; then
        touch "$ICON_ROOT"
        if command -v gtk-update-icon-cache >/dev/null 2>&1; then
            gtk-update-icon-cache -q -t -f "$ICON_ROOT" 2>/dev/null || true
        fi
    fi
}

remove_link_into_app() {
    # Only remove links that point at our program folder, never someone else's `planner`.
    local link="$1"
    if [ -L "$link" ] && [ "$(readlink "$link")" = "$APP_DIR/$(basename "$link")" ]; then
        rm -f "$link"
    fi
}

if [ "$ACTION" = "uninstall" ]; then
    remove_link_into_app "$BIN_DIR/planner"
    remove_link_into_app "$BIN_DIR/planner-cli"
    rm -f "$DESKTOP_FILE"
    for icon in "$ICON_ROOT"/*/apps/"$APP_ID".png "$ICON_ROOT"/*/apps/"$APP_ID".svg; do
        [ -e "$icon" ] && rm -f "$icon"
    done
    if [ -x "$APP_DIR/planner" ]; then
        rm -rf "$APP_DIR"
    fi
    refresh_desktop_caches
    echo "Removed Networking Planner from $APP_DIR."
    echo "Each user's data was left in place (~/.local/share/$APP_ID, ~/.config/$APP_ID, ~/.local/state/$APP_ID)."
    exit 0
fi

# --- install or update --------------------------------------------------------------------
if [ -z "$SOURCE" ]; then
    here="$(cd "$(dirname "$0")" && pwd)"
    if [ -x "$here/planner" ]; then
        SOURCE="$here"  # running from inside the build folder
    elif [ -x "$here/../dist/planner/planner" ]; then
        SOURCE="$here/../dist/planner"  # running from a source checkout after a build
    else
        echo "install-linux.sh: cannot find the build; pass --from path/to/dist/planner" >&2
        exit 1
    fi
fi
SOURCE="$(cd "$SOURCE" && pwd)"
RESOURCES="$SOURCE/_internal/resources"
for needed in "$SOURCE/planner" "$SOURCE/planner-cli" "$RESOURCES/$APP_ID.desktop"; do
    if [ ! -e "$needed" ]; then
        echo "install-linux.sh: $SOURCE is not a Networking Planner build ($needed missing)" >&2
        exit 1
    fi
done
if [ "$SOURCE" = "$APP_DIR" ]; then
    echo "install-linux.sh: $SOURCE is already the installed copy; run the script from a new build." >&2
    exit 1
fi

mkdir -p "$(dirname "$APP_DIR")" "$BIN_DIR" "$APPS_DIR"
# Copy next to the old copy, then swap, so an update never leaves a half-copied program.
staging="$APP_DIR.new.$$"
rm -rf "$staging"
cp -a "$SOURCE" "$staging"
if [ "$MODE" = "system" ]; then
    # Whoever unpacked the build must not be able to change the program everyone runs.
    chown -R 0:0 "$staging"
    chmod -R u+rwX,go+rX,go-w "$staging"
fi
if [ -e "$APP_DIR" ]; then
    previous="$APP_DIR.old.$$"
    mv "$APP_DIR" "$previous"
    mv "$staging" "$APP_DIR"
    rm -rf "$previous"
    verb="Updated"
else
    mv "$staging" "$APP_DIR"
    verb="Installed"
fi

ln -sfn "$APP_DIR/planner" "$BIN_DIR/planner"
ln -sfn "$APP_DIR/planner-cli" "$BIN_DIR/planner-cli"

# The menu entry runs the program by its full path: ~/.local/bin is not always on PATH.
sed -e "s|^Exec=planner|Exec=$APP_DIR/planner|" \
    -e "s|^TryExec=planner|TryExec=$APP_DIR/planner|" \
    "$RESOURCES/$APP_ID.desktop" >"$DESKTOP_FILE.tmp"
chmod 644 "$DESKTOP_FILE.tmp"
mv "$DESKTOP_FILE.tmp" "$DESKTOP_FILE"

for src in "$RESOURCES"/icons/hicolor/*/apps/"$APP_ID".*; do
    size_dir="$(basename "$(dirname "$(dirname "$src")")")"
    mkdir -p "$ICON_ROOT/$size_dir/apps"
    install -m 644 "$src" "$ICON_ROOT/$size_dir/apps/"
done
refresh_desktop_caches

echo "$verb Networking Planner $("$APP_DIR/planner-cli" --version 2>/dev/null | sed 's/^Networking Planner //' || true) in $APP_DIR"
echo "Menu entry: $DESKTOP_FILE; commands: $BIN_DIR/planner, $BIN_DIR/planner-cli"
case ":$PATH:" in
    *":$BIN_DIR:"*) ;;
    *) echo "Note: $BIN_DIR is not on your PATH; the menu entry works regardless." ;;
esac
echo "User data is not part of the install and was not touched."
