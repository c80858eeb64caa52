#include "tranche/wealth/risk_profile.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <set>

#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"

namespace tranche::wealth {

namespace {

int integer_cell(const CsvReader& r, std::size_t index) {
  const auto text = r.cell(index);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size())
    r.fail(index, "expected an integer, found " + quote_for_message(text));
  return value;
}

}  // namespace

Questionnaire Questionnaire::load(const std::filesystem::path& questions_csv,
                                  const std::filesystem::path& answers_csv) {
  Questionnaire q;
  {
    const std::string text = read_text_file(questions_csv);
    CsvReader r(text, questions_csv.string());
    r.read_header();
    const auto c_id = r.require_column("QuestionID"), c_type = r.require_column("QuestionType"),
               c_text = r.require_column("QuestionText"), c_weight = r.require_column("QuestionWeight");
    while (r.next_record()) {
      Question question;
      question.id = integer_cell(r, c_id);
      if (r.cell(c_type) == "Tolerance") {
        question.type = QuestionType::Tolerance;
      } else if (r.cell(c_type) == "Capacity") {
        question.type = QuestionType::Capacity;
      } else {
        r.fail(c_type, "expected Tolerance or Capacity, found " + quote_for_message(r.cell(c_type)));
      }
      question.text = std::string(r.cell(c_text));
      question.weight = integer_cell(r, c_weight);
      if (question.weight <= 0) r.fail(c_weight, "expected a positive weight");
      for (const auto& other : q.questions_)
        if (other.id == question.id)
          r.fail(c_id, "question " + std::to_string(question.id) + " is listed twice");
      q.questions_.push_back(std::move(question));
    }
  }
  {
    const std::string text = read_text_file(answers_csv);
    CsvReader r(text, answers_csv.string());
    r.read_header();
    const auto c_id = r.require_column("AnswerID"), c_text = r.require_column("AnswerText"),
               c_value = r.require_column("AnswerValue"), c_question = r.require_column("QuestionID");
    while (r.next_record()) {
      Answer answer{integer_cell(r, c_id), std::string(r.cell(c_text)), integer_cell(r, c_value),
                    integer_cell(r, c_question)};
      if (std::none_of(q.questions_.begin(), q.questions_.end(),
                       [&](const Question& question) { return question.id == answer.question; }))
        r.fail(c_question,
               "no question " + std::to_string(answer.question) + " in " + questions_csv.string());
      for (const auto& other : q.answers_)
        if (other.id == answer.id) r.fail(c_id, "answer " + std::to_string(answer.id) + " is listed twice");
      q.answers_.push_back(std::move(answer));
    }
  }
  return q;
}

RiskScores Questionnaire::score(const std::vector<int>& answer_ids) const {
  RiskScores scores;
  std::set<int> answered;
  for (const int id : answer_ids) {
    const auto answer =
        std::find_if(answers_.begin(), answers_.end(), [&](const Answer& a) { return a.id == id; });
    if (answer == answers_.end()) throw Error(ErrorKind::InvalidArgument, "no answer " + std::to_string(id));
    if (!answered.insert(answer->question).second) {
      throw Error(ErrorKind::InvalidArgument,
                  "question " + std::to_string(answer->question) + " is answered twice");
    }
    const auto& question = *std::find_if(questions_.begin(), questions_.end(),
                                         [&](const Question& q) { return q.id == answer->question; });
    (question.type == QuestionType::Tolerance ? scores.tolerance : scores.capacity) +=
        answer->value * question.weight;
  }
  for (const auto& question : questions_)
    if (!answered.contains(question.id))
      throw Error(ErrorKind::InvalidArgument, "question " + std::to_string(question.id) + " is not answered");
  return scores;
}

RiskScores Questionnaire::min_scores() const {
  RiskScores scores;
  for (const auto& question : questions_) {
    int lowest = INT_MAX;
    for (const auto& a : answers_)
      if (a.question == question.id) lowest = std::min(lowest, a.value);
    if (lowest == INT_MAX) continue;
    (question.type == QuestionType::Tolerance ? scores.tolerance : scores.capacity) +=
        lowest * question.weight;
  }
  return scores;
}

RiskScores Questionnaire::max_scores() const {
  RiskScores scores;
  for (const auto& question : questions_) {
    int highest = INT_MIN;
    for (const auto& a : answers_)
      if (a.question == question.id) highest = std::max(highest, a.value);
    if (highest == INT_MIN) continue;
    (question.type == QuestionType::Tolerance ? scores.tolerance : scores.capacity) +=
        highest * question.weight;
  }
  return scores;
}

