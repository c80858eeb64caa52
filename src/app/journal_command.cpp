// `tranche journal`: the book's events after --since, as text (one line each: sequence, instant,
// type, payload, command) or JSON lines.

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/book_db.hpp"
#include "app/commands.hpp"
#include "tranche/store/journal.hpp"

namespace tranche::app {

void add_journal_command(CLI::App& app) {
  struct Options {
    std::string db, format = "text";
    std::int64_t since = 0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand("journal", "Print a book's events");
  command->add_option("--db", options->db, "Book of record (SQLite file or postgresql://...)")->required();
  command->add_option("--since", options->since, "Only events with a sequence number above this")
      ->capture_default_str();
  command->add_option("--format", options->format, "text or json (one JSON object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  command->callback([options] {
    auto db = open_book(options->db);
    for (const auto& event : store::Journal(*db).read(options->since)) {
      if (options->format == "json") {
        const nlohmann::json line{{"sequence", event.sequence},
                                  {"at", format_timestamp(event.at)},
                                  {"command", event.command},
                                  {"type", event.type},
                                  {"payload", nlohmann::json::parse(event.payload)}};
        std::cout << line.dump() << "\n";
      } else {
        std::cout << event.sequence << ' ' << format_timestamp(event.at) << ' ' << event.type << ' '
                  << event.payload << "  # " << event.command << "\n";
      }
    }
  });
}

}  // namespace tranche::app
