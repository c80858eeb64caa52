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



# estimate: expected returns and covariance (values: PyPortfolioOpt 1.5.6's tests and pandas 1.5.3
# on the same bundled file; see tests/optimize/estimators_test.cpp).
prices="$source_dir/data/prices/stock_prices.csv"
spy="$source_dir/data/prices/spy_prices.csv"
expect_exit 0 "estimate --help" "$tranche" estimate --help
expect_output "estimate --help lists the risk models" "ledoit-wolf-constant-correlation" cli_test.out
expect_exit 0 "estimate json" "$tranche" estimate --prices "$prices" --format json
expect_output "estimate json: compounded mean return of GOOG" '"GOOG": 0.247967139483561' cli_test.out
expect_output "estimate json: sample variance of GOOG" "0.093211136576291" cli_test.out
expect_output "estimate json: covariance symbols" '"symbols": \[' cli_test.out
expect_exit 0 "estimate ledoit-wolf" "$tranche" estimate --prices "$prices" --risk ledoit-wolf --format json
expect_output "estimate ledoit-wolf: GOOG variance as PyPortfolioOpt" "0.04552887001847" cli_test.out
expect_exit 0 "estimate capm against SPY" "$tranche" estimate --prices "$prices" --returns capm \
  --market "$spy" --risk-free-rate 0.02 --format json
expect_output "estimate capm: GOOG as PyPortfolioOpt's test" '"GOOG": 0.091157993756547' cli_test.out
expect_exit 0 "estimate table" "$tranche" estimate --prices "$prices" --risk oracle-approximating
expect_output "estimate table: shrinkage shown" "shrinkage 0.00206396" cli_test.out
expect_exit 0 "estimate semicovariance with a benchmark" "$tranche" estimate --prices "$prices" \
  --risk semicovariance --benchmark 0 --format json
expect_exit 0 "estimate ema returns and exp covariance with one span" "$tranche" estimate --prices "$prices" \
  --returns ema --risk exp --span 60 --no-compounding --frequency 52
expect_output "estimate table names the models" "expected annual returns (ema, arithmetic, frequency 52)" cli_test.out
expect_exit 2 "estimate: unknown --risk" "$tranche" estimate --prices "$prices" --risk bogus
expect_output "estimate: unknown --risk lists the models" "bogus not in {sample,semicovariance" cli_test.err
expect_exit 2 "estimate: --span 0" "$tranche" estimate --prices "$prices" --returns ema --span 0
expect_output "estimate: --span 0 says why" "must be >= 1, got 0" cli_test.err
expect_exit 2 "estimate: --frequency 0" "$tranche" estimate --prices "$prices" --frequency 0
expect_output "estimate: --frequency 0 says why" "must be > 0, got 0" cli_test.err
expect_exit 2 "estimate: non-numeric --frequency" "$tranche" estimate --prices "$prices" --frequency abc
expect_output "estimate: non-numeric --frequency says why" "expected a number, got 'abc'" cli_test.err
expect_exit 2 "estimate: --market without capm" "$tranche" estimate --prices "$prices" --market "$spy"
expect_output "estimate: --market without capm says why" "applies to --returns capm only" cli_test.err
expect_exit 2 "estimate: --benchmark without semicovariance" "$tranche" estimate --prices "$prices" --benchmark 0
expect_exit 1 "estimate: missing price file" "$tranche" estimate --prices no-such-file.csv
printf 'date,AAA,BBB\n2024-01-02,1,\n2024-01-03,1.1,\n2024-01-04,1.2,2\n' > cli_test_short.csv
expect_exit 1 "estimate: a symbol without returns" "$tranche" estimate --prices cli_test_short.csv
expect_output "estimate: names the symbol without returns" "BBB has 0 returns" cli_test.err
rm -f cli_test_short.csv

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
# optimize: mean-variance portfolios (values: PyPortfolioOpt 1.5.6's test suite on the bundled
# file; see tests/optimize/efficient_frontier_test.cpp).
expect_exit 0 "optimize --help" "$tranche" optimize --help
expect_output "optimize --help lists the objectives" "efficient-return" cli_test.out
expect_exit 0 "optimize max-sharpe table" "$tranche" optimize --prices "$prices" --objective max-sharpe \
  --risk-free-rate 0.02
