#!/usr/bin/env bash
# The phone library from Kotlin, on the desktop JVM, against the real sync
# server: builds libvisitnotes_mobile.so, generates its Kotlin bindings with
# the workspace's own uniffi-bindgen, compiles them with a Kotlin 2 compiler
# and runs mobile/kotlin/LeaderTest.kt, a leader's whole path (enrol, wait,
# approval, a note with mistakes then right, sync, "received by Kari",
# Kari's follow-up, edit, delete), with the administrator and the
# coordinator Kari on the real `visitnotes` command line.
#
#   scripts/kotlin-test.sh          # the test (CI: after `cargo test --workspace --no-run`)
#   scripts/kotlin-test.sh --bench  # mobile/kotlin/Bench.kt on a release build: the figures in BENCHMARKS.md
#   scripts/kotlin-test.sh --bench dev  # the same on the test build (quicker to build, slower to run)
#
# Needs: java and javac (Debian: default-jdk-headless), JNA
# (/usr/share/java/jna.jar, Debian: libjna-java), pip (to fetch the Kotlin
# compiler once into target/kotlin-compiler) and curl. It runs the test
# build (`cargo test --workspace --no-run`, made first if need be): the
# CLI, the server, the generator and the library's .so. Debian's own kotlin package is too old for the
# generated code, and Maven Central may not be reachable: the compiler comes
# from the PyPI package kotlin-jupyter-kernel, which ships
# org.jetbrains.kotlin.cli.jvm.K2JVMCompiler and the Kotlin standard library.
set -euo pipefail
cd "$(dirname "$0")/.."

KERNEL_VERSION=0.19.0.944
JNA=${JNA_JAR:-/usr/share/java/jna.jar}
mode=test
case "${1:-}" in
    "") ;;
    --bench) mode=bench; bench_profile=${2:-release} ;;
    *) echo "usage: scripts/kotlin-test.sh [--bench [release|dev]]" >&2; exit 2 ;;
esac

step_name="start"
step() { step_name=$1; echo "kotlin-test: $1"; }
fail() { echo "kotlin-test: FAILED at \"$step_name\": $*" >&2; exit 1; }

for tool in java javac curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install default-jdk-headless curl python3)"
done
[ -f "$JNA" ] || fail "$JNA is missing (apt-get install libjna-java, or set JNA_JAR)"

