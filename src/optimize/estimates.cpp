#include "tranche/optimize/estimates.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include "tranche/core/error.hpp"
#include "tranche/optimize/estimation_error.hpp"

namespace tranche::optimize {

namespace {

constexpr std::array<std::pair<ReturnModel, std::string_view>, 3> kReturnModelNames{{
    {ReturnModel::MeanHistorical, "mean"},
    {ReturnModel::Ema, "ema"},
    {ReturnModel::Capm, "capm"},
}};

constexpr std::array<std::pair<RiskModel, std::string_view>, 7> kRiskModelNames{{
    {RiskModel::Sample, "sample"},
    {RiskModel::Semicovariance, "semicovariance"},
    {RiskModel::Exponential, "exp"},
    {RiskModel::LedoitWolf, "ledoit-wolf"},
    {RiskModel::LedoitWolfSingleFactor, "ledoit-wolf-single-factor"},
    {RiskModel::LedoitWolfConstantCorrelation, "ledoit-wolf-constant-correlation"},
    {RiskModel::OracleApproximating, "oracle-approximating"},
}};

template <typename Model, std::size_t N>
std::optional<Model> find_model(const std::array<std::pair<Model, std::string_view>, N>& names,
                                std::string_view name) {
  for (const auto& [model, spelled] : names) {
    if (spelled == name) return model;
  }
  return std::nullopt;
}

template <typename Model, std::size_t N>
std::string_view model_name(const std::array<std::pair<Model, std::string_view>, N>& names, Model wanted) {
  for (const auto& [model, spelled] : names) {
    if (model == wanted) return spelled;
  }
  return "?";
}

// Missing returns after a symbol's first one: PyPortfolioOpt warns about them too, since they
// usually mean a gap in the price file rather than a listing date.
void warn_about_gaps(const data::ReturnsTable& returns, std::vector<std::string>& warnings) {
  for (Eigen::Index column = 0; column < returns.values.cols(); ++column) {
    Eigen::Index row = 0;
    while (row < returns.values.rows() && std::isnan(returns.values(row, column))) ++row;
    Eigen::Index gaps = 0;
    for (; row < returns.values.rows(); ++row) gaps += std::isnan(returns.values(row, column)) ? 1 : 0;
    if (gaps > 0) {
      warnings.push_back(fmt::format("{} has {} missing returns after its first one; check the price file",
                                     returns.symbols[static_cast<std::size_t>(column)], gaps));
    }
  }
}

Eigen::VectorXd expected_returns_of(const data::ReturnsTable& returns, const EstimateSettings& settings,
                                    const data::ReturnsTable* market) {
  switch (settings.returns) {
    case ReturnModel::MeanHistorical:
      return mean_historical_return(returns.values, settings.compounding, settings.frequency);
    case ReturnModel::Ema:
      return ema_historical_return(returns.values, settings.compounding,
                                   settings.span.value_or(kDefaultEmaReturnSpan), settings.frequency);
    case ReturnModel::Capm: {
      std::optional<Eigen::VectorXd> market_returns;
      if (market != nullptr) market_returns = align_market_returns(*market, returns.dates);
      return capm_return(returns.values, market_returns, settings.risk_free_rate, settings.compounding,
                         settings.frequency);
    }
  }
  throw Error(ErrorKind::InvalidArgument, "unknown return model");
}

CovarianceEstimate covariance_of(const data::ReturnsTable& returns, const EstimateSettings& settings) {
  const RiskModelOptions options{.frequency = settings.frequency, .repair = settings.repair};
  switch (settings.risk) {
    case RiskModel::Sample:
      return sample_cov(returns.values, options);
    case RiskModel::Semicovariance:
      return semicovariance(returns.values, settings.benchmark, options);
    case RiskModel::Exponential:
      return exp_cov(returns.values, settings.span.value_or(kDefaultExpCovSpan), options);
    case RiskModel::LedoitWolf:
      return ledoit_wolf(returns.values, ShrinkageTarget::ConstantVariance, options);
    case RiskModel::LedoitWolfSingleFactor:
      return ledoit_wolf(returns.values, ShrinkageTarget::SingleFactor, options);
    case RiskModel::LedoitWolfConstantCorrelation:
      return ledoit_wolf(returns.values, ShrinkageTarget::ConstantCorrelation, options);
    case RiskModel::OracleApproximating:
      return oracle_approximating(returns.values, options);
  }
  throw Error(ErrorKind::InvalidArgument, "unknown risk model");
}

}  // namespace

std::optional<ReturnModel> parse_return_model(std::string_view name) {
  return find_model(kReturnModelNames, name);
}
std::optional<RiskModel> parse_risk_model(std::string_view name) { return find_model(kRiskModelNames, name); }
std::string_view to_string(ReturnModel model) { return model_name(kReturnModelNames, model); }
std::string_view to_string(RiskModel model) { return model_name(kRiskModelNames, model); }

std::vector<std::string> return_model_names() {
  std::vector<std::string> names;
  for (const auto& entry : kReturnModelNames) names.emplace_back(entry.second);
  return names;
}

std::vector<std::string> risk_model_names() {
  std::vector<std::string> names;
  for (const auto& entry : kRiskModelNames) names.emplace_back(entry.second);
  return names;
}

Eigen::VectorXd align_market_returns(const data::ReturnsTable& market, const std::vector<Date>& dates) {
  if (market.values.cols() != 1) {
    throw Error(ErrorKind::InvalidArgument,
                fmt::format("the market file must hold one series, found {}", market.values.cols()));
  }
  Eigen::VectorXd aligned = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(dates.size()),
                                                      std::numeric_limits<double>::quiet_NaN());
  std::size_t next = 0;
  for (std::size_t row = 0; row < dates.size(); ++row) {
    while (next < market.dates.size() && market.dates[next] < dates[row]) ++next;
    if (next < market.dates.size() && market.dates[next] == dates[row]) {
      aligned(static_cast<Eigen::Index>(row)) = market.values(static_cast<Eigen::Index>(next), 0);
    }
  }
  return aligned;
}

Estimates estimate(const data::ReturnsTable& returns, const EstimateSettings& settings,
                   const data::ReturnsTable* market) {
  Estimates result;
  result.symbols = returns.symbols;
  warn_about_gaps(returns, result.warnings);
  const auto name_of = [&](std::optional<std::size_t> column) -> std::string {
    if (!column) return "";
    return *column < returns.symbols.size() ? returns.symbols[*column] : std::string("the market");
  };
  try {
    result.expected_returns = expected_returns_of(returns, settings, market);
    CovarianceEstimate covariance = covariance_of(returns, settings);
    result.covariance = std::move(covariance.matrix);
    result.shrinkage = covariance.shrinkage;
    for (std::string& warning : covariance.warnings) result.warnings.push_back(std::move(warning));
  } catch (const InsufficientReturns& error) {
    throw Error(ErrorKind::InvalidArgument,
                describe_insufficient_returns(error, name_of(error.first()), name_of(error.second())));
  }
  return result;
}

}  // namespace tranche::optimize