expect_output "optimize table: return as PyPortfolioOpt" "Expected annual return: 30.5%" cli_test.out
expect_output "optimize table: Sharpe as PyPortfolioOpt" "Sharpe ratio (risk-free rate 0.02): 1.28" cli_test.out
expect_exit 0 "optimize min-volatility json" "$tranche" optimize --prices "$prices" --objective min-volatility \
  --format json
expect_output "optimize json: volatility" '"volatility": 0.159150845141' cli_test.out
expect_output "optimize json: raw weights" '"GE": 0.0,' cli_test.out
expect_output "optimize json: solve time" '"solve_seconds": ' cli_test.out
expect_exit 0 "optimize shorting json" "$tranche" optimize --prices "$prices" --objective min-volatility \
  --bounds none,none --format json
expect_output "optimize shorting: volatility as PyPortfolioOpt" '"volatility": 0.155591536726' cli_test.out
expect_exit 0 "optimize efficient-return csv, cleaned" "$tranche" optimize --prices "$prices" \
  --objective efficient-return --target-return 0.25 --format csv --clean
expect_output "optimize csv header" "^symbol,weight$" cli_test.out
expect_output "optimize csv: cleaned weight has 5 decimals" "^MA,0.1[0-9]\{0,4\}$" cli_test.out
printf 'symbol,sector\nGOOG,tech\nAAPL,tech\nFB,tech\nAMZN,tech\nBABA,tech\nAMD,tech\nMA,fig\nJPM,fig\nBAC,fig\n' \
  > cli_test_sectors.csv
printf 'sector,lower,upper\ntech,,0.2\nfig,0.02,0.4\n' > cli_test_limits.csv
expect_exit 0 "optimize with sector limits" "$tranche" optimize --prices "$prices" --objective max-sharpe \
  --sectors cli_test_sectors.csv --sector-limits cli_test_limits.csv --format csv
printf 'sector,lower,upper\ntech,0.7,none\nfig,0.7,1\n' > cli_test_limits.csv
expect_exit 1 "optimize: sector lower limits over the budget" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --sectors cli_test_sectors.csv --sector-limits cli_test_limits.csv
expect_output "optimize: infeasible sectors are named" "sector .* lower limit 0.7" cli_test.err
printf 'sector,lower,upper\ntech,abc,1\n' > cli_test_limits.csv
expect_exit 1 "optimize: bad sector limit cell" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --sectors cli_test_sectors.csv --sector-limits cli_test_limits.csv
expect_output "optimize: bad cell names file, line and column" "cli_test_limits.csv:2:2" cli_test.err
rm -f cli_test_sectors.csv cli_test_limits.csv
expect_exit 0 "optimize frontier plot" "$tranche" optimize --prices "$prices" --objective max-sharpe \
  --frontier 10 --plot cli_test_frontier.svg --frontier-csv cli_test_frontier.csv
expect_output "frontier svg marks max Sharpe" ">max Sharpe</text>" cli_test_frontier.svg
expect_output "frontier svg marks min volatility" ">min volatility</text>" cli_test_frontier.svg
expect_output "frontier csv starts at the min-volatility point" "^0.150568213994825" cli_test_frontier.csv
expect_exit 0 "market-neutral frontier plot" "$tranche" optimize --prices "$prices" --objective min-volatility \
  --bounds -1,1 --market-neutral --frontier 5 --plot cli_test_frontier.svg
expect_output "the plot says why max Sharpe is not marked" "no max-Sharpe mark: max Sharpe needs weights that sum to 1" \
  cli_test.err
rm -f cli_test_frontier.svg cli_test_frontier.csv
expect_exit 1 "optimize: target return too high" "$tranche" optimize --prices "$prices" \
  --objective efficient-return --target-return 0.5
expect_output "optimize: names the best return" "above 0.388666, the highest expected return" cli_test.err
expect_exit 1 "optimize: target volatility too low" "$tranche" optimize --prices "$prices" \
  --objective efficient-risk --target-volatility 0.1
expect_output "optimize: names the minimum volatility" "below 0.159151, the minimum volatility" cli_test.err
expect_exit 1 "optimize: risk-free rate too high" "$tranche" optimize --prices "$prices" --objective max-sharpe \
  --risk-free-rate 0.5
