// Expected returns and risk models against hand-computed cases and against PyPortfolioOpt 1.5.6
// on its own test data (data/prices/stock_prices.csv, the file its test suite reads).
//
// Where numbers come from (named on each test):
//  - "PyPortfolioOpt test X": the value asserted by tests/test_expected_returns.py or
//    tests/test_risk_models.py of PyPortfolioOpt 1.5.6, to the tolerance that test uses or tighter.
//  - "PyPortfolioOpt bench": a recorded run of PyPortfolioOpt 1.5.6 (numpy 1.24.2, pandas 1.5.3,
//    scikit-learn 1.2.1) on this data, printed to 12 significant digits.
//  - "pandas 1.5.3 / scikit-learn 1.2.1": PyPortfolioOpt 1.5.6's formula evaluated with those
//    libraries on this data (DataFrame.pct_change().dropna(how="all"), .cov(), .ewm(span).mean(),
//    sklearn.covariance.ledoit_wolf / oas), printed with 17 significant digits.
// Tolerances: relative 1e-12 where we and pandas sum the same terms in another order (the
// observed differences are below 1e-13);
// relative 1e-9 where the reference was printed to 12 digits.

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <vector>

#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/optimize/estimation_error.hpp"
#include "tranche/optimize/expected_returns.hpp"
#include "tranche/optimize/risk_models.hpp"

namespace tranche::optimize {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void expect_relative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::abs(expected)) << "expected " << expected;
}

void expect_all_relative(const Eigen::VectorXd& actual, const std::vector<double>& expected,
                         double tolerance) {
  ASSERT_EQ(actual.size(), static_cast<Eigen::Index>(expected.size()));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    expect_relative(actual(static_cast<Eigen::Index>(i)), expected[i], tolerance);
  }
}

const data::ReturnsTable& stock_returns() {
  static const data::ReturnsTable table =
      data::returns_from_prices(data::load_prices(TRANCHE_DATA_DIR "/prices/stock_prices.csv"));
  return table;
}

// The returns of SPY aligned to the stock returns' dates (NaN where SPY has none), as pandas'
// returns.join(market_returns, how="left") does in PyPortfolioOpt's capm_return.
Eigen::VectorXd spy_returns_on_stock_dates() {
  const data::ReturnsTable spy =
      data::returns_from_prices(data::load_prices(TRANCHE_DATA_DIR "/prices/spy_prices.csv"));
  const data::ReturnsTable& stocks = stock_returns();
  Eigen::VectorXd aligned = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(stocks.dates.size()), kNaN);
  std::size_t k = 0;
  for (std::size_t i = 0; i < stocks.dates.size(); ++i) {
    while (k < spy.dates.size() && spy.dates[k] < stocks.dates[i]) ++k;
    if (k < spy.dates.size() && spy.dates[k] == stocks.dates[i])
      aligned(static_cast<Eigen::Index>(i)) = spy.values(k, 0);
  }
  return aligned;
}

// Simple returns of a price matrix with no missing values (p_t / p_{t-1} - 1).
Eigen::MatrixXd simple_returns(const Eigen::MatrixXd& prices) {
  const Eigen::Index rows = prices.rows() - 1;
  return (prices.bottomRows(rows).array() / prices.topRows(rows).array() - 1.0).matrix();
}

// PyPortfolioOpt's dummy prices (tests/test_expected_returns.py, tests/test_risk_models.py).
Eigen::MatrixXd dummy_prices() {
  Eigen::MatrixXd prices(5, 4);
  prices << 4.0, 2.0, 0.6, -12, 4.2, 2.1, 0.59, -13.2, 3.9, 2.0, 0.58, -11.3, 4.3, 2.1, 0.62, -11.7, 4.1, 2.2,
      0.63, -10.1;
  return prices;
}

// ---------------------------------------------------------------------------------------------
// Expected returns

TEST(MeanHistoricalReturn, CompoundsEachColumnOverItsOwnReturns) {
  // By hand: column 0 has returns 0.1 and -0.1 (its first is missing): (1.1 * 0.9)^(1/2) - 1;
  // column 1 has 0.2, 0.05, -0.5: (1.2 * 1.05 * 0.5)^(1/3) - 1.
  Eigen::MatrixXd returns(3, 2);
  returns << kNaN, 0.2, 0.1, 0.05, -0.1, -0.5;
  const Eigen::VectorXd mu = mean_historical_return(returns, Compounding::Geometric, 1.0);
  expect_relative(mu(0), std::sqrt(0.99) - 1.0, 1e-15);
  expect_relative(mu(1), std::cbrt(0.63) - 1.0, 1e-15);
  // Annualised over 252 periods: growth^(252 / count).
  const Eigen::VectorXd annual = mean_historical_return(returns);
  expect_relative(annual(0), std::pow(0.99, 126.0) - 1.0, 1e-13);
}

TEST(MeanHistoricalReturn, ArithmeticIsTheMeanTimesFrequency) {
  Eigen::MatrixXd returns(3, 2);
  returns << kNaN, 0.2, 0.1, 0.05, -0.04, -0.5;
  const Eigen::VectorXd mu = mean_historical_return(returns, Compounding::Arithmetic, 252.0);
  expect_relative(mu(0), 0.03 * 252.0, 1e-14);
  expect_relative(mu(1), -0.25 / 3.0 * 252.0, 1e-14);
}