RiskMapping RiskMapping::load(const std::filesystem::path& mapping_csv) {
  const std::string text = read_text_file(mapping_csv);
  CsvReader r(text, mapping_csv.string());
  r.read_header();
  const auto c_bucket = r.require_column("Portfolio"), c_cmin = r.require_column("Capacity_min"),
             c_cmax = r.require_column("Capacity_max"), c_tmin = r.require_column("Tolerance_min"),
             c_tmax = r.require_column("Tolerance_max");
  std::vector<Row> rows;
  while (r.next_record()) {
    Row row{integer_cell(r, c_bucket), integer_cell(r, c_cmin), integer_cell(r, c_cmax),
            integer_cell(r, c_tmin),   integer_cell(r, c_tmax), r.line()};
    if (row.capacity_min > row.capacity_max) r.fail(c_cmax, "Capacity_max is below Capacity_min");
    if (row.tolerance_min > row.tolerance_max) r.fail(c_tmax, "Tolerance_max is below Tolerance_min");
    rows.push_back(row);
  }
  return RiskMapping(std::move(rows), mapping_csv.string());
}

RiskMapping::RiskMapping(std::vector<Row> rows, const std::string& file_name) : rows_(std::move(rows)) {
  if (rows_.empty()) throw InputError({file_name, 0, 0, ""}, "the risk mapping has no rows");
  tolerance_min_ = capacity_min_ = INT_MAX;
  tolerance_max_ = capacity_max_ = INT_MIN;
  for (const auto& row : rows_) {
    tolerance_min_ = std::min(tolerance_min_, row.tolerance_min);
    tolerance_max_ = std::max(tolerance_max_, row.tolerance_max);
    capacity_min_ = std::min(capacity_min_, row.capacity_min);
    capacity_max_ = std::max(capacity_max_, row.capacity_max);
  }
  const int capacity_span = capacity_max_ - capacity_min_ + 1;
  const std::size_t cells = cell_of(tolerance_max_, capacity_max_) + 1;
  std::vector<std::size_t> row_of(cells, rows_.size());
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const auto& row = rows_[i];
    for (int t = row.tolerance_min; t <= row.tolerance_max; ++t) {
      for (int c = row.capacity_min; c <= row.capacity_max; ++c) {
        const auto cell = cell_of(t, c);
        if (row_of[cell] != rows_.size()) {
          const auto& first = rows_[row_of[cell]];
          throw InputError({file_name, row.line, 0, ""},
                           "tolerance " + std::to_string(t) + ", capacity " + std::to_string(c) +
                               " maps to two buckets: " + std::to_string(first.bucket) + " (line " +
                               std::to_string(first.line) + ") and " + std::to_string(row.bucket) +
                               " (line " + std::to_string(row.line) + ")");
        }
        row_of[cell] = i;
      }
    }
  }
  bucket_by_cell_.resize(cells);
  for (std::size_t cell = 0; cell < cells; ++cell) {
    if (row_of[cell] == rows_.size()) {
      const int t = tolerance_min_ + static_cast<int>(cell) / capacity_span;
      const int c = capacity_min_ + static_cast<int>(cell) % capacity_span;
      throw InputError({file_name, 0, 0, ""}, "tolerance " + std::to_string(t) + ", capacity " +
                                                  std::to_string(c) + " maps to no bucket");
    }
    bucket_by_cell_[cell] = rows_[row_of[cell]].bucket;
  }
}

std::size_t RiskMapping::cell_of(int tolerance, int capacity) const {
  // value - low for value >= low, computed in size_t (exact modulo 2^64).
  auto offset = [](int value, int low) {
    return static_cast<std::size_t>(value) - static_cast<std::size_t>(low);
  };
  return offset(tolerance, tolerance_min_) * (offset(capacity_max_, capacity_min_) + 1) +
         offset(capacity, capacity_min_);
}

int RiskMapping::bucket(RiskScores scores) const {
  if (scores.tolerance < tolerance_min_ || scores.tolerance > tolerance_max_ ||
      scores.capacity < capacity_min_ || scores.capacity > capacity_max_) {
    throw Error(ErrorKind::InvalidArgument,
                "risk scores tolerance " + std::to_string(scores.tolerance) + ", capacity " +
                    std::to_string(scores.capacity) + " are outside the mapping (tolerance " +
                    std::to_string(tolerance_min_) + "-" + std::to_string(tolerance_max_) + ", capacity " +
                    std::to_string(capacity_min_) + "-" + std::to_string(capacity_max_) + ")");
  }
  return bucket_by_cell_[cell_of(scores.tolerance, scores.capacity)];
}

}  // namespace tranche::wealth