expect_output "optimize: rejects rf at or above the best return" "at or above 0.388666" cli_test.err
expect_exit 2 "optimize: non-numeric risk-free rate" "$tranche" optimize --prices "$prices" \
  --objective max-sharpe --risk-free-rate abc
expect_exit 1 "optimize: bounds above the budget" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --bounds 0.1,1
expect_output "optimize: bounds conflict named" "lower bounds sum to 2, above the required total weight 1" \
  cli_test.err
expect_exit 2 "optimize: bad --bounds" "$tranche" optimize --prices "$prices" --objective min-volatility \
  --bounds 0,x
expect_exit 2 "optimize: efficient-return without a target" "$tranche" optimize --prices "$prices" \
  --objective efficient-return
expect_output "optimize: says what is missing" "needs --target-return" cli_test.err
expect_exit 2 "optimize: unknown objective" "$tranche" optimize --prices "$prices" --objective best
expect_exit 1 "optimize: max-return without bounds" "$tranche" optimize --prices "$prices" \
  --objective max-return --bounds none,none
expect_output "optimize: unbounded is reported" "unbounded" cli_test.err
# optimize --constraint, --current-weights, --transaction-cost (values: exact KKT solves in numpy and
# scipy; see tests/optimize/constraints_and_costs_test.cpp).
expect_exit 0 "optimize --help" "$tranche" optimize --help
expect_output "optimize --help shows the constraint grammar" "AAPL + 0.5\*MSFT <= 0.3" cli_test.out
expect_output "optimize --help states the default transaction cost" "default 0.001" cli_test.out
expect_exit 0 "optimize with binding constraints" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "GOOG >= 0.05" --constraint "T + 0.5*XOM <= 0.2" --format json
expect_output "binding constraints: volatility of the KKT optimum" '"volatility": 0.16018369118' cli_test.out
expect_exit 0 "optimize with binding constraints, cleaned" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "GOOG >= 0.05" --constraint "T + 0.5*XOM <= 0.2" --format csv --clean
expect_output "binding constraints: GOOG at its floor" "^GOOG,0.05$" cli_test.out
expect_output "binding constraints: T at the KKT optimum" "^T,0.12216$" cli_test.out
expect_exit 0 "optimize with an equality and a leading minus" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "-FB + AMZN == 0" --format json
expect_output "equality: volatility of the KKT optimum" '"volatility": 0.16267495598' cli_test.out
expect_exit 2 "optimize: malformed constraint" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "GOOG + * AAPL <= 0.3"
expect_output "malformed constraint: column and what was expected" \
  "constraint 'GOOG + \* AAPL <= 0.3': column 8: expected a coefficient or a symbol, found '\*'" cli_test.err
expect_exit 2 "optimize: strict less-than is refused" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "GOOG < 0.3"
expect_output "less-than: the relations are listed" "column 6: expected '+', '-', '<=', '>=' or '=='" cli_test.err
expect_exit 1 "optimize: constraint on an unknown symbol" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "APPL <= 0.3"
expect_output "unknown symbol named" "column 1: unknown symbol APPL: not one of the 20 assets (did you mean AAPL?)" \
  cli_test.err
expect_exit 1 "optimize: contradictory constraints" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --constraint "GOOG + AAPL >= 0.7" --constraint "AAPL + 2*GOOG <= 0.5"
expect_output "contradictory constraints quoted" "still misses: constraint 'GOOG + AAPL >= 0.7' (off by 0.2)" cli_test.err
printf 'symbol,weight\n' > cli_test_current.csv
for symbol in GOOG AAPL FB BABA AMZN GE AMD WMT BAC GM T UAA SHLD XOM RRC BBY MA PFE JPM SBUX; do
  printf '%s,0.05\n' "$symbol" >> cli_test_current.csv
