#include "tranche/wealth/account.hpp"

#include <gtest/gtest.h>

#include "tranche/core/error.hpp"
#include "tranche/wealth/model_portfolio.hpp"

namespace tranche::wealth {
namespace {

Decimal dec(const char* text) { return Decimal::parse(text); }

TEST(AccountStatus, ApplicationIsReviewedThenApprovedThenSuspendedAndReinstated) {
  auto s = transition(AccountStatus::Pending, AccountStatus::InReview);
  s = transition(s, AccountStatus::Approved);
  s = transition(s, AccountStatus::Suspended);
  EXPECT_EQ(transition(s, AccountStatus::Approved), AccountStatus::Approved);
}

TEST(AccountStatus, PendingAccountCannotBeApprovedWithoutReview) {
  EXPECT_FALSE(can_transition(AccountStatus::Pending, AccountStatus::Approved));
  try {
    transition(AccountStatus::Pending, AccountStatus::Approved);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "account status cannot go from PENDING to APPROVED");
  }
}

TEST(AccountStatus, RejectedAccountIsClosed) {
  for (auto to :
       {AccountStatus::Pending, AccountStatus::InReview, AccountStatus::Approved, AccountStatus::Suspended})
    EXPECT_FALSE(can_transition(AccountStatus::Rejected, to));
}

TEST(AccountType, ParsesTheChaptersNames) {
  EXPECT_EQ(parse_account_type("Roth IRA"), AccountType::RothIra);
  EXPECT_EQ(parse_account_type("Traditional IRA"), AccountType::TraditionalIra);
  EXPECT_EQ(parse_account_type("Taxable"), AccountType::Taxable);
  EXPECT_FALSE(parse_account_type("roth ira").has_value());
}

TEST(Holdings, AreKeyedBySymbolNotByPosition) {
  Holdings h;
  h.add("VTI", dec("1.5"));
  h.add("GLD", dec("0.25"));
  h.add("VTI", dec("0.5"));
  EXPECT_EQ(h.units("VTI"), dec("2"));
  EXPECT_EQ(h.units("GLD"), dec("0.25"));
  EXPECT_EQ(h.units("TLT"), Decimal());
  ASSERT_EQ(h.positions().size(), 2U);
  EXPECT_EQ(h.positions()[0].symbol, "GLD");  // sorted by symbol, whatever the order of arrival
}

TEST(ModelPortfolio, ExactRuleAcceptsWeightsSummingToOne) {
  const ModelPortfolio growth("Growth", {{"VTI", dec("0.55")},
                                         {"TLT", dec("0.1")},
                                         {"IEI", dec("0.1")},
                                         {"GLD", dec("0.15")},
                                         {"DBC", dec("0.1")}});
  EXPECT_EQ(growth.weight_sum(), dec("1"));
  EXPECT_EQ(growth.weight("GLD"), dec("0.15"));
}

TEST(ModelPortfolio, PrintedRuleAcceptsTheChaptersRoundingResidueButNotMore) {
  const std::vector<ModelWeight> moderate{{"GLD", dec("0.36858")},
                                          {"IEI", dec("0.26399")},
                                          {"VTI", dec("0.30278")},
                                          {"TLT", dec("0.06466")},
                                          {"DBC", {}}};
  EXPECT_EQ(ModelPortfolio("Moderate", moderate, WeightSum::Printed).weight_sum(), dec("1.00001"));
  EXPECT_THROW(ModelPortfolio("Moderate", moderate, WeightSum::Exact), Error);
  // 4 weights at 5 decimals may miss 1 by up to 4 x 0.000005 = 0.00002; 0.00003 is too far.
  auto off = moderate;
  off[0].weight = dec("0.36860");
  try {
    ModelPortfolio("Moderate", off, WeightSum::Printed);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("weights sum to 1.00003"), std::string::npos) << e.what();
  }
}

TEST(ModelPortfolio, RejectsNegativeAndRepeatedWeights) {
  EXPECT_THROW(ModelPortfolio("M", {{"A", dec("1.5")}, {"B", dec("-0.5")}}), Error);
  EXPECT_THROW(ModelPortfolio("M", {{"A", dec("0.5")}, {"A", dec("0.5")}}), Error);
  EXPECT_THROW(ModelPortfolio("M", {{"A", {}}}), Error);
}

TEST(CleanWeights, CutsTinyWeightsAndSumsToExactlyOne) {
  // D is below the 1e-4 cutoff. PyPortfolioOpt would give 0.33333, 0.33333, 0.33329, 0
  // (sum 0.99995). Ours split exactly 1 in proportion to the kept weights (sum 0.99996):
  // A and B 0.3333467, C 0.3333067; floors 0.33334, 0.33334, 0.33330 leave 2 units, which go
  // to A and B (remainder 0.6747 against C's 0.6707).
  const auto cleaned = clean_weights({{"A", 1.0 / 3}, {"B", 1.0 / 3}, {"C", 1.0 / 3 - 4e-5}, {"D", 4e-5}});
  ASSERT_EQ(cleaned.size(), 4U);
  EXPECT_EQ(cleaned[0].weight, dec("0.33335"));
  EXPECT_EQ(cleaned[1].weight, dec("0.33335"));
  EXPECT_EQ(cleaned[2].weight, dec("0.3333"));
  EXPECT_EQ(cleaned[3].weight, Decimal());
  Decimal sum;
  for (const auto& w : cleaned) sum += w.weight;
  EXPECT_EQ(sum, dec("1"));
}

TEST(CleanWeights, RefusesShortWeights) { EXPECT_THROW(clean_weights({{"A", 1.2}, {"B", -0.2}}), Error); }

}  // namespace
}  // namespace tranche::wealth
