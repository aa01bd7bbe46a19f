#!/usr/bin/env bash
# The Windows client, made on Debian: `visitnotes.exe` cross-built for
# x86_64-pc-windows-gnu with mingw-w64, packed into a per-user MSI with wixl
# (packaging/windows/visitnotes.wxs), and smoke-tested under Wine.
#
#   scripts/windows.sh msi OUT_DIR [NOTICES]     # release build -> OUT_DIR/visitnotes-VERSION-x86_64.msi
#   scripts/windows.sh smoke-test MSI [SERVER]   # installs it in a throwaway Wine prefix and runs it
#
# Needs (Debian 12): `rustup target add x86_64-pc-windows-gnu`,
# `apt-get install gcc-mingw-w64-x86-64 wixl msitools wine64`, and
# cargo-about for the licence notices; this script installs what is
# missing. The smoke test also needs the Linux
# `visitnotes-server` (target/release/, which scripts/dist.sh builds first,
# or the one named after the MSI): the Windows client enrols against it
# before `visitnotes ui` is tried.
#
# Wine is not Windows: this shows the installer installs, registers and
# uninstalls, and the installed program runs its whole path. A release is
# still tried on a real Windows before it is announced (RELEASING.md).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
CARGO_ABOUT_VERSION=0.9.3
wine=/usr/lib/wine/wine64

fail() { echo "windows: FAILED: $*" >&2; exit 1; }

need_tools() {
    local missing=()
    command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
    command -v wixl >/dev/null || missing+=(wixl)
    command -v msiinfo >/dev/null || missing+=(msitools)
    [ -x "$wine" ] || missing+=(wine64)
    if [ ${#missing[@]} -gt 0 ]; then
        apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
    rustup target list --installed | grep -qx "$TARGET" || rustup target add "$TARGET"
    cargo install --list | grep -qx "cargo-about v$CARGO_ABOUT_VERSION:" || cargo install --locked cargo-about --version "$CARGO_ABOUT_VERSION" --features cli
}

version() {
    cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="visitnotes"))'
}

build_msi() {
    local out=${1:?usage: scripts/windows.sh msi OUT_DIR [NOTICES]}
    # The licence notices: the file scripts/package-assets.sh --notices made
    # (it covers Windows too), or made here with cargo-about.
    local notices=${2:-}
    need_tools
    # Default features, as on Linux: `visitnotes demo` included.
    cargo build --release --locked --target "$TARGET" -p visitnotes --bin visitnotes
    local exe=target/$TARGET/release/visitnotes.exe
    # Only Windows' own DLLs: mingw's runtime (libgcc_s_seh-1.dll,
    # libwinpthread-1.dll, ...) is not on a Windows machine.
    if x86_64-w64-mingw32-objdump -p "$exe" | grep -i 'DLL Name: lib'; then
        fail "visitnotes.exe needs one of mingw's DLLs (above), which Windows does not have"
    fi
    local v stage
    v=$(version)
    stage=$(mktemp -d)
    cp "$exe" "$stage/visitnotes.exe"
    x86_64-w64-mingw32-strip "$stage/visitnotes.exe"
    # Windows users open .txt with Notepad; CRLF line ends for it.
    sed 's/$/\r/' LICENSE > "$stage/LICENSE.txt"
    if [ -n "$notices" ]; then
        sed 's/$/\r/' "$notices" > "$stage/THIRD-PARTY-LICENSES.txt"
    else
        cargo about generate --offline --locked --fail -c packaging/about.toml -m client/Cargo.toml \
            --target "$TARGET" packaging/third-party-licenses.hbs | sed 's/$/\r/' > "$stage/THIRD-PARTY-LICENSES.txt"
    fi
    cp packaging/windows/visitnotes.ico packaging/windows/visitnotes.wxs "$stage/"
    mkdir -p "$out"
    (cd "$stage" && wixl -a x64 -D Version="$v" -o "visitnotes-$v-x86_64.msi" visitnotes.wxs)
    mv "$stage/visitnotes-$v-x86_64.msi" "$out/"
    rm -rf "$stage"
    echo "windows: $out/visitnotes-$v-x86_64.msi"
}