done
expect_exit 0 "optimize with a transaction cost" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv --transaction-cost 0.001 --format json
expect_output "transaction cost 0.001: turnover of the KKT optimum" '"turnover": 1.17734667183' cli_test.out
expect_exit 0 "optimize with the default transaction cost" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv
expect_output "default cost is 0.001" "Turnover from current weights: 117.7% (transaction cost 0.001)" cli_test.out
expect_exit 0 "optimize with a larger transaction cost" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv --transaction-cost 0.01 --format json
expect_output "transaction cost 0.01: less turnover" '"turnover": 0.74434245876' cli_test.out
expect_exit 0 "optimize with no transaction cost" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv --transaction-cost 0 --format json
expect_output "no cost: the unpenalised optimum" '"volatility": 0.159150845141' cli_test.out
printf 'symbol,weight\nGOOG,1\n' > cli_test_current.csv
expect_exit 0 "optimize: a huge cost keeps the current weights" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv --transaction-cost 1 --format csv --clean
expect_output "huge cost: GOOG kept" "^GOOG,1$" cli_test.out
expect_output "huge cost: symbols left out of the file weigh 0" "^SBUX,0$" cli_test.out
expect_exit 1 "optimize: max Sharpe refuses transaction costs" "$tranche" optimize --prices "$prices" \
  --objective max-sharpe --current-weights cli_test_current.csv
expect_output "max Sharpe: says why" "max Sharpe cannot include transaction costs" cli_test.err
printf 'symbol,weight\nGOOG,0.5\nMSFT,0.5\n' > cli_test_current.csv
expect_exit 1 "optimize: current weights name an unknown symbol" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv
expect_output "unknown current symbol: file, line, field" \
  "cli_test_current.csv:3:1: field 'symbol': expected a column of the prices, found symbol 'MSFT'" cli_test.err
printf 'symbol,weight\nGOOG,half\n' > cli_test_current.csv
expect_exit 1 "optimize: current weight not a number" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv
expect_output "bad current weight: file, line, field" "cli_test_current.csv:2:2: field 'weight'" cli_test.err
rm -f cli_test_current.csv
expect_exit 2 "optimize: negative transaction cost" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --current-weights cli_test_current.csv --transaction-cost -0.1
expect_output "negative transaction cost: what was expected" "expected a finite number >= 0, got -0.1" cli_test.err
expect_exit 2 "optimize: transaction cost without current weights" "$tranche" optimize --prices "$prices" \
  --objective min-volatility --transaction-cost 0.001
expect_output "transaction cost: says what is missing" "needs --current-weights FILE" cli_test.err

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

# The daily cycle on the chapter's two-account book: block -> allocate -> reconcile.
book="$source_dir/data/book/chapter"
work=$(mktemp -d)
expect_exit 0 "block the chapter's book" "$tranche" --data-dir "$source_dir/data" block --book "$book" \
  --at 2024-11-29T15:00:00Z --out "$work/blocks" --weights printed
expect_output "block counts orders" "^orders    2 (2 sent, 0 rejected)$" cli_test.out
expect_output "block writes the chapter's GLD block" "^0,GLD,BUY,6.8606$" "$work/blocks/MasterOrder.csv"
expect_output "block writes the chapter's VTI block" "^3,VTI,BUY,6.589$" "$work/blocks/MasterOrder.csv"
expect_output "block writes exact splits" "^2,987654321,House,IEI,BUY,13.2638$" "$work/blocks/splits.csv"
expect_exit 1 "block refuses printed weights under the exact rule" "$tranche" --data-dir "$source_dir/data" block \
  --book "$book" --at 2024-11-29T15:00:00Z --out "$work/exact"
expect_output "the weight sum is named with file and line" \
  "models.csv:2:1: field 'model': model portfolio 'Moderate': weights sum to 1.00001, not exactly 1" cli_test.err
expect_exit 0 "block on Thanksgiving rejects every order" "$tranche" --data-dir "$source_dir/data" block \
  --book "$book" --at 2024-11-28T15:00:00Z --out "$work/holiday" --weights printed
expect_output "a closed market is a reason" \
  "^1,123456789,market_open,the market for GLD is closed at 2024-11-28T15:00:00Z$" "$work/holiday/rejections.csv"
expect_exit 0 "block --cents rounds blocks for the broker" "$tranche" --data-dir "$source_dir/data" block \
  --book "$book" --at 2024-11-29T15:00:00Z --out "$work/cents" --weights printed --cents
expect_output "cents block" "^0,GLD,BUY,6.86$" "$work/cents/MasterOrder.csv"
expect_output "cents note" "rounded down to whole cents" cli_test.out
expect_exit 0 "allocate the chapter's fills" "$tranche" allocate --book "$book" --blocks "$work/blocks" \
  --fills "$book/fills_MasterOrder_Filled.csv" --out "$work/after" --weights printed
