#!/usr/bin/env bash
# The Debian packages, installed for real: builds visitnotes and
# visitnotes-server .debs from binaries cargo already built, installs them on
# THIS machine with apt-get, uses the installed programs as an operator and
# two members would, then purges them and checks what is left.
#
#   scripts/deb-test.sh                    # binaries in target/debug (CI: after `cargo test --workspace --no-run`)
#   scripts/deb-test.sh --profile release  # binaries in target/release
#   scripts/deb-test.sh --debs target/dist # the .debs there, as built (scripts/dist.sh)
#
# Root only, and it changes the machine while it runs: two packages, the
# system user `visitnotes`, /var/lib/visitnotes and /var/lib/visitnotes-backups.
# It refuses to start where any of these is already there (a real server's
# data is never touched), and puts back what it made, also when a step fails.
#
# The server runs as its unit would run it, as the `visitnotes` user on the
# package's /var/lib/visitnotes, but started by this script: systemd is not
# PID 1 in a container, so the unit itself is checked with
# `systemd-analyze verify` and not started.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_DEB_VERSION=3.8.0
profile=dev
debs=
case "${1:-}" in
    "") ;;
    --profile) profile=${2:?--profile needs a cargo profile: dev or release} ;;
    --debs) debs=${2:?--debs needs the directory that holds the two .debs} ;;
    *) echo "usage: scripts/deb-test.sh [--profile dev|release | --debs DIR]" >&2; exit 2 ;;
esac
case "$profile" in
    dev) bindir=target/debug ;;
    *) bindir=target/$profile ;;
esac

step_name="start"
checks=0
step() { step_name=$1; echo "deb-test: $1"; }
fail() { echo "deb-test: FAILED at \"$step_name\": $*" >&2; exit 1; }
check() { checks=$((checks + 1)); }

[ "$(id -u)" = 0 ] || fail "run as root (it installs packages)"
if [ -z "$debs" ]; then
    for bin in visitnotes visitnotes-server; do
        [ -x "$bindir/$bin" ] || fail "$bindir/$bin is missing: cargo test --workspace --no-run (or cargo build) first"
    done
fi

step "refuse to run over an existing installation"
for pkg in visitnotes visitnotes-server; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -qv 'not-installed'; then
        fail "package $pkg is installed on this machine: the test installs and purges its own"
    fi
done
for dir in /var/lib/visitnotes /var/lib/visitnotes-backups /etc/visitnotes; do
    [ ! -e "$dir" ] || fail "$dir exists: it may be a real server's; the test leaves such a machine alone"
done
user_was_there=no
getent passwd visitnotes >/dev/null && user_was_there=yes

work=$(mktemp -d /tmp/deb-test.XXXXXX)
server_pid=
cleanup() {
    status=$?
    set +e
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    for pkg in visitnotes visitnotes-server; do
        if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -qv 'not-installed'; then
            DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$pkg" >/dev/null 2>&1
        fi
    done
    # Made by this run (they were not there at its start).
    rm -rf /var/lib/visitnotes /var/lib/visitnotes-backups /etc/visitnotes
    if [ "$user_was_there" = no ] && getent passwd visitnotes >/dev/null; then
        deluser --quiet --system visitnotes >/dev/null 2>&1
        getent group visitnotes >/dev/null && delgroup --quiet --system visitnotes >/dev/null 2>&1
    fi
    rm -rf "$work"
    if [ "$status" != 0 ]; then
        echo "deb-test: FAILED (exit $status) at \"$step_name\"; the machine was put back" >&2
    fi
}
trap cleanup EXIT

step "tools: cargo-deb $CARGO_DEB_VERSION, desktop-file-utils, man-db, systemd-analyze"
if [ -z "$debs" ] && [ "$(cargo deb --version 2>/dev/null || true)" != "$CARGO_DEB_VERSION" ]; then
    cargo install --locked --quiet cargo-deb --version "$CARGO_DEB_VERSION"
