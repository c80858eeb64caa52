#pragma once
// Options the book commands share (block, allocate, reconcile, import, fills), declared once
// so that their names, checks, defaults and help read the same everywhere.

#include <CLI/CLI.hpp>
#include <string>

#include "tranche/wealth/model_portfolio.hpp"

namespace tranche::app {

// --weights exact|printed: how strictly a model's weights must sum to 1.
void add_weights_option(CLI::App& command, std::string& weights);
wealth::WeightSum weight_rule(const std::string& weights);

// --units-decimals N (0..18): the fewest decimals allocated units are rounded to.
void add_units_decimals_option(CLI::App& command, int& min_units_scale);

}  // namespace tranche::app