work=$(mktemp -d /tmp/kotlin-test.XXXXXX)
server_pid=
cleanup() {
    status=$?
    set +e
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    if [ "$status" != 0 ]; then
        echo "kotlin-test: FAILED (exit $status) at \"$step_name\"; the server's log:" >&2
        tail -20 "$work/serve.log" >&2 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The generator and the library as the test build makes them (for
# mobile/bindgen/tests/kotlin.rs): after `cargo test --workspace --no-run`
# (CI) this builds nothing. Another selection (`-p`, or `cargo build`
# without the tests' dev-dependencies) would resolve other features and
# compile the core and much of its dependencies a second time.
step "the bindings generator (uniffi-bindgen, the library's own UniFFI) and the library, from the test build"
cargo test -q --workspace --locked --no-run
if [ "$mode" = bench ] && [ "$bench_profile" = release ]; then
    # The phone's build: this package's features alone (no generator).
    step "the library, release"
    cargo build -q -p visitnotes-mobile --locked --lib --release
    lib=target/release/libvisitnotes_mobile.so
else
    # A dependency's cdylib stays in deps/; the newest is this build's.
    lib=$(ls -t target/debug/deps/libvisitnotes_mobile*.so 2>/dev/null | head -1)
    [ -n "$lib" ] || fail "no target/debug/deps/libvisitnotes_mobile*.so after the test build"
fi
libdir=$(dirname "$lib")
out=target/kotlin-test
rm -rf "$out/bindings" "$out/classes"
target/debug/uniffi-bindgen generate --library "$lib" --language kotlin --out-dir "$out/bindings" >/dev/null
bindings=$(find "$out/bindings" -name '*.kt')
if [ "$mode" = bench ] && [ "$bench_profile" = release ]; then
    strip -o "$work/stripped.so" "$lib"
    echo "bench: libvisitnotes_mobile.so, release, stripped: $(stat -c %s "$work/stripped.so") bytes ($(stat -c %s "$lib") before strip)"
fi
[ -n "$bindings" ] || fail "no Kotlin bindings generated"

step "the Kotlin compiler (kotlin-jupyter-kernel $KERNEL_VERSION from PyPI, kept in target/kotlin-compiler)"
jars=target/kotlin-compiler/$KERNEL_VERSION
if [ ! -f "$jars/kotlin-stdlib.jar" ]; then
    mkdir -p "$jars"
    python3 -m pip download --quiet --no-deps --dest "$jars" "kotlin-jupyter-kernel==$KERNEL_VERSION"
    wheel=$(ls "$jars"/kotlin_jupyter_kernel-*.whl)
    python3 - "$wheel" "$jars" <<'EOF'
import re, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        base = name.rsplit("/", 1)[-1]
        if re.fullmatch(r"kotlin-jupyter-kernel-.*-all\.jar", base):
            open(f"{dest}/kotlin-compiler.jar", "wb").write(z.read(name))
        elif re.fullmatch(r"kotlin-stdlib-[0-9].*\.jar", base):
            open(f"{dest}/kotlin-stdlib.jar", "wb").write(z.read(name))
EOF
    rm -f "$wheel"
fi
[ -f "$jars/kotlin-compiler.jar" ] && [ -f "$jars/kotlin-stdlib.jar" ] || fail "the wheel has no compiler or standard library jar"
kotlinc() {
    java -Xss8m -cp "$jars/kotlin-compiler.jar" org.jetbrains.kotlin.cli.jvm.K2JVMCompiler \
        -no-stdlib -no-reflect -jvm-target 17 -cp "$jars/kotlin-stdlib.jar:$JNA" "$@"
}

step "compile the bindings and the Kotlin program"
# shellcheck disable=SC2086
kotlinc -nowarn -d "$out/classes" $bindings mobile/kotlin/LeaderTest.kt mobile/kotlin/Bench.kt 2>&1 \
    | grep -v '^warning:' || true
[ -f "$out/classes/LeaderTestKt.class" ] || fail "the Kotlin program did not compile"

step "the sync server on an ephemeral loopback port"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=http://127.0.0.1:$port
target/debug/visitnotes-server init --data "$work/server" --public-url "$url" > "$work/init.txt"
bootstrap=$(tail -1 "$work/init.txt")
[[ "$bootstrap" == VN1-* ]] || fail "init printed no invite: $(cat "$work/init.txt")"
target/debug/visitnotes-server serve --data "$work/server" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || fail "the server stopped: $(cat "$work/serve.log")"
    sleep 0.1
done
curl -fsS "$url/healthz" >/dev/null || fail "no answer on $url/healthz"

step "the administrator and the coordinator Kari (command line)"
# The command-line people's passphrase and a light key derivation for them;
# the phone's leader uses the library's own (the real one).
export VISITNOTES_KDF_LOG_N=10 VISITNOTES_PASSPHRASE="kotlin test passphrase" VISITNOTES_BIN=target/debug/visitnotes
export ADMIN_HOME=$work/admin COORDINATOR_HOME=$work/kari
unset EDITOR VISUAL
vn() { home=$1; shift; target/debug/visitnotes --home "$home" "$@"; }
vn "$ADMIN_HOME" enroll "$bootstrap" --name "Ada Admin" --unit "Unit A" --unit "Unit B" > "$work/admin-enroll.txt"
kari_invite=$(vn "$ADMIN_HOME" admin invite --role coordinator --name Kari | tail -1)
vn "$COORDINATOR_HOME" enroll "$kari_invite" --name Kari > "$work/kari-enroll.txt"
vn "$ADMIN_HOME" admin approve --all > "$work/approve.txt"
vn "$COORDINATOR_HOME" sync > "$work/kari-sync.txt"
leader_invite=$(vn "$ADMIN_HOME" admin invite --role leader --name "Ola Leader" | tail -1)
[[ "$leader_invite" == VN1-* ]] || fail "no invite for the leader: $leader_invite"

main=LeaderTestKt
[ "$mode" = bench ] && main=BenchKt
step "run $main on the JVM against $lib"
java -Djna.library.path="$libdir" -cp "$out/classes:$jars/kotlin-stdlib.jar:$JNA" "$main" "$work" "$leader_invite" \
    || fail "$main failed"
step "passed"
