#!/usr/bin/env bash
# Writes what the Debian packages ship beside the binaries but cargo does not
# build: the manual pages (from the clap definitions, through the hidden
# `man` commands) and the shell completions of `visitnotes`.
#
#   scripts/package-assets.sh target/release     # or target/debug (CI)
#
# into DIR/package-assets/visitnotes/{man,completions}/ and
# DIR/package-assets/visitnotes-server/man/, where the [package.metadata.deb]
# assets of client/Cargo.toml and server/Cargo.toml look for them.
set -euo pipefail
dir=${1:?usage: scripts/package-assets.sh TARGET_PROFILE_DIR (e.g. target/release)}
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
# An empty page or script would install without complaint: check each.
for f in "$out"/visitnotes/man/visitnotes.1 "$out"/visitnotes-server/man/visitnotes-server.1 "$out"/visitnotes/completions/*; do
    [ -s "$f" ] || { echo "package-assets: $f is empty" >&2; exit 1; }
done
# Debian ships manual pages compressed (-n: no name or time inside, so the
# same pages give the same bytes).
gzip -9n "$out"/visitnotes/man/*.1 "$out"/visitnotes-server/man/*.1
echo "package-assets: $(find "$out" -type f | wc -l) files in $out"