fi
if ! command -v desktop-file-validate >/dev/null || ! command -v man >/dev/null \
    || ! command -v systemd-analyze >/dev/null; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends desktop-file-utils man-db systemd >/dev/null
fi

if [ -n "$debs" ]; then
    step "the .debs in $debs"
    out=$(realpath "$debs")
else
    step "build the .debs from $bindir (cargo deb --no-build --profile $profile)"
    scripts/package-assets.sh "$bindir"
    out=$work/debs
    # Lighter compression for the test's packages: they are not shipped.
    fast=--fast
    for pkg in visitnotes visitnotes-server; do
        log=$work/cargo-deb-$pkg.log
        cargo deb --no-build --profile "$profile" $fast -p "$pkg" --output "$out/" > "$log" 2>&1 || { cat "$log"; fail "cargo deb -p $pkg"; }
        # cargo-deb warns that the dev profile is for tests only: that is what this is.
        grep -v -e "dev profile is not supported" -e "To enable debug symbols" "$log" || true
    done
fi
client_deb=$(ls "$out"/visitnotes_*.deb)
server_deb=$(ls "$out"/visitnotes-server_*.deb)
version=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="visitnotes"))')
ls -l "$client_deb" "$server_deb"

step "purge with nothing to keep leaves only the system user"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$server_deb" >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q visitnotes-server >/dev/null
for dir in /var/lib/visitnotes /var/lib/visitnotes-backups /etc/visitnotes; do
    [ ! -e "$dir" ] || fail "$dir is still there after purging an unused server"
done
check

step "install both with apt-get"
# Without the client's Recommends (xdg-utils, for `visitnotes ui` to open a
# browser): the test needs no browser, and no download from Debian.
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$client_deb" "$server_deb" >/dev/null
for pkg in visitnotes visitnotes-server; do
    dpkg-query -W -f='${Status}\n' "$pkg" | grep -qx 'install ok installed' || fail "$pkg is not installed"
done
files_before=$work/files
dpkg -L visitnotes visitnotes-server | sort -u > "$files_before"
[ "$(command -v visitnotes)" = /usr/bin/visitnotes ] || fail "visitnotes is not /usr/bin/visitnotes"
[ "$(command -v visitnotes-server)" = /usr/bin/visitnotes-server ] || fail "visitnotes-server is not /usr/bin/visitnotes-server"
visitnotes --version | grep -qx "visitnotes $version" || fail "visitnotes --version: $(visitnotes --version)"
visitnotes-server --version | grep -qx "visitnotes-server $version" || fail "visitnotes-server --version"
check

step "the system user and the private directories"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd visitnotes)
[ "$uid" -lt 1000 ] || fail "visitnotes has uid $uid: not a system user"
[ "$shell" = /usr/sbin/nologin ] || fail "visitnotes has the shell $shell"
[ "$home" = /var/lib/visitnotes ] || fail "visitnotes's home is $home"
for dir in /var/lib/visitnotes /var/lib/visitnotes-backups; do
    [ "$(stat -c '%U:%G %a' "$dir")" = "visitnotes:visitnotes 700" ] || fail "$dir is $(stat -c '%U:%G %a' "$dir")"
done
[ "$(stat -c '%U %a' /etc/visitnotes/visitnotes-server.env)" = "root 600" ] || fail "the settings file is not 0600 root"
grep -qx /etc/visitnotes/visitnotes-server.env /var/lib/dpkg/info/visitnotes-server.conffiles || fail "the settings file is not a conffile"
check

step "the systemd units: the package's drop-ins, verified"
for unit in visitnotes-server.service visitnotes-server-backup.service visitnotes-server-backup.timer; do
    [ -f "/usr/lib/systemd/system/$unit" ] || fail "$unit is not installed"
done
# verify loads each unit with its drop-ins and fails on an ExecStart= whose
# program is missing: the units alone name /usr/local/bin, which this
# machine does not have, so this passes only with the drop-ins' /usr/bin.
[ ! -e /usr/local/bin/visitnotes-server ] || fail "/usr/local/bin/visitnotes-server exists: the check below could not tell the drop-ins work"
systemd-analyze verify /usr/lib/systemd/system/visitnotes-server.service \
    /usr/lib/systemd/system/visitnotes-server-backup.service /usr/lib/systemd/system/visitnotes-server-backup.timer
