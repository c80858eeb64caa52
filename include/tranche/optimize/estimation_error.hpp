#pragma once
// Why an estimator refused a returns matrix: too few observations in a column or a pair of
// columns. Carries the column indices so callers that know the symbols can name them.

#include <cstddef>
#include <optional>
#include <string>

#include "tranche/core/error.hpp"

namespace tranche::optimize {

class InsufficientReturns : public Error {
 public:
  // `second` is set when the shortfall is in the overlap of two columns.
  InsufficientReturns(std::size_t first, std::optional<std::size_t> second, std::size_t observations,
                      std::size_t needed, const std::string& what);

  std::size_t first() const { return first_; }
  std::optional<std::size_t> second() const { return second_; }
  std::size_t observations() const { return observations_; }
  std::size_t needed() const { return needed_; }
  const std::string& what_for() const { return what_for_; }

 private:
  std::size_t first_;
  std::optional<std::size_t> second_;
  std::size_t observations_;
  std::size_t needed_;
  std::string what_for_;
};

// The message of an InsufficientReturns, with columns named by `first_name` / `second_name`.
std::string describe_insufficient_returns(const InsufficientReturns& error, const std::string& first_name,
                                          const std::string& second_name);

}  // namespace tranche::optimize
