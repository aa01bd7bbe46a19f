#!/usr/bin/env bash
# Writes what the Debian packages ship beside the binaries but cargo does not
# build: the manual pages (from the clap definitions, through the hidden
# `man` commands), the shell completions of `visitnotes`, and the licence
# notices of the crates compiled into each program.
#
#   scripts/package-assets.sh target/release --notices   # a release (scripts/dist.sh)
#   scripts/package-assets.sh target/debug               # CI's test packages
#
# into DIR/package-assets/visitnotes/{man,completions}/,
# DIR/package-assets/visitnotes-server/man/ and
# DIR/package-assets/THIRD-PARTY-LICENSES.txt, where the
# [package.metadata.deb] assets of client/Cargo.toml and server/Cargo.toml
# look for them. --notices needs cargo-about (packaging/about.toml); without
# it the notices file only says that it is a test build's.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: scripts/package-assets.sh TARGET_PROFILE_DIR [--notices]"
dir=${1:?$usage}
notices=no
case "${2:-}" in
    "") ;;
    --notices) notices=yes ;;
    *) echo "$usage" >&2; exit 2 ;;
esac
out=$dir/package-assets
for bin in visitnotes visitnotes-server; do
    [ -x "$dir/$bin" ] || { echo "package-assets: $dir/$bin is missing: build it first" >&2; exit 1; }
done
rm -rf "$out"
mkdir -p "$out/visitnotes/completions"
# An empty profile directory: generating files must not look at (or clean up
# in) the profile of whoever builds the package.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$dir/visitnotes" --home "$scratch" man --out "$out/visitnotes/man"
"$dir/visitnotes-server" man --out "$out/visitnotes-server/man"
"$dir/visitnotes" --home "$scratch" completions bash > "$out/visitnotes/completions/visitnotes.bash"
"$dir/visitnotes" --home "$scratch" completions zsh > "$out/visitnotes/completions/_visitnotes"
"$dir/visitnotes" --home "$scratch" completions fish > "$out/visitnotes/completions/visitnotes.fish"
# One notices file for every package: the crates of `visitnotes` on Linux and
# Windows, which include the server's (the client embeds it for `demo`).
# cargo-about reads some 300 licence files: about three minutes.
if [ "$notices" = yes ]; then
    cargo about generate --offline --locked --fail -c packaging/about.toml -m client/Cargo.toml \
        --target x86_64-unknown-linux-gnu --target x86_64-pc-windows-gnu \
        packaging/third-party-licenses.hbs -o "$out/THIRD-PARTY-LICENSES.txt"
else
    echo "A test build: the licence notices of the crates compiled into Visitnotes are in the release packages (scripts/dist.sh)." \
        > "$out/THIRD-PARTY-LICENSES.txt"
fi
# An empty page or script would install without complaint: check each.
for f in "$out"/visitnotes/man/visitnotes.1 "$out"/visitnotes-server/man/visitnotes-server.1 "$out"/visitnotes/completions/* "$out"/THIRD-PARTY-LICENSES.txt; do
    [ -s "$f" ] || { echo "package-assets: $f is empty" >&2; exit 1; }
done
# Debian ships manual pages compressed (-n: no name or time inside, so the
# same pages give the same bytes).
gzip -9n "$out"/visitnotes/man/*.1 "$out"/visitnotes-server/man/*.1
echo "package-assets: $(find "$out" -type f | wc -l) files in $out"
