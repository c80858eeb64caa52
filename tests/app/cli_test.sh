#!/bin/sh
# End-to-end checks of the `tranche` command line: exit codes, messages and outputs.
# Usage: cli_test.sh PATH_TO_TRANCHE SOURCE_DIR
set -u
tranche="$1"
source_dir="$2"
failures=0
checks=0

expect_exit() {  # expected-code description command...
  expected="$1"; shift
  description="$1"; shift
  checks=$((checks + 1))
  "$@" > cli_test.out 2> cli_test.err
  actual=$?
  if [ "$actual" -ne "$expected" ]; then
    echo "FAIL: $description: exit $actual, expected $expected"; cat cli_test.err
    failures=$((failures + 1))
  fi
}

expect_output() {  # description pattern file
  checks=$((checks + 1))
  if ! grep -q -- "$2" "$3"; then
    echo "FAIL: $1: '$2' not in $3:"; cat "$3"
    failures=$((failures + 1))
  fi
}

expect_exit 0 "--help" "$tranche" --help
expect_output "--help lists commands" "prices" cli_test.out
expect_exit 0 "--version" "$tranche" --version
expect_output "--version prints the version" "tranche 0.1.0" cli_test.out
expect_exit 2 "no subcommand is bad usage" "$tranche"
expect_exit 2 "an unknown option is bad usage" "$tranche" --no-such-option

rm -f cli_test.out cli_test.err
echo "cli: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