TEST(MeanHistoricalReturn, MatchesPyPortfolioOptDummyData) {
  // PyPortfolioOpt test_mean_historical_returns_dummy (values to 7 digits, rtol 1e-3 there);
  // the full digits from pandas 1.5.3.
  const Eigen::MatrixXd returns = simple_returns(dummy_prices());
  expect_all_relative(mean_historical_return(returns, Compounding::Geometric, 1.0),
                      {0.006192246325636086, 0.02411368908444511, 0.012272234429039353, -0.04217750619707261},
                      1e-12);
  expect_all_relative(
      mean_historical_return(returns, Compounding::Arithmetic, 1.0),
      {0.008655975807138588, 0.025000000000000022, 0.012869682572601071, -0.03632332515075881}, 1e-12);
}

TEST(MeanHistoricalReturn, MatchesPyPortfolioOptOnStockPrices) {
  // PyPortfolioOpt test_mean_historical_returns asserts these to 6 decimals (its -0.0792602 for
  // SHLD is off by 2.6e-7, inside that); the full digits from pandas 1.5.3, which also agree
  // with the PyPortfolioOpt bench's mu to its 12 digits.
  const Eigen::VectorXd mu = mean_historical_return(stock_returns().values);
  expect_all_relative(mu,
                      {0.2479671394835612,   0.2943046823052571,  0.2840374345617638,  0.1923164471386012,
                       0.37132788212360524,  0.13600933058384146, 0.03285035995697716, 0.12001155086679449,
                       0.10554023542827684,  0.0423457055304326,  0.10025594843662411, 0.14422377016067367,
                       -0.07926046395064312, 0.1430506970738865,  0.07363569643845969, 0.23883542081683773,
                       0.3886658284439337,   0.226717958869749,   0.15617015462399575, 0.23181535843043455},
                      1e-12);
  EXPECT_NEAR(mu(12), -0.0792604639506, 1e-12);  // PyPortfolioOpt bench inputs.mu
}

TEST(MeanHistoricalReturn, ArithmeticScalesWithFrequency) {
  // PyPortfolioOpt test_mean_historical_returns_frequency: mean / 252 == mean(52) / 52.
  const Eigen::VectorXd daily252 =
      mean_historical_return(stock_returns().values, Compounding::Arithmetic, 252.0);
  const Eigen::VectorXd daily52 =
      mean_historical_return(stock_returns().values, Compounding::Arithmetic, 52.0);
  for (Eigen::Index i = 0; i < daily252.size(); ++i)
    expect_relative(daily252(i) / 252.0, daily52(i) / 52.0, 1e-14);
  // And the arithmetic figures themselves (pandas 1.5.3: returns.mean() * 252), first four.
  expect_relative(daily252(0), 0.2677028381241279, 1e-12);
  expect_relative(daily252(1), 0.363786404876319, 1e-12);
  expect_relative(daily252(2), 0.3170903217255154, 1e-12);
  expect_relative(daily252(3), 0.22616723023870225, 1e-12);
}

TEST(EmaHistoricalReturn, WeighsByPandasEwmWithMissingValuesAgeing) {
  // By hand, span 3: alpha = 1 / (1 + (3 - 1) / 2) = 0.5, weights 0.25, 0.5, 1 oldest to last.
  // Column 0 misses its middle value, which drops out while the first still ages:
  // (0.25 * 0.1 + 1 * 0.4) / 1.25 = 0.34. Column 1: (0.25 * 0.2 + 0.5 * -0.1 + 0.3) / 1.75.
  Eigen::MatrixXd returns(3, 2);
  returns << 0.1, 0.2, kNaN, -0.1, 0.4, 0.3;
  const Eigen::VectorXd arithmetic = ema_historical_return(returns, Compounding::Arithmetic, 3.0, 1.0);
  expect_relative(arithmetic(0), 0.34, 1e-15);
  expect_relative(arithmetic(1), 0.3 / 1.75, 1e-15);
  const Eigen::VectorXd geometric = ema_historical_return(returns, Compounding::Geometric, 3.0, 2.0);
  expect_relative(geometric(0), 1.34 * 1.34 - 1.0, 1e-15);
}

TEST(EmaHistoricalReturn, MatchesPandasEwmOnDummyData) {
  // pandas 1.5.3: returns.ewm(span=3).mean().iloc[-1] on PyPortfolioOpt's dummy prices.
  const Eigen::MatrixXd returns = simple_returns(dummy_prices());
  expect_all_relative(
      ema_historical_return(returns, Compounding::Arithmetic, 3.0, 1.0),
      {-0.003646250390436467, 0.03571428571428575, 0.023621957018574745, -0.07602019743612666}, 1e-12);
}

