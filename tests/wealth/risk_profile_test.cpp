// The chapter's questionnaire and risk mapping (data/roboadvisor). Expected values from the
// chapter: Ch07 scores tolerance answers (2nd, 2nd, 2nd) as 6 + 2 + 2 = 10 and four
// "Somewhat true" capacity answers as 8; Ch08 maps tolerance 10 / capacity 9 to portfolio 3;
// Ch09 prints "Risk Bucket: 2" for 10 / 8 (the CSV row 2,8,8,10,12).

#include "tranche/wealth/risk_profile.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "tranche/core/error.hpp"

namespace tranche::wealth {
namespace {

const std::filesystem::path kTables = std::filesystem::path(TRANCHE_DATA_DIR) / "roboadvisor";

Questionnaire chapter_questionnaire() {
  return Questionnaire::load(kTables / "Risk Questions.csv", kTables / "Risk Answers.csv");
}

TEST(Questionnaire, LoadsTheChaptersSevenQuestionsWithQuotedAnswers) {
  const auto q = chapter_questionnaire();
  ASSERT_EQ(q.questions().size(), 7U);
  ASSERT_EQ(q.answers().size(), 24U);
  EXPECT_EQ(q.questions()[0].weight, 2);
  EXPECT_EQ(q.questions()[0].text, "In general, how would your best friend describe you as a risk taker?");
  EXPECT_EQ(q.answers()[4].text, "$1,000 in cash");
  EXPECT_EQ(q.min_scores().tolerance, 4);
  EXPECT_EQ(q.max_scores().tolerance, 16);
  EXPECT_EQ(q.min_scores().capacity, 4);
  EXPECT_EQ(q.max_scores().capacity, 12);
}

TEST(Questionnaire, ScoresAreAnswerValueTimesQuestionWeight) {
  // Answers 2, 6, 10 are each question's second; 14, 17, 20, 23 are "Somewhat true".
  const auto scores = chapter_questionnaire().score({2, 6, 10, 14, 17, 20, 23});
  EXPECT_EQ(scores.tolerance, 10);
  EXPECT_EQ(scores.capacity, 8);
}

TEST(Questionnaire, EveryQuestionMustBeAnsweredOnce) {
  const auto q = chapter_questionnaire();
  EXPECT_THROW(q.score({2, 6, 10, 14, 17, 20}), Error);         // question 7 missing
  EXPECT_THROW(q.score({2, 3, 6, 10, 14, 17, 20, 23}), Error);  // question 1 twice
  EXPECT_THROW(q.score({99}), Error);
}

TEST(RiskMapping, MapsTheChaptersExamples) {
  const auto mapping = RiskMapping::load(kTables / "Risk Mapping Lookup.csv");
  EXPECT_EQ(mapping.bucket({10, 9}), 3);
  EXPECT_EQ(mapping.bucket({10, 8}), 2);
  EXPECT_EQ(mapping.bucket({4, 4}), 1);
  EXPECT_EQ(mapping.bucket({16, 12}), 5);
  EXPECT_EQ(mapping.bucket({16, 7}), 3);
  EXPECT_THROW(mapping.bucket({17, 12}), Error);
}

TEST(RiskMapping, ScorePairMappingToTwoBucketsIsAnErrorNamingIt) {
  const std::vector<RiskMapping::Row> rows{{1, 4, 5, 4, 9, 2}, {2, 5, 6, 4, 9, 3}};
  try {
    RiskMapping mapping(rows, "mapping.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "mapping.csv:3: tolerance 4, capacity 5 maps to two buckets: 1 (line 2) and 2 (line 3)");
  }
}

TEST(RiskMapping, ScorePairMappingToNoBucketIsAnErrorNamingIt) {
  const std::vector<RiskMapping::Row> rows{{1, 4, 4, 4, 6, 2}, {2, 5, 5, 7, 9, 3}};
  try {
    RiskMapping mapping(rows, "mapping.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "mapping.csv: tolerance 4, capacity 5 maps to no bucket");
  }
}

}  // namespace
}  // namespace tranche::wealth
