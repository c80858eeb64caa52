// The CSV reader on arbitrary bytes: every text is read to its end or refused with an
// InputError that names the file and a line inside the text; records come in line order
// with the header's cell count, and a typed cell is a value or an InputError at that cell.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace {

template <typename Read>
void value_or_input_error(const tranche::CsvReader& reader, std::size_t index, Read read) {
  try {
    read();
  } catch (const tranche::InputError& error) {
    FUZZ_CHECK(error.where().file == "fuzz.csv");
    FUZZ_CHECK(error.where().line == reader.line());
    FUZZ_CHECK(error.where().column == index + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
                            static_cast<std::size_t>(std::count(text.begin(), text.end(), '\r')) + 1;
  tranche::CsvReader reader(text, "fuzz.csv");
  try {
    reader.read_header();
    FUZZ_CHECK(!reader.header().empty());
    std::size_t previous_line = reader.line();
    while (reader.next_record()) {
      FUZZ_CHECK(reader.line() > previous_line);
      FUZZ_CHECK(reader.line() <= lines);
      FUZZ_CHECK(reader.cell_count() == reader.header().size());
      previous_line = reader.line();
      for (std::size_t i = 0; i < reader.cell_count(); ++i) {
        FUZZ_CHECK(reader.where(i).field == reader.header()[i]);
        value_or_input_error(reader, i, [&] { FUZZ_CHECK(std::isfinite(reader.number(i))); });
        value_or_input_error(reader, i, [&] {
          const auto number = reader.optional_number(i);
          FUZZ_CHECK(number.has_value() != tranche::is_missing_marker(reader.cell(i)));
        });
        value_or_input_error(reader, i, [&] { (void)reader.date(i); });
      }
    }
  } catch (const tranche::InputError& error) {
    FUZZ_CHECK(error.where().file == "fuzz.csv");
    FUZZ_CHECK(error.where().line >= 1 && error.where().line <= lines);
  }
  return 0;
}