expect_output "allocate books four fills" "^fills        4 booked, 0 already booked$" cli_test.out
expect_output "the chapter's units, at the fill's decimals" \
  "^123456789,GLD,BUY,0.02213974052,Retirement,1,163.22,3.62$" "$work/after/Account_Allocations.csv"
expect_output "cash left in cents" "^987654321,Roth IRA,APPROVED,1.42$" "$work/after/accounts.csv"
expect_output "orders are filled" "^1,123456789,Retirement,BUY,10.00,FILLED$" "$work/after/orders.csv"
expect_output "cash movements debit buys" "^987654321,2,IEI,BUY,-12.58$" "$work/after/cash_movements.csv"
expect_exit 0 "allocate the same fills again" "$tranche" allocate --book "$work/after" --blocks "$work/blocks" \
  --fills "$book/fills_MasterOrder_Filled.csv" --out "$work/again" --weights printed
expect_output "the second run books nothing" "^fills        0 booked, 4 already booked$" cli_test.out
checks=$((checks + 1))
if ! cmp -s "$work/after/holdings.csv" "$work/again/holdings.csv" || \
   ! cmp -s "$work/after/accounts.csv" "$work/again/accounts.csv"; then
  echo "FAIL: applying the same fills twice changed the book"; failures=$((failures + 1))
fi
expect_exit 0 "reconcile after the cycle" "$tranche" reconcile --book "$work/after" --weights printed \
  --custodian "$book/custodian_positions.csv" --custodian "$book/custodian_cash.csv"
expect_output "no breaks" "^no breaks$" cli_test.out
expect_exit 3 "reconcile before the cycle has breaks" "$tranche" reconcile --book "$book" --weights printed \
  --custodian "$book/custodian_positions.csv" --custodian "$book/custodian_cash.csv"
expect_output "a cash break" "^123456789,cash,11,0.58,10.42$" cli_test.out
expect_output "a position break" "^987654321,VTI,0,0.01927308169,-0.01927308169$" cli_test.out
printf 'OrderID,Symbol,Type,Units,Price\n0,GLD,BUY,0.5,abc\n' > "$work/bad_fills.csv"
expect_exit 1 "allocate refuses a bad price" "$tranche" allocate --book "$book" --blocks "$work/blocks" \
  --fills "$work/bad_fills.csv" --out "$work/bad" --weights printed
expect_output "the bad cell is named" "bad_fills.csv:2:5: field 'Price': expected a decimal number, found 'abc'" cli_test.err
printf 'OrderID,Symbol,Type,Units,Price\n1,GLD,BUY,0.5,100\n' > "$work/wrong_block.csv"
expect_exit 1 "allocate refuses a fill naming another block" "$tranche" allocate --book "$book" \
  --blocks "$work/blocks" --fills "$work/wrong_block.csv" --out "$work/bad" --weights printed
expect_output "the mismatched OrderID is named" "OrderID 1 is not the block of GLD BUY (block 0)" cli_test.err
expect_exit 2 "block without --at is bad usage" "$tranche" block --book "$book" --out "$work/x"
rm -rf "$work"

# models: model portfolios built by the optimizer (efficient return per model, long-only).
work=$(mktemp -d)
printf 'model,target_return\nGrowth,0.25\nConservative,0.16\n' > "$work/targets.csv"
expect_exit 0 "models builds efficient-return models" "$tranche" models --prices "$source_dir/data/prices/stock_prices.csv" \
  --targets "$work/targets.csv" --out "$work/models.csv"
expect_output "models says the weights sum to 1" "^Growth: target return 0.25, [0-9]* symbols, weights sum to 1$" cli_test.out
expect_output "models writes the book's shape" "^model,symbol,weight$" "$work/models.csv"
expect_output "models writes cleaned weights" "^Growth,[A-Z]*,0\.[0-9]\{1,5\}$" "$work/models.csv"
checks=$((checks + 1))
sum=$(awk -F, '$1 == "Growth" { split($3, p, "."); s += p[2] * 10 ^ (5 - length(p[2])) } END { print s }' "$work/models.csv")
if [ "$sum" != "100000" ]; then echo "FAIL: Growth weights sum to $sum hundred-thousandths, not 100000"; failures=$((failures + 1)); fi
printf 'model,target_return\nDreams,5\n' > "$work/impossible.csv"
expect_exit 1 "models refuses an unreachable target" "$tranche" models --prices "$source_dir/data/prices/stock_prices.csv" \
  --targets "$work/impossible.csv" --out "$work/none.csv"
