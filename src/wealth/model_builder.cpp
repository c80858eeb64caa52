#include "tranche/wealth/model_builder.hpp"

#include <cmath>
#include <map>

#include "tranche/core/csv.hpp"
#include "tranche/core/error.hpp"
#include "tranche/optimize/efficient_frontier.hpp"

namespace tranche::wealth {

ModelPortfolio build_model(const ModelTarget& target, const optimize::Estimates& estimates) {
  const optimize::EfficientFrontier frontier(estimates.symbols, estimates.expected_returns,
                                             estimates.covariance);
  const auto portfolio = [&] {
    try {
      return frontier.efficient_return(target.target_return);
    } catch (const Error& e) {
      throw Error(e.kind(), "model '" + target.model + "': " + e.what());
    }
  }();
  if (portfolio.report.status != optimize::QpStatus::Optimal) {
    throw Error(ErrorKind::Infeasible,
                "model '" + target.model + "': no long-only portfolio at target return " +
                    std::to_string(target.target_return) + ": " + portfolio.report.message);
  }
  std::map<std::string, double> raw;
  for (std::size_t i = 0; i < estimates.symbols.size(); ++i)
    raw[estimates.symbols[i]] = portfolio.weights[static_cast<Eigen::Index>(i)];
  return ModelPortfolio(target.model, clean_weights(raw));
}

std::vector<ModelTarget> load_model_targets(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  CsvReader reader(text, path.string());
  reader.read_header();
  const auto c_model = reader.require_column("model"), c_target = reader.require_column("target_return");
  std::vector<ModelTarget> targets;
  while (reader.next_record()) {
    ModelTarget target{std::string(reader.cell(c_model)), reader.number(c_target)};
    if (target.model.empty()) reader.fail(c_model, "expected a model name");
    for (const auto& t : targets)
      if (t.model == target.model) reader.fail(c_model, "model " + target.model + " is listed twice");
    targets.push_back(std::move(target));
  }
  if (targets.empty())
    throw InputError({path.string(), 1, 0, ""}, "expected at least one model,target_return row");
  return targets;
}

}  // namespace tranche::wealth