TEST(EmaHistoricalReturn, MatchesPandasOnStockPrices) {
  // pandas 1.5.3: (1 + returns.ewm(span=500).mean().iloc[-1])^252 - 1 (PyPortfolioOpt 1.5.6).
  expect_all_relative(
      ema_historical_return(stock_returns().values),
      {0.1773172849394704,   0.268149380415871,     0.19608680909223763,  0.38816898727390803,
       0.5882790345998001,   -0.3944689753059283,   0.3022465719684333,   0.11824143249295704,
       0.34989219274857497,  0.13856911875434252,   0.012699691416836245, -0.10181914063735187,
       -0.39224107740583813, -0.010342936473776931, -0.2844565396365465,  0.5110094883455492,
       0.40421094362205556,  0.09943638234678431,   0.3172293235747068,   0.10261334402459177},
      1e-10);
  const Eigen::VectorXd arithmetic = ema_historical_return(stock_returns().values, Compounding::Arithmetic);
  expect_relative(arithmetic(0), 0.1632912448216358, 1e-12);
  expect_relative(arithmetic(5), -0.5011505003966363, 1e-12);
}

TEST(EmaHistoricalReturn, ArithmeticScalesWithFrequency) {
  // PyPortfolioOpt test_ema_historical_return_frequency: ema / 252 == ema(52) / 52.
  const Eigen::VectorXd annual = ema_historical_return(stock_returns().values, Compounding::Arithmetic);
  const Eigen::VectorXd weekly =
      ema_historical_return(stock_returns().values, Compounding::Arithmetic, 500.0, 52.0);
  for (Eigen::Index i = 0; i < annual.size(); ++i)
    expect_relative(annual(i) / 252.0, weekly(i) / 52.0, 1e-14);
}

TEST(EmaHistoricalReturn, TendsToTheArithmeticMeanAsSpanGrows) {
  // PyPortfolioOpt test_ema_historical_return_limit: span 1e10 agrees with the simple mean to
  // 6 decimals.
  const Eigen::VectorXd ema = ema_historical_return(stock_returns().values, Compounding::Arithmetic, 1e10);
  const Eigen::VectorXd sma = mean_historical_return(stock_returns().values, Compounding::Arithmetic);
  for (Eigen::Index i = 0; i < ema.size(); ++i) EXPECT_NEAR(ema(i), sma(i), 1.5e-6);
}

TEST(CapmReturn, MatchesPyPortfolioOptWithoutABenchmark) {
  // PyPortfolioOpt test_capm_no_benchmark (risk-free rate 0.02), full digits.
  expect_all_relative(capm_return(stock_returns().values, std::nullopt, 0.02),
                      {0.22148462799238577, 0.2835429647498704,  0.14693081977908462, 0.1488989354304723,
                       0.4162399750335195,  0.22716772604184535, 0.3970337136813829,  0.16733214988182069,
                       0.31791477659742146, 0.17279931642386534, 0.15271750464365566, 0.351778014382922,
                       0.32859883451716376, 0.1501938182844417,  0.268295486802897,   0.31632339201710874,
                       0.27753479916328516, 0.16959588523287855, 0.3089119447773357,  0.2558719211959501},
                      1e-12);
}

TEST(CapmReturn, MatchesPyPortfolioOptAgainstSpy) {
  // PyPortfolioOpt test_capm_with_benchmark (market SPY, risk-free rate 0.02), full digits.
  const Eigen::VectorXd spy = spy_returns_on_stock_dates();
  expect_all_relative(capm_return(stock_returns().values, spy, 0.02),
                      {0.09115799375654746, 0.09905386632033128, 0.05676282405265752, 0.06291827346436336,
                       0.13147799781014877, 0.10239088012000815, 0.1311567086884512,  0.07339649698626659,
                       0.1301248935078549,  0.07620949056643983, 0.07629095442513395, 0.12163575425541985,
                       0.10400070536161658, 0.0781736030988492,  0.09185177050469516, 0.10245700691271296,
                       0.11268307946677197, 0.07870087187919145, 0.1275598841214107,  0.09536788741392595},
                      1e-12);
  // Same test: without compounding every estimate is at least as high. Values: pandas 1.5.3.
  const Eigen::VectorXd arithmetic = capm_return(stock_returns().values, spy, 0.02, Compounding::Arithmetic);
  expect_relative(arithmetic(0), 0.10337421204067243, 1e-12);
  expect_relative(arithmetic(19), 0.10830684923193214, 1e-12);
}

TEST(CapmReturn, IsTheRiskFreeRatePlusBetaTimesTheMarketPremium) {
  // By hand: the asset moves exactly twice the market, so beta = 2; the market's compounded
  // return over 2 periods at frequency 2 is 1.1 * 0.95 - 1 = 0.045.
  Eigen::MatrixXd returns(2, 1);
  returns << 0.2, -0.1;
  Eigen::VectorXd market(2);
  market << 0.1, -0.05;
  const Eigen::VectorXd mu = capm_return(returns, market, 0.01, Compounding::Geometric, 2.0);
  expect_relative(mu(0), 0.01 + 2.0 * (1.1 * 0.95 - 1.0 - 0.01), 1e-14);
}

TEST(ExpectedReturns, RejectAColumnWithoutReturns) {
  Eigen::MatrixXd returns(2, 2);
  returns << 0.1, kNaN, 0.2, kNaN;
  try {
    mean_historical_return(returns);
    FAIL() << "expected InsufficientReturns";
  } catch (const InsufficientReturns& error) {
    EXPECT_EQ(error.first(), 1u);
    EXPECT_EQ(error.observations(), 0u);
    EXPECT_STREQ(error.what(), "column 1 has 0 returns; a mean historical return needs at least 1");
  }
}

