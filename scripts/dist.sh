#!/usr/bin/env bash
# Every release artefact, built with the release profile into target/dist/
# (RELEASING.md says how a release is cut and published):
#
#   visitnotes_VERSION-1_amd64.deb          the client for Debian and Ubuntu
#   visitnotes-server_VERSION-1_amd64.deb   the sync server for Debian and Ubuntu
#   visitnotes-VERSION-x86_64.msi           the client for Windows (per user)
#   visitnotes-VERSION-source.tar.gz        the source of exactly this build (git archive)
#   *.cdx.json                              software bills of materials (CycloneDX 1.5), one per program and target
#   SHA256SUMS                              the SHA-256 of each file above
#
#   scripts/dist.sh              # build, package, then test the packages
#   scripts/dist.sh --no-test    # build and package only
#
# The tests are scripts/deb-test.sh on the .debs built here (root, on a
# machine without Visitnotes installed) and scripts/windows.sh smoke-test on
# the MSI (under Wine). The tree must be clean: the source archive and the
# binaries are then the same commit.
#
# On two cores: the Linux release build about 10 minutes, the Windows one
# about as long again, packaging and tests a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

run_tests=yes
case "${1:-}" in
    "") ;;
    --no-test) run_tests=no ;;
    *) echo "usage: scripts/dist.sh [--no-test]" >&2; exit 2 ;;
esac

CARGO_DEB_VERSION=3.8.0
CARGO_CYCLONEDX_VERSION=0.5.9
CARGO_ABOUT_VERSION=0.9.3
dist=target/dist

if [ -n "$(git status --porcelain)" ]; then
    echo "dist: the work tree has changes; commit them first (the source archive is HEAD)" >&2
    git status --short >&2
    exit 1
fi
version=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="visitnotes"))')
commit=$(git rev-parse HEAD)
echo "dist: Visitnotes $version from $commit"

need_tool() {
    cargo install --list | grep -qx "$1 v$2:" || cargo install --locked "$1" --version "$2" "${@:3}"
}
need_tool cargo-deb "$CARGO_DEB_VERSION"
need_tool cargo-cyclonedx "$CARGO_CYCLONEDX_VERSION"
need_tool cargo-about "$CARGO_ABOUT_VERSION" --features cli   # the binary is behind that feature

rm -rf "$dist"
mkdir -p "$dist"

echo "dist: Linux release build"
cargo build --release --locked -p visitnotes -p visitnotes-server --bins
scripts/package-assets.sh target/release --notices
for pkg in visitnotes visitnotes-server; do
    cargo deb --no-build -p "$pkg" --output "$dist/"
done

echo "dist: Windows release build and MSI"
scripts/windows.sh msi "$dist" target/release/package-assets/THIRD-PARTY-LICENSES.txt

echo "dist: source archive and bills of materials"
git archive --format=tar.gz --prefix="visitnotes-$version/" -o "$dist/visitnotes-$version-source.tar.gz" "$commit"
# One SBOM per program and target, without build-time dependencies (they
# are not in the binaries). cargo-cyclonedx writes beside each Cargo.toml:
# moved into dist/ at once.
for target in x86_64-unknown-linux-gnu x86_64-pc-windows-gnu; do
    cargo cyclonedx --format json --spec-version 1.5 --no-build-deps --describe binaries \
        --target "$target" --target-in-filename -q
done
for bom in client/visitnotes_bin_x86_64-unknown-linux-gnu.cdx.json \
    client/visitnotes_bin_x86_64-pc-windows-gnu.cdx.json \
    server/visitnotes-server_bin_x86_64-unknown-linux-gnu.cdx.json; do
    mv "$bom" "$dist/"
done
# The ones for programs not released (the benchmark, the server on Windows).
find . -name '*.cdx.json' -not -path './target/*' -delete

(cd "$dist" && sha256sum -- * > SHA256SUMS)

if [ "$run_tests" = yes ]; then
    echo "dist: testing the packages"
    scripts/deb-test.sh --debs "$dist"
    scripts/windows.sh smoke-test "$dist/visitnotes-$version-x86_64.msi"
fi

echo "dist: done, in $dist:"
(cd "$dist" && ls -l && cat SHA256SUMS)
