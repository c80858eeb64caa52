#pragma once
// The `tranche` subcommands. Each file under src/app/ registers one subcommand on the
// application; main() wires them up and maps failures to exit codes.

#include <CLI/CLI.hpp>
#include <filesystem>

namespace tranche::app {

// Where bundled data (calendars, sample prices) is read from at run time:
// --data-dir, else $TRANCHE_DATA_DIR, else the installed share/tranche/data, else the
// source tree's data/ folder the binary was built from.
std::filesystem::path data_dir();
void set_data_dir(const std::filesystem::path& dir);

void add_prices_command(CLI::App& app);
void add_estimate_command(CLI::App& app);
void add_calendar_command(CLI::App& app);
void add_optimize_command(CLI::App& app);

void add_block_command(CLI::App& app);
void add_allocate_command(CLI::App& app);
void add_reconcile_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_models_command(CLI::App& app);

void add_init_command(CLI::App& app);
void add_import_command(CLI::App& app);
void add_deposit_command(CLI::App& app);
void add_fills_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_journal_command(CLI::App& app);

}  // namespace tranche::app
