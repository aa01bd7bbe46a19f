#!/usr/bin/env bash
# Prints the figures quoted in TESTING.md: attacks refused, kills survived,
# bad inputs tried, load held, canary places. Anyone can run it:
#   scripts/figures.sh                      # CI-sized runs
#   VISITNOTES_CRASH_KILLS=1000 VISITNOTES_LOAD_SECS=30 scripts/figures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
run() { cargo test -q "$@" -- --nocapture 2>&1; }
{
  run -p visitnotes --test e2e hostile::
  run -p visitnotes-server --test crash
  run -p visitnotes-server --test limits
  run -p visitnotes-server --test load
  run -p visitnotes --test e2e canary::
  run -p visitnotes-shared fuzz
} | grep -oE "(hostile:|crash test:|load:|canary:|flood:|bad input:|1 GiB|test result:).*"
