#!/usr/bin/env bash
# Runs Falco's own event-generator suites (e2e_tests/evtgen_suite of falcosecurity/falco,
# which Falco's CI runs with event-generator against a live Falco and expects every test to
# pass) offline with kestrel, against the stable rules, on both simulated architectures.
#
#   scripts/falco-e2e-suites.sh FALCO [REV] [RULES]
#
# FALCO is a falco git repository (a clone or a bare mirror), REV the revision (HEAD),
# RULES the rules file (../shared/falcosecurity-rules/falco_rules.yaml). Not run by CI: the
# suites are not part of ../shared. Exit status 1 when a test fails on either architecture.
set -euo pipefail
falco=${1:?usage: $0 FALCO [REV] [RULES]}
rev=${2:-HEAD}
here=$(cd "$(dirname "$0")/.." && pwd)
rules=$(realpath "${3:-$here/../shared/falcosecurity-rules/falco_rules.yaml}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for f in $(git -C "$falco" ls-tree --name-only "$rev" e2e_tests/evtgen_suite/); do
  git -C "$falco" show "$rev:$f" >"$work/$(basename "$f")"
done
status=0
for arch in amd64 arm64; do
  printf '%s: ' "$arch"
  node "$here/dist/src/cli/main.js" test --arch "$arch" -r "$rules" "$work/*.yaml" >"$work/report-$arch.txt" || status=1
  tail -n 1 "$work/report-$arch.txt"
  grep -v '^PASS \|^SKIP \|^     runIf: ' "$work/report-$arch.txt" | sed '/^$/d;$d' || true
done
exit "$status"
