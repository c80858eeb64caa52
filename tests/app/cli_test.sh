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

# calendar: NYSE from the bundled tables.
expect_exit 0 "calendar --help" "$tranche" --data-dir "$source_dir/data" calendar --help
expect_output "calendar --help explains --at" "--at" cli_test.out
expect_exit 0 "calendar --at after the early close" "$tranche" --data-dir "$source_dir/data" calendar \
  --at 2024-11-29T18:30:00Z
expect_output "the day after Thanksgiving is closed at 13:30 New York time" \
  "NYSE at 2024-11-29T18:30:00Z (2024-11-29T13:30:00-05:00 EST): closed" cli_test.out
expect_output "the next open is Monday's" "next open:  2024-12-02T14:30:00Z" cli_test.out
expect_output "the next close is Monday's" "next close: 2024-12-02T21:00:00Z" cli_test.out
expect_exit 0 "calendar --at during a session" "$tranche" --data-dir "$source_dir/data" calendar \
  --at 2024-11-29T12:00:00-05:00
expect_output "open at noon New York time" "): open" cli_test.out
expect_exit 0 "calendar --from --to" "$tranche" --data-dir "$source_dir/data" calendar \
  --from 2024-11-27 --to 2024-12-02
expect_output "the early close is flagged" \
  "2024-11-29  open 2024-11-29T14:30:00Z (09:30 EST)  close 2024-11-29T18:00:00Z (13:00 EST)  early close" \
  cli_test.out
if [ "$(wc -l < cli_test.out)" -ne 3 ]; then  # Wednesday, Friday, Monday: Thursday is Thanksgiving
  echo "FAIL: 3 sessions from 2024-11-27 to 2024-12-02 expected:"; cat cli_test.out
  failures=$((failures + 1))
fi
expect_exit 0 "calendar shows a late open" "$tranche" --data-dir "$source_dir/data" calendar \
  --from 1995-12-18 --to 1995-12-18
expect_output "the 1995-12-18 late open" "open 1995-12-18T15:30:00Z (10:30 EST).*late open" cli_test.out
expect_exit 0 "calendar --venue crypto" "$tranche" --data-dir "$source_dir/data" calendar --venue crypto \
  --at 2024-11-30T12:00:00Z
expect_output "crypto trades on a Saturday" "CRYPTO at 2024-11-30T12:00:00Z .*: open" cli_test.out
expect_exit 1 "calendar --at without a zone" "$tranche" --data-dir "$source_dir/data" calendar --at 2024-11-29T18:30:00
expect_output "a bad timestamp is named" "invalid timestamp '2024-11-29T18:30:00'" cli_test.err
expect_exit 1 "calendar --from an impossible date" "$tranche" --data-dir "$source_dir/data" calendar --from 2023-02-29 --to 2023-03-01
expect_output "a bad date is named" "invalid date '2023-02-29'" cli_test.err
expect_exit 1 "calendar for an unknown venue" "$tranche" --data-dir "$source_dir/data" calendar --venue LSE --at 2024-11-29T18:30:00Z
expect_output "known venues are listed" "known venues: 24/7, CRYPTO, NASDAQ, NYSE, XNYS" cli_test.err
expect_exit 1 "calendar outside the tables' years" "$tranche" --data-dir "$source_dir/data" calendar --at 2040-01-01T00:00:00Z
expect_output "the covered range is named" "covers 1990-01-01 to 2035-12-31" cli_test.err
expect_exit 2 "calendar without --at or a range" "$tranche" --data-dir "$source_dir/data" calendar
expect_exit 2 "calendar --from without --to" "$tranche" --data-dir "$source_dir/data" calendar --from 2024-01-01
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
