// The `tranche` command line. Exit codes: 0 success, 1 runtime error (one line on stderr),
// 2 bad usage; subcommands may define more (documented in their --help).

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "app/commands.hpp"
#include "tranche/core/error.hpp"

namespace tranche::app {

namespace {
std::filesystem::path& data_dir_override() {
  static std::filesystem::path dir;
  return dir;
}
}  // namespace

void set_data_dir(const std::filesystem::path& dir) { data_dir_override() = dir; }

std::filesystem::path data_dir() {
  if (!data_dir_override().empty()) return data_dir_override();
  if (const char* env = std::getenv("TRANCHE_DATA_DIR"); env != nullptr && *env != '\0') return env;
  std::filesystem::path installed = TRANCHE_INSTALLED_DATA_DIR;
  if (std::filesystem::exists(installed / "calendars")) return installed;
  return TRANCHE_SOURCE_DATA_DIR;
}

}  // namespace tranche::app

int main(int argc, char** argv) {
  CLI::App app{
      "Tranche: exact portfolio construction, order management and fill allocation.\n"
      "Run 'tranche COMMAND --help' for the options of a command."};
  app.set_version_flag("--version", std::string("tranche ") + TRANCHE_VERSION);
  app.require_subcommand(1);
  std::string data_dir;
  app.add_option("--data-dir", data_dir,
                 "Folder of bundled data (calendars, sample prices); default: $TRANCHE_DATA_DIR or the "
                 "installed data")
      ->check(CLI::ExistingDirectory);
  app.parse_complete_callback([&] {
    if (!data_dir.empty()) tranche::app::set_data_dir(data_dir);
  });

  tranche::app::add_prices_command(app);
  tranche::app::add_estimate_command(app);
  tranche::app::add_calendar_command(app);
  tranche::app::add_optimize_command(app);
  tranche::app::add_block_command(app);
  tranche::app::add_allocate_command(app);
  tranche::app::add_reconcile_command(app);
  tranche::app::add_demo_command(app);
  tranche::app::add_models_command(app);
  tranche::app::add_init_command(app);
  tranche::app::add_import_command(app);
  tranche::app::add_deposit_command(app);
  tranche::app::add_fills_command(app);
  tranche::app::add_report_command(app);
  tranche::app::add_journal_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command's own exit code (e.g. reconcile's 3 for breaks)
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0.
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const tranche::Error& e) {
    std::cerr << "tranche: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tranche: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
