#include "app/commands.hpp"

namespace tranche::app {
void add_prices_command(CLI::App& app) { app.add_subcommand("prices", "Summarise a price file"); }
}  // namespace tranche::app
