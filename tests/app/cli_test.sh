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

# tranche prices
stock_prices="$source_dir/data/prices/stock_prices.csv"
bad_prices="$source_dir/tests/fixtures/prices/error_not_a_number.csv"
expect_exit 0 "prices summarises the bundled file" "$tranche" prices --prices "$stock_prices"
expect_output "prices counts rows" "^rows     7126$" cli_test.out
expect_output "prices lists symbols" "^symbols  20: GOOG AAPL FB BABA" cli_test.out
expect_output "prices gives the date range" "^first    1989-12-29$" cli_test.out
expect_output "prices counts missing cells" "^missing  35589 of 142520 cells$" cli_test.out
expect_output "prices gives each symbol's first date" "^GOOG    2004-08-19  2018-04-11     3691$" cli_test.out
expect_exit 0 "prices --format json" "$tranche" prices --prices "$stock_prices" --format json
expect_output "prices json counts rows" '"rows": 7126' cli_test.out
expect_output "prices json gives first dates" '"first_date": "2014-09-19"' cli_test.out
expect_exit 1 "prices refuses a bad cell" "$tranche" prices --prices "$bad_prices"
expect_output "prices names file, line, column and field" \
  "error_not_a_number.csv:3:3: field 'MSFT': expected a number, found 'abc'" cli_test.err
expect_exit 1 "prices of a missing file is an error" "$tranche" prices --prices no-such-prices.csv
expect_output "prices says which file is missing" \
  "tranche: cannot read 'no-such-prices.csv': No such file or directory" cli_test.err
expect_exit 2 "prices without --prices is bad usage" "$tranche" prices
expect_exit 2 "prices with an unknown format is bad usage" "$tranche" prices --prices "$stock_prices" --format xml

rm -f cli_test.out cli_test.err
echo "cli: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