# Nothing enabled or started on install: the server needs `init` first.
[ -z "$(ls /etc/systemd/system/*.wants/visitnotes-server* 2>/dev/null)" ] || fail "a unit was enabled on install"
check

step "the desktop entry, the icon and the visitnotes: link handler"
desktop=/usr/share/applications/visitnotes.desktop
desktop-file-validate "$desktop"
grep -qx 'Exec=visitnotes %u' "$desktop" || fail "Exec= is not 'visitnotes %u'"
grep -qx 'MimeType=x-scheme-handler/visitnotes;' "$desktop" || fail "the visitnotes: scheme is not registered"
grep -qx 'Categories=Office;' "$desktop" || fail "not in the Office menu"
grep -q '<svg' /usr/share/icons/hicolor/scalable/apps/visitnotes.svg || fail "the icon is not an SVG"
check

step "the licences"
for pkg in visitnotes visitnotes-server; do
    grep -q 'GNU AFFERO GENERAL PUBLIC LICENSE' "/usr/share/doc/$pkg/copyright" || fail "$pkg carries no AGPL text"
    notices=/usr/share/doc/$pkg/THIRD-PARTY-LICENSES.txt
    [ -s "$notices" ] || fail "$pkg has no $notices"
    # A release's packages (--debs) carry the real notices; CI's say they are a test build's.
    if [ -n "$debs" ]; then
        grep -q 'MIT License' "$notices" || fail "$notices holds no licence texts"
    fi
done
check

step "the manual pages: one per command and subcommand"
MANWIDTH=80 man visitnotes 2>/dev/null | grep -q 'Write, sign, encrypt, sync and read confidential visit notes' || fail "man visitnotes"
MANWIDTH=80 man visitnotes-server 2>/dev/null | grep -q 'sync server' || fail "man visitnotes-server"
pages=0
while read -r page; do
    name=$(basename "$page" .1.gz)
    MANWIDTH=80 man "$name" 2>/dev/null | grep -q '^SYNOPSIS' || fail "man $name shows no synopsis"
    pages=$((pages + 1))
done < <(grep '^/usr/share/man/man1/visitnotes.*\.1\.gz$' "$files_before")
# Every subcommand `--help` lists has its page (visitnotes note new -> visitnotes-note-new).
for sub in enroll note sync report alerts admin ui completions; do
    grep -qx "/usr/share/man/man1/visitnotes-$sub.1.gz" "$files_before" || fail "no page for visitnotes $sub"
done
grep -qx /usr/share/man/man1/visitnotes-note-new.1.gz "$files_before" || fail "no page for visitnotes note new"
grep -q 'visitnotes-man\.1' "$files_before" && fail "the hidden man command has a page"
echo "deb-test: $pages manual pages"
check

step "the shell completions"
bash -c '. /usr/share/bash-completion/completions/visitnotes && complete -p visitnotes' >/dev/null || fail "bash completion does not load"
head -1 /usr/share/zsh/vendor-completions/_visitnotes | grep -q '^#compdef visitnotes' || fail "zsh completion"
grep -q '^complete -c visitnotes' /usr/share/fish/vendor_completions.d/visitnotes.fish || fail "fish completion"
check

step "the installed server: init and check as the visitnotes user"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
as_server() { runuser -u visitnotes -- "$@"; }
as_server visitnotes-server init --data /var/lib/visitnotes --public-url "$url" > "$work/init.txt"
bootstrap=$(tail -1 "$work/init.txt")
[[ "$bootstrap" == VN1-* ]] || fail "init printed no invite: $(cat "$work/init.txt")"
# What the unit's ExecStartPre= runs.
as_server visitnotes-server check --data /var/lib/visitnotes --min-free-mb 100 > "$work/check.txt" || fail "check: $(cat "$work/check.txt")"
check