TEST(ExpectedReturns, RejectInfiniteReturnsAndBadParameters) {
  Eigen::MatrixXd returns(2, 1);
  returns << 0.1, std::numeric_limits<double>::infinity();
  EXPECT_THROW(mean_historical_return(returns), Error);
  returns(1, 0) = 0.2;
  EXPECT_THROW(mean_historical_return(returns, Compounding::Geometric, 0.0), Error);
  EXPECT_THROW(ema_historical_return(returns, Compounding::Geometric, 0.5), Error);
  EXPECT_THROW(mean_historical_return(Eigen::MatrixXd(0, 3)), Error);
}

// ---------------------------------------------------------------------------------------------
// Risk models

TEST(SampleCov, MatchesPyPortfolioOptDummyData) {
  // PyPortfolioOpt test_sample_cov_dummy: sample_cov(data) / 252 on the first three columns.
  const Eigen::MatrixXd returns = simple_returns(dummy_prices()).leftCols(3);
  const CovarianceEstimate estimate = sample_cov(returns);
  const Eigen::MatrixXd daily = estimate.matrix / 252.0;
  const double expected[3][3] = {{0.006661687937656102, 0.00264970955585574, 0.0020849735375206195},
                                 {0.00264970955585574, 0.0023450491307634215, 0.00096770864287974},
                                 {0.0020849735375206195, 0.00096770864287974, 0.0016396416271856837}};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) expect_relative(daily(i, j), expected[i][j], 1e-13);
  }
  EXPECT_TRUE(estimate.warnings.empty());
  EXPECT_FALSE(estimate.shrinkage.has_value());
}