expect_output "the unreachable model is named" "model 'Dreams': target return 5 is above" cli_test.err
rm -rf "$work"

# demo: the whole cycle on both bundled books (the chapter's values, as in the checks above).
work=$(mktemp -d)
expect_exit 0 "demo runs the cycle on the bundled books" "$tranche" --data-dir "$source_dir/data" demo --out "$work"
expect_output "demo prints the chapter's IEI block" "^  IEI    BUY           15.9037  (2 splits)$" cli_test.out
expect_output "demo prints the chapter's GLD fill" "^  GLD    BUY     0.04121002328 units at 163.22$" cli_test.out
expect_output "demo prints an account's allocation" "^    BUY  IEI        0.1091102734 units       12.58 paid$" cli_test.out
expect_output "demo prints cash before and after" "^  123456789           11.00 ->         0.58$" cli_test.out
expect_output "demo reconciles the chapter's book" "^reconciliation against the custodian's statement: 0 breaks$" cli_test.out
expect_output "demo reports the 100-account book's overdrafts" "^  account 100000023 paid 2076.51 for VTI, cash now -4.99$" cli_test.out
expect_output "demo writes the chapter's allocations" "^987654321,VTI,BUY,0.01927308169,House,2,201.54,3.89$" \
  "$work/chapter/book/Account_Allocations.csv"
expect_output "demo writes the 100-account book" "^100000023,Taxable,APPROVED,-4.99$" \
  "$work/m100/book/accounts.csv"
expect_exit 0 "demo without --out uses a temporary folder" "$tranche" --data-dir "$source_dir/data" demo
expect_output "demo names its temporary folder" "files in .*tranche-demo-" cli_test.out
rm -rf "$work" "$(sed -n 's/.*files in //p' cli_test.out)"