step "the installed server: serve on $url as the visitnotes user"
(
    # The unit's environment: its settings file (all comments as shipped).
    set -a
    # shellcheck disable=SC1091
    . /etc/visitnotes/visitnotes-server.env
    set +a
    exec runuser -u visitnotes -- visitnotes-server serve --data /var/lib/visitnotes --listen "127.0.0.1:$port"
) > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || fail "serve stopped: $(cat "$work/serve.log")"
    sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null || fail "no answer on $url/healthz"
check

step "the installed client: an administrator and a leader enrol, the leader writes and syncs"
export VISITNOTES_KDF_LOG_N=10 VISITNOTES_PASSPHRASE="deb test passphrase"
unset EDITOR VISUAL
admin=(visitnotes --home "$work/admin")
leader=(visitnotes --home "$work/leader")
"${admin[@]}" enroll "$bootstrap" --name "Ada Admin" --unit "Unit A" > "$work/admin-enroll.txt"
"${admin[@]}" admin invite --role leader --name "Bo Leader" > "$work/invite.txt"
invite=$(tail -1 "$work/invite.txt")
[[ "$invite" == VN1-* ]] || fail "admin invite printed no invite: $(cat "$work/invite.txt")"
"${leader[@]}" enroll "$invite" --name "Bo Leader" > "$work/leader-enroll.txt"
"${admin[@]}" admin approve --all > "$work/approve.txt"
"${leader[@]}" sync > "$work/leader-sync-1.txt"
secret="deb-test summary $RANDOM$RANDOM"
"${leader[@]}" --json note new --unit "Unit A" --met 2 --summary "$secret" > "$work/note.json"
grep -q '"note_id"' "$work/note.json" || fail "note new: $(cat "$work/note.json")"
"${leader[@]}" sync > "$work/leader-sync-2.txt"
"${leader[@]}" --json note list | grep -q "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["note_id"])' "$work/note.json")" \
    || fail "the leader's note is not in note list"
"${admin[@]}" sync > "$work/admin-sync.txt"
# The server holds ciphertext only.
if grep -rqa "$secret" /var/lib/visitnotes; then fail "the note's text is in the server's files"; fi
check

step "the installed server: backup as its timer would, audit verify"
as_server visitnotes-server backup --data /var/lib/visitnotes --out-dir /var/lib/visitnotes-backups --keep 14 > "$work/backup.txt"
ls /var/lib/visitnotes-backups/visitnotes-*.sqlite3 >/dev/null || fail "no backup in /var/lib/visitnotes-backups"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
as_server visitnotes-server audit verify --data /var/lib/visitnotes > "$work/audit.txt" || fail "audit verify: $(cat "$work/audit.txt")"
check

step "purge both: only what is documented to stay stays"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q visitnotes visitnotes-server >/dev/null
for pkg in visitnotes visitnotes-server; do
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -qv 'not-installed'; then
        fail "$pkg is still known to dpkg: $(dpkg-query -W -f='${Status}' "$pkg")"
    fi
done
# Every file the packages installed is gone (directories other packages share stay).
while read -r path; do
    if [ -e "$path" ] && [ ! -d "$path" ]; then fail "$path is still there"; fi
done < "$files_before"
[ ! -e /etc/visitnotes ] || fail "/etc/visitnotes is still there"
if find /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked \
    -name '*visitnotes*' 2>/dev/null | grep -q .; then
    fail "deb-systemd-helper still holds state for the units"
fi
# Documented to stay (docs/operator.md): the data, the backups and the user.
[ -f /var/lib/visitnotes/visitnotes.sqlite3 ] || fail "purge deleted the server's database"
ls /var/lib/visitnotes-backups/visitnotes-*.sqlite3 >/dev/null || fail "purge deleted the backups"
getent passwd visitnotes >/dev/null || fail "purge removed the visitnotes user"
check

echo "deb-test: passed ($checks groups of checks; packages $(basename "$client_deb") and $(basename "$server_deb"))"
