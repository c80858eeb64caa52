// Decimal's text parsers on arbitrary bytes: a text is either a number or refused with a
// tranche::Error (never another exception, never a crash), the throwing and non-throwing
// parsers agree, whatever parses formats back to a text that parses to the same value, and
// parse_rounded agrees with parse followed by round wherever both apply.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "tranche/core/decimal.hpp"
#include "tranche/core/error.hpp"

namespace {

using tranche::Decimal;
using tranche::Rounding;

std::optional<Decimal> parsed_or_refused(std::string_view text) {
  try {
    return Decimal::parse(text);
  } catch (const tranche::Error&) {
    return std::nullopt;
  }
}

std::optional<Decimal> rounded_or_refused(std::string_view text, int scale, Rounding mode) {
  try {
    return Decimal::parse_rounded(text, scale, mode);
  } catch (const tranche::Error&) {
    return std::nullopt;
  }
}

std::optional<Decimal> round_or_refused(Decimal value, int scale, Rounding mode) {
  try {
    return value.round(scale, mode);
  } catch (const tranche::Error&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<Decimal> value = parsed_or_refused(text);
  const auto quick = Decimal::try_parse(text);
  FUZZ_CHECK(value.has_value() == quick.has_value());
  if (value) {
    FUZZ_CHECK(*quick == *value);
    const std::string shortest = value->to_string();
    FUZZ_CHECK(Decimal::parse(shortest) == *value);
    char buffer[Decimal::kMaxText];
    for (const int min_decimals : {0, 2, 9, 18}) {
      const std::string padded = value->to_string(min_decimals);
      FUZZ_CHECK(Decimal::parse(padded) == *value);
      const char* end = value->format_to(buffer, min_decimals);
      FUZZ_CHECK(std::string_view(buffer, static_cast<std::size_t>(end - buffer)) == padded);
    }
  }
  const int scale = size == 0 ? 0 : data[0] % (Decimal::kScale + 1);
  for (const Rounding mode : {Rounding::HalfEven, Rounding::HalfUp, Rounding::Down, Rounding::Up,
                              Rounding::Floor, Rounding::Ceiling}) {
    const std::optional<Decimal> rounded = rounded_or_refused(text, scale, mode);
    if (value) FUZZ_CHECK(rounded == round_or_refused(*value, scale, mode));
    if (rounded) FUZZ_CHECK(*rounded == rounded->round(scale, mode));
  }
  return 0;
}
