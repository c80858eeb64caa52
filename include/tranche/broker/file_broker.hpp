#pragma once
// The file broker: block orders go out as a CSV file in the robo-advisor chapter's
// MasterOrder.csv shape and executions come back as a fill file in its MasterOrder_Filled.csv
// shape. Block ids are the rows' indices in MasterOrder.csv (the chapter's OrderID).

#include <filesystem>
#include <vector>

#include "tranche/oms/allocation.hpp"
#include "tranche/oms/cycle.hpp"

namespace tranche::broker {

enum class DollarPrecision {
  Exact,  // the blocks' exact dollars, as many decimals as they have
  // For a broker that takes whole cents: each block rounded down to the cent, so no more than
  // the clients' dollars is sent. Fills are still allocated pro rata by the exact splits.
  Cents,
};

// MasterOrder.csv: ",Symbol,Type,DollarAmount" then "index,symbol,BUY|SELL,dollars".
void write_master_order(const oms::BlockPlan& plan, const std::filesystem::path& path,
                        DollarPrecision precision = DollarPrecision::Exact);

// Reads "OrderID,Symbol,Type,Units,Price" (a leading unnamed index column is tolerated). Each
// fill belongs to the block of its (Symbol, Type); a numeric OrderID must be that block's
// index. Several fills per block are allowed. InputError naming file, line and column for a
// bad cell, an unknown block or a mismatched OrderID; nothing is half-read.
std::vector<oms::Fill> read_fills(const std::filesystem::path& path, const oms::BlockPlan& plan);

}  // namespace tranche::broker