TEST(SampleCov, UsesPairwiseCompleteRowsWithTheirOwnMeans) {
  // By hand (frequency 1): a = 1, 2, 3, -, 6; b = 2, -, 4, 8, 6; c = -, 1, 3, 3, -.
  //   var a over 1,2,3,6: mean 3, squares 4+1+0+9 = 14, / 3
  //   var b over 2,4,8,6: mean 5, squares 9+1+9+1 = 20, / 3
  //   var c over 1,3,3: mean 7/3, squares 16/9+4/9+4/9 = 24/9, / 2 = 4/3
  //   cov(a,b) over rows 1,3,5 (1,2),(3,4),(6,6): means 10/3 and 4: (14/3 + 0 + 16/3) / 2 = 5
  //   cov(a,c) over rows 2,3 (2,1),(3,3): means 2.5 and 2: (0.5 + 0.5) / 1 = 1
  //   cov(b,c) over rows 3,4 (4,3),(8,3): c constant there: 0
  Eigen::MatrixXd returns(5, 3);
  returns << 1, 2, kNaN, 2, kNaN, 1, 3, 4, 3, kNaN, 8, 3, 6, 6, kNaN;
  const CovarianceEstimate estimate = sample_cov(returns, {.frequency = 1.0});
  Eigen::Matrix3d expected;
  expected << 14.0 / 3.0, 5.0, 1.0, 5.0, 20.0 / 3.0, 0.0, 1.0, 0.0, 4.0 / 3.0;
  EXPECT_LT((estimate.matrix - expected).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_TRUE(estimate.warnings.empty());
}

TEST(SampleCov, HandlesAssetsListedAtDifferentDates) {
  // Leading gaps only (the shape of real listings), columns not in listing order. By hand,
  // frequency 1: a = 1, 2, 3, 4; b = -, 2, 4, 8; c = -, -, 1, 3.
  //   var a: mean 2.5, squares 5, / 3;  var b: mean 14/3, squares 168/9, / 2 = 28/3;
  //   var c: mean 2, squares 2, / 1;
  //   cov(a,b) over rows 2-4: a 2,3,4 (mean 3), b 2,4,8: (8/3 + 0 + 10/3) / 2 = 3
  //   cov(a,c) over rows 3-4: a 3,4, c 1,3: (0.5 + 0.5) / 1 = 1
  //   cov(b,c) over rows 3-4: b 4,8, c 1,3: (2 + 2) / 1 = 4
  Eigen::MatrixXd returns(4, 3);  // columns c, a, b
  returns << kNaN, 1, kNaN, kNaN, 2, 2, 1, 3, 4, 3, 4, 8;
  const CovarianceEstimate estimate = sample_cov(returns, {.frequency = 1.0});
  Eigen::Matrix3d expected;  // order c, a, b
  expected << 2.0, 1.0, 4.0, 1.0, 5.0 / 3.0, 3.0, 4.0, 3.0, 28.0 / 3.0;
  EXPECT_LT((estimate.matrix - expected).cwiseAbs().maxCoeff(), 1e-14);
  EXPECT_TRUE(estimate.warnings.empty());
}

TEST(SampleCov, RepairsAPairwiseMatrixThatIsNotPositiveSemidefinite) {
  // Pairwise covariances need not form a PSD matrix. Here cov(b,c) = 4 over rows 3,4 (by hand
  // as above, with c = -, 1, 3, 5, -) makes the smallest eigenvalue about -0.4125 (numpy).
  Eigen::MatrixXd returns(5, 3);
  returns << 1, 2, kNaN, 2, kNaN, 1, 3, 4, 3, kNaN, 8, 5, 6, 6, kNaN;
  const CovarianceEstimate spectral = sample_cov(returns, {.frequency = 1.0});
  ASSERT_EQ(spectral.warnings.size(), 1u);
  EXPECT_NE(spectral.warnings[0].find("not positive semidefinite"), std::string::npos);
  // The clipped eigenvalue is 0 up to rounding (about 1e-15 at this scale of 12).
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> repaired(spectral.matrix);
  EXPECT_GT(repaired.eigenvalues().minCoeff(), -1e-13);
  EXPECT_LT(repaired.eigenvalues().minCoeff(), 1e-13);
  const CovarianceEstimate diagonal = sample_cov(returns, {.frequency = 1.0, .repair = PsdRepair::Diagonal});
  // Off the diagonal nothing moves; the diagonal rises by 1.1 * 0.41252738 (numpy eigvalsh).
  EXPECT_NEAR(diagonal.matrix(0, 1), 5.0, 1e-14);
  EXPECT_NEAR(diagonal.matrix(2, 2), 4.0 + 1.1 * 0.41252738, 1e-8);
  EXPECT_TRUE(is_positive_semidefinite(diagonal.matrix));
}

TEST(SampleCov, MatchesPandasOnStockPrices) {
  // pandas 1.5.3: returns.cov() * 252; the diagonal also matches the PyPortfolioOpt bench's
  // inputs.cov_diag and cov_sum (17.9928979572) to its 12 digits.
  const CovarianceEstimate estimate = sample_cov(stock_returns().values);
  expect_all_relative(estimate.matrix.diagonal(),
                      {0.09321113657629149, 0.2075369051755128,  0.13720115036294847, 0.10095819128994689,
                       0.375394050576416,   0.08310900723925639, 0.3905857140092951,  0.06909179000975471,
                       0.1801923198930546,  0.08011557234393316, 0.06555992995181213, 0.24552417484777084,
                       0.3211620717103449,  0.05440376560877362, 0.2722297262105918,  0.26954874485833347,
                       0.120303037335389,   0.08550166427827668, 0.14689262017897983, 0.15258853482811788},
                      1e-12);
  expect_relative(estimate.matrix.sum(), 17.992897957168225, 1e-12);
  expect_relative(estimate.matrix(0, 1), 0.04620227917174618, 1e-12);
  expect_relative(estimate.matrix(2, 3), 0.030073473606999437, 1e-12);
  expect_relative(estimate.matrix.sum(), 17.9928979572, 1e-10);  // PyPortfolioOpt bench inputs.cov_sum
  EXPECT_TRUE(estimate.warnings.empty());
}

TEST(SampleCov, ScalesWithFrequency) {
  // PyPortfolioOpt test_sample_cov_frequency: S / 126 == sample_cov(frequency=2).
  const Eigen::MatrixXd annual = sample_cov(stock_returns().values).matrix;
  const Eigen::MatrixXd semiannual = sample_cov(stock_returns().values, {.frequency = 2.0}).matrix;
  EXPECT_LT((annual / 126.0 - semiannual).cwiseAbs().maxCoeff(), 1e-17);
}

TEST(RiskModels, SemicovarianceAndExpCovScaleWithFrequency) {
  // PyPortfolioOpt test_semicovariance and test_exp_cov_matrix: S / 126 == S(frequency = 2).
  const Eigen::MatrixXd& returns = stock_returns().values;
  EXPECT_LT(
      (semicovariance(returns).matrix / 126.0 - semicovariance(returns, 0.000079, {.frequency = 2.0}).matrix)
          .cwiseAbs()
          .maxCoeff(),
      1e-17);
  EXPECT_LT((exp_cov(returns).matrix / 126.0 - exp_cov(returns, 180.0, {.frequency = 2.0}).matrix)
                .cwiseAbs()
                .maxCoeff(),
            1e-17);
}

TEST(SampleCov, NamesThePairWithTooFewCommonReturns) {
  Eigen::MatrixXd returns(4, 2);
  returns << 0.1, kNaN, 0.2, kNaN, 0.3, 0.1, kNaN, 0.2;
  try {
    sample_cov(returns);
    FAIL() << "expected InsufficientReturns";
  } catch (const InsufficientReturns& error) {
    EXPECT_EQ(error.first(), 0u);
    EXPECT_EQ(error.second(), std::optional<std::size_t>(1));
    EXPECT_EQ(error.observations(), 1u);
    EXPECT_EQ(describe_insufficient_returns(error, "AAA", "BBB"),
              "AAA and BBB have 1 returns in common; a sample covariance needs at least 2");
  }
}

TEST(Semicovariance, CountsMissingReturnsAsNoShortfallOverAllRows) {
  // By hand, benchmark 0.005, frequency 1, T = 4 rows:
  //   a = -0.02, 0.01, -, -0.01   -> min(a - b, 0) = -0.025, 0, 0, -0.015
  //   b = -0.01, -0.03, 0.02, 0.01 -> -0.015, -0.035, 0, 0
  //   aa = (0.025^2 + 0.015^2) / 4, bb = (0.015^2 + 0.035^2) / 4, ab = 0.025 * 0.015 / 4
  Eigen::MatrixXd returns(4, 2);
  returns << -0.02, -0.01, 0.01, -0.03, kNaN, 0.02, -0.01, 0.01;
  const Eigen::MatrixXd s = semicovariance(returns, 0.005, {.frequency = 1.0}).matrix;
  expect_relative(s(0, 0), (0.025 * 0.025 + 0.015 * 0.015) / 4.0, 1e-14);
  expect_relative(s(1, 1), (0.015 * 0.015 + 0.035 * 0.035) / 4.0, 1e-14);
  expect_relative(s(0, 1), 0.025 * 0.015 / 4.0, 1e-14);
  expect_relative(s(1, 0), 0.025 * 0.015 / 4.0, 1e-14);
}

TEST(Semicovariance, MatchesPandasOnStockPrices) {
  // pandas 1.5.3: D = np.fmin(returns - 0.000079, 0); D.T @ D / T * 252 (PyPortfolioOpt 1.5.6).
  const CovarianceEstimate estimate = semicovariance(stock_returns().values);
  expect_all_relative(
      estimate.matrix.diagonal(),
      {0.018886926214375464, 0.09326312965740675,  0.011412759856975012, 0.0056431125183541075,
       0.10851763840259195,  0.0368365409579738,   0.17884909614966094,  0.03156436016740155,
       0.08100992834029033,  0.010114751196546173, 0.030544688062439606, 0.050516904968834715,
       0.07295368612537581,  0.02497474184576023,  0.10632184468672311,  0.12511753958916014,
       0.02083407374256988,  0.03339507433613095,  0.06359417225645167,  0.060544824393761736},
      1e-12);
  expect_relative(estimate.matrix.sum(), 7.743946492745521, 1e-12);
  expect_relative(estimate.matrix(0, 2), 0.003991992046035426, 1e-12);
}

TEST(Semicovariance, IsZeroForAVeryNegativeBenchmarkAndGrowsWithIt) {
  // PyPortfolioOpt test_semicovariance_benchmark.
  const Eigen::MatrixXd& returns = stock_returns().values;
  EXPECT_LT(semicovariance(returns, -0.5).matrix.cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_GT(semicovariance(returns, 1.0).matrix.sum(), semicovariance(returns, 0.0).matrix.sum());
}

TEST(ExpCov, WeighsCentredProductsOverCommonRows) {
  // By hand, span 3 (weights 0.25, 0.5, 1), frequency 1: a = 1, -, 3 (mean 2), b = 2, 6, 4 (mean 4).
  //   aa: products 1, -, 1 -> 1
  //   bb: products 4, 4, 0 -> (0.25*4 + 0.5*4 + 0) / 1.75 = 12/7
  //   ab: products 2, -, 0 -> (0.25*2 + 0) / 1.25 = 0.4
  // (pandas 1.5.3's ewm gives the same: 1.0, 1.7142857142857142, 0.4.)
  Eigen::MatrixXd returns(3, 2);
  returns << 1, 2, kNaN, 6, 3, 4;
  const Eigen::MatrixXd s = exp_cov(returns, 3.0, {.frequency = 1.0}).matrix;
  EXPECT_NEAR(s(0, 0), 1.0, 1e-15);
  EXPECT_NEAR(s(1, 1), 12.0 / 7.0, 1e-15);
  EXPECT_NEAR(s(0, 1), 0.4, 1e-15);
  EXPECT_NEAR(s(1, 0), 0.4, 1e-15);
}

TEST(ExpCov, KeepsPandasAverageWhenTheLastCommonRowIsFarBack) {
  // Span 2 (alpha 2/3, decay 1/3); both columns have returns only in rows 0-2 of 800, so their
  // closed-form weights (1/3)^797.. underflow to 0 and pandas' recurrence, which keeps the
  // average through missing rows, is used. By hand: a = 1, 2, 3 (mean 2), b = 3, 1, 2 (mean 2);
  // relative weights 1/9, 1/3, 1 (sum 13/9):
  //   aa: products 1, 0, 1 -> (1/9 + 1) / (13/9) = 10/13
  //   bb: products 1, 1, 0 -> (1/9 + 1/3) / (13/9) = 4/13
  //   ab: products -1, 0, 0 -> -1/13
  Eigen::MatrixXd returns = Eigen::MatrixXd::Constant(800, 2, kNaN);
  returns.topRows(3) << 1, 3, 2, 1, 3, 2;
  const CovarianceEstimate estimate = exp_cov(returns, 2.0, {.frequency = 1.0});
  EXPECT_NEAR(estimate.matrix(0, 0), 10.0 / 13.0, 1e-15);
  EXPECT_NEAR(estimate.matrix(1, 1), 4.0 / 13.0, 1e-15);
  EXPECT_NEAR(estimate.matrix(0, 1), -1.0 / 13.0, 1e-15);
  EXPECT_TRUE(estimate.warnings.empty());
}

TEST(ExpCov, MatchesPandasOnStockPrices) {
  // pandas 1.5.3: PyPortfolioOpt 1.5.6's exp_cov (span 180), pair by pair with Series.ewm.
  const CovarianceEstimate estimate = exp_cov(stock_returns().values);
  expect_all_relative(estimate.matrix.diagonal(),
                      {0.06375440417263963,  0.05338645531793059, 0.08658992500281763, 0.11897401276449009,
                       0.08630627682933716,  0.08943188256659343, 0.23927507722505076, 0.06730581317973437,
                       0.06247945427682544,  0.0714441761288762,  0.04200420679561443, 0.28701746123786426,
                       0.6593773917773114,   0.03715045126701255, 0.229570548094804,   0.11324782925713887,
                       0.047818801286625134, 0.03554975532391218, 0.04823017629858694, 0.03616890939258226},
                      1e-10);
  expect_relative(estimate.matrix.sum(), 14.506457572594135, 1e-12);
  expect_relative(estimate.matrix(0, 2), 0.05474061538622629, 1e-12);
}

TEST(ExpCov, TendsToTheSampleCovarianceAsSpanGrows) {
  // PyPortfolioOpt test_exp_cov_limits: differs from sample_cov at span 180, within 1e-3 at 1e20.
  const Eigen::MatrixXd sample = sample_cov(stock_returns().values).matrix;
  EXPECT_GT((exp_cov(stock_returns().values).matrix - sample).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_LT((exp_cov(stock_returns().values, 1e20).matrix - sample).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(LedoitWolf, MatchesThePyPortfolioOptBenchOnStockPrices) {
  // PyPortfolioOpt bench, est.ledoit_wolf (12 significant digits): delta, diagonal, sum, Frobenius.
  const CovarianceEstimate estimate = ledoit_wolf(stock_returns().values);
  ASSERT_TRUE(estimate.shrinkage.has_value());
  expect_relative(*estimate.shrinkage, 0.00625610336754, 1e-9);
  expect_all_relative(estimate.matrix.diagonal(),
                      {0.0455288700185, 0.207037453224,  0.0292333512393, 0.0134383677067, 0.276365116446,
                       0.0834053433896, 0.388915559453,  0.0694777743409, 0.17986775232,   0.021594108545,
                       0.0659685025631, 0.107596602609,  0.169301423621,  0.0548836883191, 0.242590010956,
                       0.268652691461,  0.0511081607205, 0.0857826980082, 0.146781023373,  0.139058650229},
                      1e-9);
  expect_relative(estimate.matrix.sum(), 11.5265948618, 1e-9);
  expect_relative(estimate.matrix.norm(), 0.938114763676, 1e-9);
  // scikit-learn 1.2.1's ledoit_wolf, full digits.
  expect_relative(*estimate.shrinkage, 0.0062561033675371065, 1e-12);
  expect_relative(estimate.matrix.sum(), 11.526594861778573, 1e-12);
  EXPECT_TRUE(estimate.warnings.empty());
}

TEST(LedoitWolf, SingleFactorTargetMatchesPyPortfolioOptFormula) {
  // pandas 1.5.3 / numpy 1.24.2: PyPortfolioOpt 1.5.6's _ledoit_wolf_single_factor on this data.
  const CovarianceEstimate estimate = ledoit_wolf(stock_returns().values, ShrinkageTarget::SingleFactor);
  ASSERT_TRUE(estimate.shrinkage.has_value());
  expect_relative(*estimate.shrinkage, 0.018506888954081292, 1e-12);
  expect_relative(estimate.matrix(0, 0), 0.044982418539962606, 1e-12);
  expect_relative(estimate.matrix(4, 4), 0.2772718919237121, 1e-12);
  expect_relative(estimate.matrix(0, 1), 0.022313672126931947, 1e-12);
  expect_relative(estimate.matrix.sum(), 11.61802777346243, 1e-12);
}

TEST(LedoitWolf, ConstantCorrelationTargetMatchesPyPortfolioOptFormula) {
  // pandas 1.5.3 / numpy 1.24.2: PyPortfolioOpt 1.5.6's _ledoit_wolf_constant_correlation. The
  // diagonal is the pairwise sample variance, untouched by the shrinkage.
  const CovarianceEstimate estimate =
      ledoit_wolf(stock_returns().values, ShrinkageTarget::ConstantCorrelation);
  ASSERT_TRUE(estimate.shrinkage.has_value());
  expect_relative(*estimate.shrinkage, 0.017955063987226145, 1e-12);
  expect_relative(estimate.matrix(0, 0), 0.09321113657629149, 1e-12);
  expect_relative(estimate.matrix(0, 1), 0.046002102325263264, 1e-12);
  expect_relative(estimate.matrix.sum(), 18.00225360612921, 1e-12);
}

TEST(OracleApproximating, MatchesScikitLearnOnStockPrices) {
  // scikit-learn 1.2.1: oas(np.nan_to_num(returns)), annualised by 252 (PyPortfolioOpt 1.5.6).
  const CovarianceEstimate estimate = oracle_approximating(stock_returns().values);
  ASSERT_TRUE(estimate.shrinkage.has_value());
  expect_relative(*estimate.shrinkage, 0.0020639615138562826, 1e-12);
  expect_relative(estimate.matrix(0, 0), 0.045162699260178824, 1e-12);
  expect_relative(estimate.matrix(19, 19), 0.13908703797614813, 1e-12);
  expect_relative(estimate.matrix.sum(), 11.56405547121911, 1e-12);
}

TEST(ShrunkCovariance, BlendsTheSampleCovarianceWithItsAverageVariance) {
  // pandas 1.5.3: 0.2 * trace(S)/N * I + 0.8 * S with S = returns.cov(), times 252.
  const CovarianceEstimate estimate = shrunk_covariance(stock_returns().values, 0.2);
  expect_relative(estimate.matrix.sum(), 15.084540387191542, 1e-12);
  expect_relative(estimate.matrix(0, 0), 0.10908001033388119, 1e-12);
  expect_relative(estimate.matrix(0, 1), 0.03696182333739694, 1e-12);
  // PyPortfolioOpt test_shrunk_covariance_extreme_delta: delta 0 is the sample covariance,
  // delta 1 the average variance on the diagonal.
  const Eigen::MatrixXd sample = sample_cov(stock_returns().values).matrix;
  EXPECT_LT((shrunk_covariance(stock_returns().values, 0.0).matrix - sample).cwiseAbs().maxCoeff(), 1e-16);
  const Eigen::MatrixXd full = shrunk_covariance(stock_returns().values, 1.0).matrix;
  const Eigen::MatrixXd identity_target = Eigen::MatrixXd::Identity(20, 20) * (sample.trace() / 20.0);
  EXPECT_LT((full - identity_target).cwiseAbs().maxCoeff(), 1e-15);
  EXPECT_THROW(shrunk_covariance(stock_returns().values, 1.5), Error);
}

TEST(FixNonpositiveSemidefinite, RepairsPyPortfolioOptsTwoByTwoExample) {
  // PyPortfolioOpt test_sample_cov_npd. Closed form for [[a, b], [b, d]]: eigenvalues
  // m +- r with m = (a + d) / 2, r = sqrt(((a - d) / 2)^2 + b^2).
  Eigen::Matrix2d s;
  s << 0.03818144, 0.04182824, 0.04182824, 0.04149209;
  ASSERT_FALSE(is_positive_semidefinite(s));
  const double a = s(0, 0), b = s(0, 1), d = s(1, 1);
  const double m = (a + d) / 2.0, r = std::sqrt((a - d) * (a - d) / 4.0 + b * b);
  const double largest = m + r, smallest = m - r;
  // Spectral: only the largest eigenpair is kept, largest * v v' with v proportional to (b, largest - a).
  const PsdRepairResult spectral = fix_nonpositive_semidefinite(s, PsdRepair::Spectral);
  const Eigen::Vector2d v = Eigen::Vector2d(b, largest - a).normalized();
  const Eigen::Matrix2d expected_spectral = largest * v * v.transpose();
  EXPECT_LT((spectral.matrix - expected_spectral).cwiseAbs().maxCoeff(), 1e-16);
  ASSERT_EQ(spectral.warnings.size(), 1u);
  EXPECT_TRUE(is_positive_semidefinite(spectral.matrix));
  // Diagonal: 1.1 * |smallest| added to the diagonal.
  const PsdRepairResult diagonal = fix_nonpositive_semidefinite(s, PsdRepair::Diagonal);
  Eigen::Matrix2d expected_diagonal = s;
  expected_diagonal.diagonal().array() -= 1.1 * smallest;
  EXPECT_LT((diagonal.matrix - expected_diagonal).cwiseAbs().maxCoeff(), 1e-16);
  EXPECT_TRUE(is_positive_semidefinite(diagonal.matrix));
  ASSERT_EQ(diagonal.warnings.size(), 1u);
}

TEST(FixNonpositiveSemidefinite, LeavesAZeroMatrixAlone) {
  // PyPortfolioOpt test_is_positive_semidefinite: the 100 x 100 zero matrix passes.
  const Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(100, 100);
  EXPECT_TRUE(is_positive_semidefinite(zero));
  const PsdRepairResult result = fix_nonpositive_semidefinite(zero);
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(result.matrix, zero);
}

TEST(RiskModels, EveryModelGivesAPositiveSemidefiniteMatrixOnStockPrices) {
  // PyPortfolioOpt test_risk_matrix_and_returns_data: every model is 20 x 20, finite and PSD.
  const Eigen::MatrixXd& returns = stock_returns().values;
  const std::vector<CovarianceEstimate> estimates = {
      sample_cov(returns),
      semicovariance(returns),
      exp_cov(returns),
      ledoit_wolf(returns),
      ledoit_wolf(returns, ShrinkageTarget::SingleFactor),
      ledoit_wolf(returns, ShrinkageTarget::ConstantCorrelation),
      oracle_approximating(returns),
      shrunk_covariance(returns)};
  for (const CovarianceEstimate& estimate : estimates) {
    EXPECT_EQ(estimate.matrix.rows(), 20);
    EXPECT_EQ(estimate.matrix.cols(), 20);
    EXPECT_TRUE(estimate.matrix.allFinite());
    EXPECT_TRUE(is_positive_semidefinite(estimate.matrix));
    EXPECT_EQ(estimate.matrix, estimate.matrix.transpose());
  }
}

}  // namespace
}  // namespace tranche::optimize