# A book of record: the chapter's cycle through a SQLite book (and a PostgreSQL one when
# TRANCHE_TEST_POSTGRES names a server), each command one transaction.
work=$(mktemp -d)
chapter="$source_dir/data/book/chapter"
run_cycle() {  # book-location tag
  expect_exit 0 "init ($2)" "$tranche" init --db "$1"
  expect_output "init migrates ($2)" "book at schema version 3" cli_test.out
  expect_exit 0 "import ($2)" "$tranche" import --db "$1" "$chapter" --weights printed --at 2024-11-29T14:00:00Z
  expect_output "import counts ($2)" "journal   10 events" cli_test.out
  expect_exit 0 "deposit ($2)" "$tranche" deposit --db "$1" --account 123456789 --amount 5 --at 2024-11-29T14:30:00Z
  expect_output "deposit adds cash ($2)" "account 123456789 cash 16.00" cli_test.out
  expect_exit 0 "block --db ($2)" "$tranche" block --db "$1" --at 2024-11-29T15:00:00Z --out "$work/blocks-$2"
  expect_output "block --db writes the master order ($2)" "^0,GLD,BUY,6.8606$" "$work/blocks-$2/MasterOrder.csv"
  expect_exit 0 "fills ($2)" "$tranche" fills --db "$1" "$chapter/fills_MasterOrder_Filled.csv" --at 2024-11-29T16:00:00Z
  expect_output "fills books four executions ($2)" "fills     4 booked, 0 already booked" cli_test.out
  expect_exit 0 "fills again ($2)" "$tranche" fills --db "$1" "$chapter/fills_MasterOrder_Filled.csv" --at 2024-11-29T16:05:00Z
  expect_output "fills again books nothing ($2)" "fills     0 booked, 4 already booked" cli_test.out
  expect_output "fills again names the execution ($2)" "ignored: execution 0 of block 1 is already booked" cli_test.err
  expect_exit 0 "report ($2)" "$tranche" report --db "$1"
  cp cli_test.out "$work/report-$2.txt"
  expect_output "report: cash after the cycle ($2)" "^123456789  Taxable   APPROVED  5.58$" cli_test.out
  expect_output "report: units ($2)" "^987654321  House       VTI     0.01927308169" cli_test.out
  expect_exit 0 "report json ($2)" "$tranche" report --db "$1" --format json
  cp cli_test.out "$work/report-$2.json"
  expect_output "report json: cash as text ($2)" '"cash": "1.42"' cli_test.out
  expect_exit 0 "journal ($2)" "$tranche" journal --db "$1" --since 28 --format json
  expect_output "journal --since ($2)" '^{"at":"2024-11-29T16:00:00Z","command":"fills .*","payload":{"order":"1","state":"FILLED"},"sequence":29,"type":"order_state_changed"}$' cli_test.out
  expect_exit 3 "reconcile --db finds the deposit ($2)" "$tranche" reconcile --db "$1" \
    --custodian "$chapter/custodian_positions.csv" --custodian "$chapter/custodian_cash.csv"
  expect_output "reconcile --db: the cash break ($2)" "^123456789,cash,5.58,0.58,5$" cli_test.out
}
run_cycle "$work/book.db" sqlite
expect_exit 0 "report again" "$tranche" report --db "$work/book.db"
cp cli_test.out "$work/report-again.txt"
expect_exit 0 "the same book prints the same bytes" cmp "$work/report-again.txt" "$work/report-sqlite.txt"
# Closes at the chapter's fill prices: GLD 0.02213974052 x 163.22 = 3.6136 of the goal's
# 10.4226 (Python's decimal module), weight 0.3467 against the model's 0.36858.
printf 'symbol,close\nGLD,163.22\nIEI,115.3\nTLT,102.9\nVTI,201.54\n' > "$work/closes.csv"
expect_exit 0 "report --prices" "$tranche" report --db "$work/book.db" --prices "$work/closes.csv"
expect_output "report --prices: the goal's value" "^123456789  Retirement  Moderate      10.42$" cli_test.out
expect_output "report --prices: weight and drift" "^123456789  Retirement  GLD     0.02213974052   163.22  3.61   0.3467  0.36858  -0.0219$" cli_test.out
printf 'symbol,close\nGLD,0\n' > "$work/bad_closes.csv"
expect_exit 1 "report refuses a zero close" "$tranche" report --db "$work/book.db" --prices "$work/bad_closes.csv"
expect_output "the bad close is named" "bad_closes.csv:2:2: field 'close': expected a positive close, found 0" cli_test.err
expect_exit 0 "journal as text" "$tranche" journal --db "$work/book.db"
expect_output "journal text lines" '^1 2024-11-29T14:00:00Z account_opened {"account":"123456789","status":"APPROVED","type":"Taxable"}  # import ' cli_test.out
mkdir "$work/bad"
cp "$chapter"/*.csv "$work/bad/"
printf 'order_id,account,goal,side,amount\n3,123456789,Retirement,BUY,10.00\n4,987654321,House,HOLD,5.00\n' > "$work/bad/orders.csv"
expect_exit 1 "import refuses a book folder with a bad row" "$tranche" import --db "$work/book.db" "$work/bad" --weights printed
expect_output "the bad cell is named" "orders.csv:3:4: field 'side'" cli_test.err
expect_exit 0 "journal after the refused import" "$tranche" journal --db "$work/book.db" --since 30
expect_exit 0 "nothing was written" test ! -s cli_test.out
expect_exit 1 "deposit to an unknown account" "$tranche" deposit --db "$work/book.db" --account 1 --amount 5
expect_output "the account is named" "no account 1" cli_test.err
expect_exit 1 "withdrawing more than the cash" "$tranche" deposit --db "$work/book.db" --account 987654321 --amount 1.43 --withdraw
expect_output "the withdrawal is refused" "withdrawal of 1.43 exceeds cash 1.42 of account 987654321" cli_test.err
expect_exit 1 "a book that does not exist" "$tranche" report --db "$work/none.db"
expect_output "says to init" "no such book" cli_test.err
if [ -n "${TRANCHE_TEST_POSTGRES:-}" ]; then
  run_cycle "$TRANCHE_TEST_POSTGRES" postgres
  expect_exit 0 "PostgreSQL and SQLite books print the same report" cmp "$work/report-sqlite.txt" "$work/report-postgres.txt"
  expect_exit 0 "and the same JSON" cmp "$work/report-sqlite.json" "$work/report-postgres.json"
fi
rm -rf "$work"

rm -f cli_test.out cli_test.err
echo "cli: $((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
