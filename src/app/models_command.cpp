// `tranche models`: model portfolios built by the optimizer from a price file. For each
// model,target_return row of --targets, the long-only efficient-return portfolio (mean
// historical returns, sample covariance), cleaned to 5 decimals summing to exactly 1, written
// as models.csv (model,symbol,weight; weights above zero), the book's shape.

#include <fstream>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "tranche/core/error.hpp"
#include "tranche/data/prices.hpp"
#include "tranche/data/returns.hpp"
#include "tranche/wealth/model_builder.hpp"

namespace tranche::app {

void add_models_command(CLI::App& app) {
  struct Options {
    std::string prices, targets, out;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command =
      app.add_subcommand("models", "Build model portfolios with the optimizer (efficient return per model)");
  command->add_option("--prices", options->prices, "Price file (wide or long form)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--targets", options->targets, "model,target_return rows (annual returns)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--out", options->out, "models.csv to write (model,symbol,weight)")->required();
  command->callback([options] {
    const auto targets = wealth::load_model_targets(options->targets);
    const auto returns = data::returns_from_prices(data::load_prices(options->prices));
    const auto estimates = optimize::estimate(returns, optimize::EstimateSettings{});
    std::vector<wealth::ModelPortfolio> models;
    for (const auto& target : targets) models.push_back(wealth::build_model(target, estimates));

    std::ofstream out(options->out, std::ios::binary);
    if (!out) throw Error(ErrorKind::Io, options->out + ": cannot be written");
    out << "model,symbol,weight\n";
    for (const auto& model : models)
      for (const auto& w : model.weights())
        if (w.weight.sign() > 0)
          out << model.name() << ',' << w.symbol << ',' << w.weight.to_string() << '\n';
    out.close();
    if (!out) throw Error(ErrorKind::Io, options->out + ": write failed");
    for (std::size_t m = 0; m < models.size(); ++m) {
      std::size_t held = 0;
      for (const auto& w : models[m].weights()) held += w.weight.sign() > 0 ? 1 : 0;
      std::cout << models[m].name() << ": target return " << targets[m].target_return << ", " << held
                << " symbols, weights sum to " << models[m].weight_sum().to_string() << "\n";
    }
  });
}

}  // namespace tranche::app
