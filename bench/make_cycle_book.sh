#!/bin/sh
# Writes a synthetic book folder of N accounts (one goal and one BUY order each, over three
# models of 5 to 8 symbols) for timing `tranche block` and `tranche allocate` on files.
# Usage: bench/make_cycle_book.sh N DIR   (then see docs/benchmarks.md, section oms)
set -eu
n="$1"
dir="$2"
mkdir -p "$dir"
cat > "$dir/models.csv" <<'MODELS'
model,symbol,weight
Conservative,IEI,0.45
Conservative,TLT,0.2
Conservative,VTI,0.15
Conservative,GLD,0.12
Conservative,DBC,0.08
Moderate,VTI,0.3
Moderate,VEA,0.15
Moderate,IEI,0.2
Moderate,TLT,0.1
Moderate,GLD,0.1
Moderate,VNQ,0.1
Moderate,DBC,0.05
Growth,VTI,0.35
Growth,VEA,0.2
Growth,VWO,0.1
Growth,VNQ,0.1
Growth,IEI,0.08
Growth,TLT,0.07
Growth,GLD,0.06
Growth,DBC,0.04
MODELS
awk -v n="$n" -v dir="$dir" 'BEGIN {
  srand(1);
  split("Conservative Moderate Growth", models, " ");
  print "account,type,status,cash" > (dir "/accounts.csv");
  print "account,goal,model" > (dir "/goals.csv");
  print "order_id,account,goal,side,amount" > (dir "/orders.csv");
  for (i = 0; i < n; i++) {
    account = 100000000 + i;
    cents = 10000 + int(rand() * 4990000);
    printf "%d,Taxable,APPROVED,%d.%02d\n", account, cents / 100, cents % 100 > (dir "/accounts.csv");
    printf "%d,Goal,%s\n", account, models[1 + int(rand() * 3)] > (dir "/goals.csv");
    buy = int(cents * 0.9);
    printf "%d,%d,Goal,BUY,%d.%02d\n", i, account, buy / 100, buy % 100 > (dir "/orders.csv");
  }
}'
