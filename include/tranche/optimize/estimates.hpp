#pragma once
// Expected returns and a covariance matrix for named assets in one call: the choice of models
// by name (as the command line spells them), symbols carried along, estimator failures reported
// with the symbols involved, and warnings collected for the caller to show.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tranche/data/returns.hpp"
#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace tranche::optimize {

enum class ReturnModel {
  MeanHistorical,  // "mean"
  Ema,             // "ema"
  Capm,            // "capm"
};

enum class RiskModel {
  Sample,                         // "sample"
  Semicovariance,                 // "semicovariance"
  Exponential,                    // "exp"
  LedoitWolf,                     // "ledoit-wolf" (constant variance target)
  LedoitWolfSingleFactor,         // "ledoit-wolf-single-factor"
  LedoitWolfConstantCorrelation,  // "ledoit-wolf-constant-correlation"
  OracleApproximating,            // "oracle-approximating"
};

std::optional<ReturnModel> parse_return_model(std::string_view name);
std::optional<RiskModel> parse_risk_model(std::string_view name);
std::string_view to_string(ReturnModel model);
std::string_view to_string(RiskModel model);
// Every name parse_return_model / parse_risk_model accepts, in declaration order.
std::vector<std::string> return_model_names();
std::vector<std::string> risk_model_names();

inline constexpr double kDefaultEmaReturnSpan = 500.0;
inline constexpr double kDefaultExpCovSpan = 180.0;

struct EstimateSettings {
  ReturnModel returns = ReturnModel::MeanHistorical;
  RiskModel risk = RiskModel::Sample;
  Compounding compounding = Compounding::Geometric;
  // Span of the exponential weights, for the EMA return and the exponential covariance alike;
  // when unset each uses its own default (500 and 180, PyPortfolioOpt's).
  std::optional<double> span;
  double frequency = 252.0;
  double benchmark = 0.000079;  // daily, for the semicovariance
  double risk_free_rate = 0.0;  // annual, for the CAPM
  PsdRepair repair = PsdRepair::Spectral;
};

struct Estimates {
  std::vector<std::string> symbols;
  Eigen::VectorXd expected_returns;  // annual, one per symbol
  Eigen::MatrixXd covariance;        // annual, symbols x symbols
  std::optional<double> shrinkage;   // the intensity, for shrinkage risk models
  std::vector<std::string> warnings;
};

// The market's returns on each of `dates` (NaN where the market has none), as a left join on
// date. `market` must hold exactly one column.
Eigen::VectorXd align_market_returns(const data::ReturnsTable& market, const std::vector<Date>& dates);

// Errors: tranche::Error naming the symbols when a column or pair has too few returns, and the
// estimators' own errors for bad parameters. `market` (one column) is used by the CAPM only.
Estimates estimate(const data::ReturnsTable& returns, const EstimateSettings& settings,
                   const data::ReturnsTable* market = nullptr);

}  // namespace tranche::optimize