smoke_test() {
    local msi=${1:?usage: scripts/windows.sh smoke-test MSI [SERVER]}
    msi=$(realpath "$msi")
    need_tools
    # Not an environment variable: the server reads every VISITNOTES_SERVER_* as a setting.
    local server=${2:-target/release/visitnotes-server}
    [ -x "$server" ] || fail "$server is missing: cargo build --release -p visitnotes-server (or name another)"
    local v
    v=$(version)
    # Globals: the EXIT trap reads them after this function has returned.
    work=$(mktemp -d /tmp/windows-smoke.XXXXXX)
    server_pid=''
    ui_pid=''
    export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
    # shellcheck disable=SC2064
    trap "kill \$server_pid \$ui_pid 2>/dev/null; /usr/lib/wine/wineserver -k 2>/dev/null; rm -rf '$work'" EXIT

    echo "windows: a new Wine prefix"
    "$wine" wineboot --init >/dev/null 2>&1
    local user=${USER:-$(id -un)}
    local install_dir="$WINEPREFIX/drive_c/users/$user/AppData/Local/Programs/Visitnotes"
    local start_menu="$WINEPREFIX/drive_c/users/$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs"

    echo "windows: msiexec /i $(basename "$msi") /qn"
    "$wine" msiexec /i "Z:${msi//\//\\}" /qn >/dev/null 2>&1 || fail "msiexec /i failed"
    [ -f "$install_dir/visitnotes.exe" ] || fail "no visitnotes.exe in $install_dir"
    [ -f "$install_dir/LICENSE.txt" ] || fail "no LICENSE.txt in $install_dir"
    grep -q 'MIT License' "$install_dir/THIRD-PARTY-LICENSES.txt" || fail "no licence notices in $install_dir"
    [ -f "$start_menu/Visitnotes.lnk" ] || fail "no Start-menu entry in $start_menu"
    [ -f "$start_menu/Visitnotes command prompt.lnk" ] || fail "no command-prompt entry in $start_menu"
    "$wine" reg query 'HKCU\Software\Classes\visitnotes\shell\open\command' 2>/dev/null | grep -q 'visitnotes.exe' \
        || fail "the visitnotes: link handler is not registered"

    # Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's std
    # needs: the stand-in goes into this throwaway prefix only.
    x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
        packaging/windows/wine-test/bcryptprimitives.c packaging/windows/wine-test/bcryptprimitives.def -ladvapi32
    local exe="C:\\users\\$user\\AppData\\Local\\Programs\\Visitnotes\\visitnotes.exe"
    vn() { "$wine" "$exe" "$@"; }

    echo "windows: the installed visitnotes.exe --version"
    [ "$(vn --version | tr -d '\r')" = "visitnotes $v" ] || fail "--version: $(vn --version)"

    echo "windows: the installed visitnotes.exe demo"
    VISITNOTES_KDF_LOG_N=10 vn demo > "$work/demo.txt" 2>&1 || { cat "$work/demo.txt"; fail "demo"; }
    tail -3 "$work/demo.txt"

    echo "windows: enrol against the Linux server, then visitnotes ui --no-browser"
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$server" init --data "$work/server" --public-url "http://127.0.0.1:$port" > "$work/init.txt"
    "$server" serve --data "$work/server" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
    export VISITNOTES_PASSPHRASE="wine smoke test" VISITNOTES_KDF_LOG_N=10
    vn --home 'C:\visitnotes-profile' enroll "$(tail -1 "$work/init.txt")" --name "Wine Admin" --unit "Unit A" > "$work/enroll.txt" 2>&1 \
        || { cat "$work/enroll.txt"; fail "enroll"; }
    vn --home 'C:\visitnotes-profile' ui --no-browser > "$work/ui.txt" 2>&1 &
    ui_pid=$!
    local url=
    for _ in $(seq 1 100); do
        url=$(tr -d '\r' < "$work/ui.txt" | grep '^http://127\.0\.0\.1:[0-9]*/start?token=' || true)
        [ -n "$url" ] && break
        kill -0 "$ui_pid" 2>/dev/null || { cat "$work/ui.txt"; fail "visitnotes ui stopped"; }
        sleep 0.2
    done
    [ -n "$url" ] || { cat "$work/ui.txt"; fail "visitnotes ui printed no address"; }
    curl -fsS -L -c "$work/cookies" -b "$work/cookies" "$url" > "$work/page.html" || fail "no page at $url"
    grep -qi '<html' "$work/page.html" || fail "the answer at $url is not a page"
    echo "windows: the web app answered on ${url%%/start*}"
    # Ends the program (killing the wine process that started it is not
    # enough): a running visitnotes.exe would stay behind the uninstall.
    kill "$ui_pid" 2>/dev/null || true
    /usr/lib/wine/wineserver -k 2>/dev/null || true
    /usr/lib/wine/wineserver -w 2>/dev/null || true

    echo "windows: msiexec /x (uninstall)"
    "$wine" msiexec /x "Z:${msi//\//\\}" /qn >/dev/null 2>&1 || fail "msiexec /x failed"
    [ ! -e "$install_dir/visitnotes.exe" ] || fail "visitnotes.exe is still installed"
    [ ! -e "$start_menu/Visitnotes.lnk" ] || fail "the Start-menu entry is still there"
    [ ! -e "$start_menu/Visitnotes command prompt.lnk" ] || fail "the command-prompt entry is still there"
    if "$wine" reg query 'HKCU\Software\Classes\visitnotes' >/dev/null 2>&1; then fail "the link handler is still registered"; fi
    echo "windows: smoke test passed ($(basename "$msi"))"
}

case "${1:-}" in
    msi) build_msi "${2:-}" "${3:-}" ;;
    smoke-test) smoke_test "${2:-}" "${3:-}" ;;
    *) echo "usage: scripts/windows.sh msi OUT_DIR [NOTICES] | smoke-test MSI [SERVER]" >&2; exit 2 ;;
esac
