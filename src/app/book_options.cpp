#include "app/book_options.hpp"

namespace tranche::app {

void add_weights_option(CLI::App& command, std::string& weights) {
  command
      .add_option(
          "--weights", weights,
          "exact: model weights must sum to 1; printed: accept the rounding residue of weights printed "
          "to a few decimals, as the robo-advisor chapter's models have")
      ->check(CLI::IsMember({"exact", "printed"}))
      ->capture_default_str();
}

wealth::WeightSum weight_rule(const std::string& weights) {
  return weights == "printed" ? wealth::WeightSum::Printed : wealth::WeightSum::Exact;
}

void add_units_decimals_option(CLI::App& command, int& min_units_scale) {
  command
      .add_option("--units-decimals", min_units_scale,
                  "Allocate units to at least this many decimals (more when the fill has more)")
      ->check(CLI::Range(0, 18))
      ->capture_default_str();
}

}  // namespace tranche::app
