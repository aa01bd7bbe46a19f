#!/usr/bin/env bash
# Mutation testing (cargo-mutants) of the security-critical code.
# Not in CI: it is slow (see docs/mutation-testing.md for runtimes and
# results).
#
#   scripts/mutants.sh [shared|auth|client|all] [extra cargo-mutants args]
#
# e.g. `scripts/mutants.sh client --shard 1/4`. Results go to
# target/mutants/PART/mutants.out (caught.txt, missed.txt, unviable.txt,
# timeout.txt, outcomes.json).
#
# Each part runs with only the tests that cover it:
#   shared  shared/src/{envelope,roster,rewrap,request,enrol,invite,padding}.rs
#           (envelope/ and its rewrap statement too), against the shared
#           crate's unit tests;
#   auth    server/src/http/auth.rs, against server/tests/api.rs and
#           server/tests/fuzz.rs (the signed-request header fuzz pass);
#   client  core/src/ops/roster.rs (all of it: fetch, verify, accept,
#           publish, renew) and the verify/accept functions of the other ops:
#           read.rs gaps, latest_revision, unshown_revision and their
#           helpers (gap detection, which note an id names); heads.rs
#           verified_heads, verified_last, watched, apply_revocations,
#           alerts; receipts.rs own_receipts (and received_span), alerts,
#           Delivery::received_by; admin.rs pending (the enrolment MAC
#           verdict); against the client's unit tests and the end-to-end
#           suites that attack them: hostile, heads, receipts, admin, e2e
#           (which note an id names in `note show`), follow_up (a leader
#           is not warned of gaps in a coordinator's numbers, of which it
#           gets only its own notes' follow-up records), restore (an
#           administrator publishes the newest roster again to a server
#           restored from a backup) and expiry (roster renewal).
#
# By default mutants are built in place (`--in-place`), reusing target/:
# a copy of the tree would rebuild every dependency first. The tree must
# be clean, and is checked clean afterwards (cargo-mutants puts every
# file back; if it was killed, `git checkout -- shared server core client`).
set -euo pipefail
cd "$(dirname "$0")/.."

part="${1:-all}"
shift || true

if [[ -n "$(git status --porcelain -- shared server core client)" ]]; then
    echo "mutants.sh: shared/, server/, core/ or client/ has uncommitted changes; commit or stash them first" >&2
    exit 1
fi

run() {
    local name="$1"
    shift
    echo "== mutants: $name"
    local started=$SECONDS
    local status=0
    mkdir -p "target/mutants/$name"
    cargo mutants --in-place --output "target/mutants/$name" "$@" || status=$?
    echo "== mutants: $name took $((SECONDS - started)) s (cargo-mutants exit $status: 0 all caught, 2 some missed, 3 some timed out)"
    # Property tests failing under a mutant save their cases: not ours to keep.
    git checkout -q -- ':(glob)**/proptest-regressions/**' 2>/dev/null || true
    git clean -qf -- ':(glob)**/proptest-regressions/**'
    if [[ -n "$(git status --porcelain -- shared server core client)" ]]; then
        echo "mutants.sh: the tree was left changed: git checkout -- shared server core client" >&2
        exit 1
    fi
}

shared() {
    local files=()
    for f in envelope roster rewrap request enrol invite padding; do
        files+=(--file "shared/src/$f.rs")
    done
    files+=(--file "shared/src/envelope/rewrap_statement.rs")
    run shared --package visitnotes-shared "${files[@]}" "$@" -- --lib
}

auth() {
    run auth --package visitnotes-server --file server/src/http/auth.rs "$@" -- --test api --test fuzz
}

client() {
    local functions='roster\.rs|read\.rs.* in (gaps|latest_revision|held_revision|unshown_revision|rows_of_prefix|newest_of_one_note)$|heads\.rs.* in (verified_heads|verified_last|watched|apply_revocations|alerts)$|receipts\.rs.* in (own_receipts|received_span|alerts|Delivery::received_by)$|admin\.rs.* in pending$'
    local regex='replace (gaps|latest_revision|held_revision|unshown_revision|rows_of_prefix|newest_of_one_note|verified_heads|verified_last|watched|apply_revocations|alerts|own_receipts|received_span|received_by|pending) ->'
    # The core's code is mutated; the client's end-to-end tests are what catch
    # it, so the whole workspace's tests run.
    run client --package visitnotes-core --test-workspace=true \
        --file core/src/ops/roster.rs --file core/src/ops/read.rs --file core/src/ops/heads.rs \
        --file core/src/ops/receipts.rs --file core/src/ops/admin.rs \
        --re "$functions" --re "^core/src/ops/[a-z]+\.rs:[0-9]+:[0-9]+: $regex" \
        "$@" -- --lib --test e2e -- \
        --skip web:: --skip canary:: --skip closed_pipe:: --skip leader:: --skip org_key:: --skip purge:: --skip alerts::
}

case "$part" in
    shared) shared "$@" ;;
    auth) auth "$@" ;;
    client) client "$@" ;;
    all)
        shared "$@"
        auth "$@"
        client "$@"
        ;;
    *)
        echo "usage: scripts/mutants.sh [shared|auth|client|all] [cargo-mutants args]" >&2
        exit 2
        ;;
esac
