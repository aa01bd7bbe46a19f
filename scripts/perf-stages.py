#!/usr/bin/env python3
"""Folds `perf script` output of the server into stacks and stages.

    perf record --call-graph dwarf -F 499 -p <server pid> -o up.data -- sleep 20
    perf script -i up.data | scripts/perf-stages.py [--dso visitnotes-server] [--folded up.folded] [--top 25]

Prints the share of samples per thread kind, per stage of upload and pull
(body read, authentication, parse, verify, transaction, commit, answer,
pull query, pull encoding, ...), and the hottest symbols by self time.
`--dso` keeps only the samples with a frame in that binary (for a
recording of the benchmark and the servers it starts, `perf record -- visitnotes-bench ...`: the server's threads). `--folded` writes the stacks in the folded form (thread;root;...;leaf count)
that flame graph tools (inferno-flamegraph, flamegraph.pl) draw.

A sample's stage is the first rule, in the order below, that matches any
frame of its stack: a SHA-256 under the request's authentication counts as
authentication, one under the batch's checks as verify.
"""

import argparse
import collections
import re
import sys

# (stage, pattern over "frame;frame;...", root first). Order matters.
STAGES = [
    ("commit (WAL write, fsync, checkpoint)",
     r"sqlite3PagerCommitPhaseOne|sqlite3WalFrames|walCheckpoint|sqlite3WalCheckpoint|sqlite3BtreeCommitPhase|"
     r"unixSync|fsync|fdatasync|pagerWalFrames"),
    ("upload: verify (per-note checks, hashes)", r"verify_batch|verify_unsigned|notes::storable"),
    ("upload: transaction (inserts, index, quota, audit)", r"db::notes::upload|upload_writer|check_history"),
    ("authentication (body hash, Ed25519, nonce)",
     r"http::signed|http::auth|ed25519|curve25519|request::verify|nonce"),
    ("pull: query and rows (SQLite, hex of columns)", r"db::notes::pull|notes::pulled|columns::header|store_state"),
    ("pull: audit entry per page", r"db::audit::|audit::append|storage::Storage::pull.*audit"),
    ("parse (postcard/JSON)", r"json_or_postcard|postcard::de|serde_json::de|body::json"),
    ("answer (encode, write)", r"postcard::ser|to_stdvec|serde_json::ser|HttpResponse|MessageBody|"
                               r"h1::encoder|Dispatcher.*poll_flush|write_buf"),
    ("body read (HTTP in)", r"body::read|PayloadDecoder|h1::payload|Payload|BytesMut::extend"),
    ("SQLite, other", r"sqlite3"),
    ("HTTP, runtime (actix, tokio)", r"actix|tokio::|mio::|h1::"),
]

# Inclusive time (a sample counts for each of these its stack passes
# through), to split a stage further.
INCLUSIVE = [
    ("request authentication (http::auth::authenticate)", r"http::auth::authenticate"),
    ("  SHA-256 of the body (request::message)", r"request::message"),
    ("  Ed25519 verify of the request", r"auth::authenticate.*(ed25519|ED25519|signature::UnparsedPublicKey|ge_double)"),
    ("body read (http::body::read)", r"http::body::read"),
    ("upload body parse (body::json_or_postcard)", r"json_or_postcard"),
    ("batch checks (db::notes::verify_batch)", r"notes::verify_batch"),
    ("  SHA-256 of each file (envelope::check_file)", r"envelope::check_file"),
    ("  age header read (age_header::read)", r"age_header"),
    ("upload writer thread (Writer::run)", r"upload_writer::Writer::run"),
    ("  inserts (db::notes::upload)", r"db::notes::upload"),
    ("    history check (check_history)", r"check_history"),
    ("  audit entry (db::audit::append)", r"db::audit::append"),
    ("  commit (sqlite3VdbeHalt: WAL frames, fsync)", r"sqlite3VdbeHalt"),
    ("    WAL checksums (walChecksumBytes)", r"walChecksumBytes"),
    ("    fsync", r"fsync|fdatasync|unixSync"),
    ("  checkpoint", r"[Cc]heckpoint"),
    ("pull page (db::notes::pull)", r"db::notes::pull"),
    ("  SQLite stepping (Rows::advance)", r"notes::pull.*FallibleStreamingIterator>::advance"),
    ("  header columns to the wire form (columns::header: hex, ids)", r"notes::pull.*columns::header"),
    ("  ciphertext copied out of SQLite (Row::get)", r"notes::pull::\{\{closure\}\};rusqlite::row::Row::get"),
    ("  store state of the page (store_state)", r"store_state"),
    ("pull: the page's audit entry and its commit", r"Core<T,S>::poll;visitnotes_server::db::Db::write;"
                                                    r"(visitnotes_server::db::audit::append|rusqlite)"),
    ("answer: postcard encode (to_stdvec / postcard::ser)", r"postcard::ser|to_stdvec|to_allocvec"),
    ("answer: JSON encode (serde_json::ser)", r"serde_json::ser"),
    ("kernel: TCP send", r"tcp_sendmsg"),
    ("kernel: TCP receive", r"tcp_recvmsg"),
    ("memcpy", r"memcpy|memmove"),
    ("malloc/free", r"malloc|free|realloc|cfree"),
]

FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.+?)\s+\((.*)\)\s*$")


def thread_kind(comm):
    if comm.startswith("upload-writer"):
        return "upload writer"
    if comm.startswith("actix-rt") or comm.startswith("actix-server"):
        return "HTTP workers (actix)"
    if comm.startswith("tokio-runtime") or comm.startswith("blocking"):
        return "blocking pool"
    return comm


def clean(symbol):
    symbol = re.sub(r"\+0x[0-9a-f]+$", "", symbol)
    symbol = re.sub(r"::h[0-9a-f]{16}$", "", symbol)
    return symbol.replace(";", ":")


def samples(lines, dso_filter):
    comm, frames, dsos = None, [], set()
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if comm is not None and (dso_filter is None or any(dso_filter in d for d in dsos)):
                yield comm, list(reversed(frames))
            comm, frames, dsos = None, [], set()
        elif not line.startswith((" ", "\t")):
            comm = line.split()[0]
            # perf shortens thread names to 15 characters; keep the kind.
        else:
            m = FRAME.match(line)
            if m:
                sym, dso = m.group(1), m.group(2)
                dsos.add(dso.rsplit("/", 1)[-1])
                frames.append(clean(sym) if sym != "[unknown]" else "[" + dso.rsplit("/", 1)[-1] + "]")
    if comm is not None and (dso_filter is None or any(dso_filter in d for d in dsos)):
        yield comm, list(reversed(frames))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dso")
    ap.add_argument("--folded")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    stages = [(name, re.compile(pattern)) for name, pattern in STAGES]
    by_kind, by_stage, leaves, folded, inclusive = (collections.Counter() for _ in range(5))
    inclusive_rx = [(name, re.compile(pattern)) for name, pattern in INCLUSIVE]
    total = 0
    for comm, stack in samples(sys.stdin, args.dso):
        total += 1
        kind = thread_kind(comm)
        by_kind[kind] += 1
        joined = ";".join(stack)
        stage = next((name for name, rx in stages if rx.search(joined)), "other")
        if any("kernel" in f or f.startswith("[k") for f in stack[-1:]) and stage == "other":
            stage = "kernel, other"
        by_stage[(kind, stage)] += 1
        leaves[stack[-1] if stack else "?"] += 1
        for name, rx in inclusive_rx:
            if rx.search(joined):
                inclusive[name] += 1
        folded[kind + ";" + joined] += 1
    if not total:
        sys.exit("no samples read")
    print(f"{total} samples")
    print("\nby thread kind")
    for kind, n in by_kind.most_common():
        print(f"  {100 * n / total:5.1f} %  {kind}")
    print("\nby stage (thread kind: stage)")
    for (kind, stage), n in by_stage.most_common():
        print(f"  {100 * n / total:5.1f} %  {kind}: {stage}")
    print("\ninclusive (a sample counts for every line its stack passes through)")
    for name, _ in INCLUSIVE:
        if inclusive[name]:
            print(f"  {100 * inclusive[name] / total:5.1f} %  {name}")
    print(f"\nhottest symbols, self time (top {args.top})")
    for sym, n in leaves.most_common(args.top):
        print(f"  {100 * n / total:5.1f} %  {sym[:150]}")
    if args.folded:
        with open(args.folded, "w") as out:
            for stack, n in folded.items():
                out.write(f"{stack} {n}\n")


if __name__ == "__main__":
    main()
