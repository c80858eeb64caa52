#include "tranche/broker/file_broker.hpp"

#include <charconv>
#include <fstream>
#include <map>

#include "oms/csv_cells.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::broker {

using oms::detail::decimal_cell;

void write_master_order(const oms::BlockPlan& plan, const std::filesystem::path& path,
                        DollarPrecision precision) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error(ErrorKind::Io, path.string() + ": cannot be written");
  out << ",Symbol,Type,DollarAmount\n";
  for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
    const auto& block = plan.blocks[b];
    const Decimal dollars =
        precision == DollarPrecision::Cents ? block.dollars.round(2, Rounding::Down) : block.dollars;
    out << b << ',' << plan.symbol_of(block) << ',' << oms::to_string(block.side) << ','
        << (precision == DollarPrecision::Cents ? dollars.to_string(2) : dollars.to_string()) << '\n';
  }
  out.close();
  if (!out) throw Error(ErrorKind::Io, path.string() + ": write failed");
}

std::vector<oms::Fill> read_fills(const std::filesystem::path& path, const oms::BlockPlan& plan) {
  const std::string text = oms::detail::name_unnamed_index_column(read_text_file(path));
  CsvReader r(text, path.string());
  r.read_header();
  const auto c_id = r.require_column("OrderID"), c_symbol = r.require_column("Symbol"),
             c_type = r.require_column("Type"), c_units = r.require_column("Units"),
             c_price = r.require_column("Price");
  std::map<std::pair<std::string, oms::Side>, std::size_t> blocks;
  for (std::size_t b = 0; b < plan.blocks.size(); ++b)
    blocks[{plan.symbol_of(plan.blocks[b]), plan.blocks[b].side}] = b;
  std::map<std::string, int> seen;
  std::vector<oms::Fill> fills;
  while (r.next_record()) {
    oms::Fill fill;
    fill.record.order_id = std::string(r.cell(c_id));
    fill.record.symbol = std::string(r.cell(c_symbol));
    const auto side = oms::parse_side(r.cell(c_type));
    if (!side) r.fail(c_type, "expected BUY or SELL, found '" + std::string(r.cell(c_type)) + "'");
    fill.record.side = *side;
    fill.record.units = decimal_cell(r, c_units);
    if (fill.record.units.sign() <= 0)
      r.fail(c_units, "expected positive units, found " + fill.record.units.to_string());
    fill.record.price = decimal_cell(r, c_price);
    if (fill.record.price.sign() <= 0)
      r.fail(c_price, "expected a positive price, found " + fill.record.price.to_string());
    const auto units_text = r.cell(c_units);
    const auto point = units_text.find('.');
    fill.units_decimals =
        point == std::string_view::npos ? 0 : static_cast<int>(units_text.size() - point - 1);
    const auto block = blocks.find({fill.record.symbol, fill.record.side});
    if (block == blocks.end())
      r.fail(c_symbol,
             "no block " + fill.record.symbol + " " + oms::to_string(fill.record.side) + " was sent");
    fill.block = block->second;
    std::size_t id = 0;
    const auto id_text = r.cell(c_id);
    const auto [end, error] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (error == std::errc() && end == id_text.data() + id_text.size() && id != fill.block) {
      r.fail(c_id, "OrderID " + std::string(id_text) + " is not the block of " + fill.record.symbol + " " +
                       oms::to_string(fill.record.side) + " (block " + std::to_string(fill.block) + ")");
    }
    fill.record.occurrence = ++seen[fill.record.key()];
    fills.push_back(std::move(fill));
  }
  return fills;
}

}  // namespace tranche::broker
