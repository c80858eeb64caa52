#pragma once
// The book and the block step's outputs as CSV files in a folder (the seed's file workflow).
//
// A book folder:
//   accounts.csv  account,type,status,cash
//   goals.csv     account,goal,model[,target_year,target_value,priority]
//   models.csv    model,symbol,weight
//   orders.csv    order_id,account,goal,side,amount[,state]        (state NEW when absent)
//   holdings.csv  account,goal,symbol,units                         (optional)
//   prices.csv    previous closes (optional): long form with columns symbol and close (and
//                 optionally date: the latest date per symbol wins), or wide form
//                 date,SYM1,SYM2,... (the last row with a value per symbol wins)
//   booked_fills.csv  order_id,symbol,side,units,price,occurrence  (optional: fills booked)
// Numbers are read exactly (Decimal::parse of the text). Loading is all or nothing: a bad
// cell or a reference to something unknown throws InputError naming file, line and column.
//
// A blocks folder (written by `tranche block`):
//   MasterOrder.csv  ,Symbol,Type,DollarAmount   (see broker/file_broker.hpp)
//   splits.csv       order_id,account,goal,symbol,side,dollars
//   rejections.csv   order_id,account,rule,reason

#include <filesystem>

#include "tranche/oms/allocation.hpp"
#include "tranche/oms/book.hpp"
#include "tranche/oms/cycle.hpp"
#include "tranche/wealth/model_portfolio.hpp"

namespace tranche::oms {

Book load_book(const std::filesystem::path& dir, wealth::WeightSum weight_rule = wealth::WeightSum::Exact);
// Writes every file of the book folder (prices.csv in the long form symbol,close).
void write_book(const Book& book, const std::filesystem::path& dir);

// splits.csv and rejections.csv.
void write_block_files(const Book& book, const BlockPlan& plan, const std::filesystem::path& dir);
// Reads a blocks folder back against `book`: the splits, grouped into blocks again, checked
// against MasterOrder.csv (same blocks in the same order). Orders with splits that are still
// NEW become PENDING (they were sent), rejected NEW orders become REJECTED.
BlockPlan load_block_files(Book& book, const std::filesystem::path& dir);

// Account_Allocations.csv (Account,Symbol,Type,Units,Goal,OrderID,Price,Cash) and
// cash_movements.csv (account,order_id,symbol,side,amount; BUY negative, SELL positive). Reads
// only the names of the book, so it may run while the allocations are booked.
void write_allocation_files(const Book& book, const BlockPlan& plan, std::span<const Fill> fills,
                            const AllocationReport& report, const std::filesystem::path& dir);
// What the booking reported: overdrafts.csv (account,symbol,payment,cash_after) and
// oversells.csv (account,goal,symbol,units_after).
void write_booking_exceptions(const Book& book, std::span<const Fill> fills, const AllocationReport& report,
                              const std::filesystem::path& dir);

}  // namespace tranche::oms
