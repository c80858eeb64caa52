#pragma once
// A client's risk profile: the questionnaire's weighted scores for risk tolerance and risk
// capacity, mapped to a risk bucket (the model portfolio the client's goals follow).
// The tables are the robo-advisor chapter's Risk Questions.csv, Risk Answers.csv and
// Risk Mapping Lookup.csv (bundled under data/roboadvisor/).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tranche::wealth {

enum class QuestionType { Tolerance, Capacity };

struct Question {
  int id = 0;
  QuestionType type = QuestionType::Tolerance;
  std::string text;
  int weight = 1;
};

struct Answer {
  int id = 0;
  std::string text;
  int value = 0;
  int question = 0;  // the question's id
};

struct RiskScores {
  int tolerance = 0;
  int capacity = 0;
};

class Questionnaire {
 public:
  // Reads "Risk Questions.csv" and "Risk Answers.csv". InputError naming file, line and column
  // for a bad cell, an unknown question type, a repeated id, or an answer to no question.
  static Questionnaire load(const std::filesystem::path& questions_csv,
                            const std::filesystem::path& answers_csv);

  const std::vector<Question>& questions() const { return questions_; }
  const std::vector<Answer>& answers() const { return answers_; }
  // Sums answer value x question weight per question type. Exactly one answer per question:
  // Error(InvalidArgument) naming the unknown answer id, or the question answered twice or
  // not at all.
  RiskScores score(const std::vector<int>& answer_ids) const;
  // The lowest and highest score each type can reach.
  RiskScores min_scores() const;
  RiskScores max_scores() const;

 private:
  std::vector<Question> questions_;
  std::vector<Answer> answers_;
};

// (tolerance, capacity) -> risk bucket, bounds inclusive.
class RiskMapping {
 public:
  struct Row {
    int bucket = 0;
    int capacity_min = 0, capacity_max = 0;
    int tolerance_min = 0, tolerance_max = 0;
    std::size_t line = 0;
  };
  // Validated: every integer (tolerance, capacity) pair between the lowest and highest bounds
  // of the table must map to exactly one bucket; a pair mapping to none or to two is an
  // InputError naming the pair (and both rows' lines when two).
  static RiskMapping load(const std::filesystem::path& mapping_csv);
  explicit RiskMapping(std::vector<Row> rows, const std::string& file_name = "risk mapping");

  // Error(InvalidArgument) for scores outside the table.
  int bucket(RiskScores scores) const;
  RiskScores min_scores() const { return {tolerance_min_, capacity_min_}; }
  RiskScores max_scores() const { return {tolerance_max_, capacity_max_}; }

 private:
  std::vector<Row> rows_;
  int tolerance_min_ = 0, tolerance_max_ = 0, capacity_min_ = 0, capacity_max_ = 0;
  std::size_t cell_of(int tolerance, int capacity) const;  // index into bucket_by_cell_
  std::vector<int> bucket_by_cell_;  // (tolerance - min) * capacity span + (capacity - min)
};

}  // namespace tranche::wealth
