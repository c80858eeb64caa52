// The typed events' journal payloads: printed without a JSON library, they must be the bytes
// nlohmann::json's dump() gave for the same object (keys in alphabetical order, decimals as
// text), which is what books written before typed events hold; and they must read back into
// the same event.

#include "tranche/store/events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tranche/core/error.hpp"

namespace tranche::store {
namespace {

using nlohmann::json;

// A book with one account, goal, model and order, so that events naming them apply.
BookState small_book() {
  BookState state;
  const std::vector<Event> setup = {
      account_opened("A1", wealth::AccountType::RothIra, wealth::AccountStatus::Approved),
      model_defined(wealth::ModelPortfolio("Balanced",
                                           {{"IEI", Decimal::parse("0.5")}, {"VTI", Decimal::parse("0.5")}})),
      goal_opened("A1",
                  wealth::Goal{0, "House", 0, 2030, Decimal::parse("250000"), wealth::Priority::Needs, {}},
                  "Balanced"),
      order_created("O1", "A1", "House", oms::Side::Buy, Decimal::parse("100")),
  };
  for (const auto& event : setup) store::apply(state, event);
  return state;
}

std::string payload(const Event& event, const BookState& state) {
  std::string out;
  write_payload(event, state, out);
  return out;
}

TEST(EventPayloads, AreTheBytesNlohmannJsonDumpedForEveryEventType) {
  const BookState state = small_book();
  StoredBlock block{
      1, 1, 0, "VTI", oms::Side::Buy, Decimal::parse("100.00"), {{0, Decimal::parse("100.00")}}};
  const std::vector<std::pair<Event, json>> cases = {
      {account_opened("A1", wealth::AccountType::RothIra, wealth::AccountStatus::Approved),
       {{"account", "A1"}, {"type", "Roth IRA"}, {"status", "APPROVED"}}},
      {account_status_changed("A1", wealth::AccountStatus::Suspended),
       {{"account", "A1"}, {"status", "SUSPENDED"}}},
      {deposit("A1", Decimal::parse("11")), {{"account", "A1"}, {"amount", "11.00"}}},
      {withdrawal("A1", Decimal::parse("0.5")), {{"account", "A1"}, {"amount", "0.50"}}},
      {model_defined(wealth::ModelPortfolio(
           "Balanced", {{"IEI", Decimal::parse("0.5")}, {"VTI", Decimal::parse("0.50")}})),
       {{"model", "Balanced"},
        {"weights", json::array({json::array({"IEI", "0.5"}), json::array({"VTI", "0.5"})})}}},
      {goal_opened("A1",
                   wealth::Goal{0, "House", 0, 2030, Decimal::parse("250000"), wealth::Priority::Needs, {}},
                   "Balanced"),
       {{"account", "A1"},
        {"goal", "House"},
        {"model", "Balanced"},
        {"target_year", 2030},
        {"target_value", "250000"},
        {"priority", "Needs"}}},
      {price_set("VTI", Decimal::parse("201.540")), {{"symbol", "VTI"}, {"close", "201.54"}}},
      {goal_holding_changed("A1", "House", "VTI", Decimal::parse("-0.25")),
       {{"account", "A1"}, {"goal", "House"}, {"symbol", "VTI"}, {"change", "-0.25"}}},
      {order_created("O1", "A1", "House", oms::Side::Sell, Decimal::parse("100")),
       {{"order", "O1"}, {"account", "A1"}, {"goal", "House"}, {"side", "SELL"}, {"amount", "100.00"}}},
      {order_rejected("O1", "cash", "needs 100.00, has 5.00"),
       {{"order", "O1"}, {"rule", "cash"}, {"reason", "needs 100.00, has 5.00"}}},
      {order_sent("O1"), {{"order", "O1"}}},
      {order_state_changed("O1", oms::OrderState::PartiallyFilled),
       {{"order", "O1"}, {"state", "PARTIALLY_FILLED"}}},
      {block_created(block),
       {{"block", 1},
        {"cycle", 1},
        {"index", 0},
        {"symbol", "VTI"},
        {"side", "BUY"},
        {"dollars", "100"},
        {"splits", json::array({json::array({"O1", "100"})})}}},
      {fill_received({1, "E-7", Decimal::parse("0.4962"), Decimal::parse("201.54")}),
       {{"block", 1}, {"exec_id", "E-7"}, {"units", "0.4962"}, {"price", "201.54"}}},
      {allocation_booked(1, "E-7", 0, "VTI", oms::Side::Buy, Decimal::parse("0.4962"), Decimal::parse("100")),
       {{"block", 1},
        {"exec_id", "E-7"},
        {"order", "O1"},
        {"symbol", "VTI"},
        {"side", "BUY"},
        {"units", "0.4962"},
        {"cash", "100.00"}}},
  };
  ASSERT_EQ(cases.size(), std::variant_size_v<Event>);  // one of each type
  for (const auto& [event, expected] : cases) {
    const std::string text = payload(event, state);
    EXPECT_EQ(text, expected.dump()) << event_type(event);
    // And it reads back as the same event: printing it again gives the same bytes.
    EXPECT_EQ(payload(parse_event(event_type(event), text, state), state), text) << event_type(event);
  }
}

TEST(EventPayloads, EscapeNamesAsNlohmannJsonDid) {
  const BookState state;
  // Quotes, backslashes, the short escapes, other control characters and UTF-8 as is.
  const std::string name = "Ann \"Q\" \\ \b\f\n\r\t \x01\x1f caf\xc3\xa9 \xe2\x82\xac";
  const json expected = {{"order", name}};
  EXPECT_EQ(payload(order_sent(name), state), expected.dump());
  EXPECT_EQ(payload(order_sent(name), state),
            "{\"order\":\"Ann \\\"Q\\\" \\\\ \\b\\f\\n\\r\\t \\u0001\\u001f caf\xc3\xa9 \xe2\x82\xac\"}");
}

TEST(EventPayloads, RefuseTextThatIsNotUtf8) {
  const BookState state;
  for (const std::string bad : {"\xff", "caf\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    EXPECT_THROW(payload(order_sent(bad), state), Error) << bad;
    EXPECT_THROW((void)json(json::object({{"order", bad}})).dump(), json::type_error)
        << bad;  // the old writer refused too
  }
}

TEST(EventPayloads, ReadAnyJsonSpellingOfTheSameObject) {
  const BookState state = small_book();
  // Spaces, keys out of order, escapes and non-ASCII text: read by the JSON library, not the scan
  // of the journal's own form, into the same event.
  const Event spaced =
      parse_event("order_rejected",
                  "{ \"rule\" : \"cash\", \"reason\": \"caf\\u00e9 \\\"A\\\"\", \"order\":\"O1\" }", state);
  EXPECT_EQ(payload(spaced, state),
            "{\"order\":\"O1\",\"reason\":\"caf\xc3\xa9 \\\"A\\\"\",\"rule\":\"cash\"}");
  const Event model =
      parse_event("model_defined", R"({"weights": [ ["IEI", "0.5"], ["VTI","0.5"] ], "model":"M"})", state);
  EXPECT_EQ(payload(model, state), R"({"model":"M","weights":[["IEI","0.5"],["VTI","0.5"]]})");
  const Event block = parse_event(
      "block_created",
      R"({"block":2,"cycle":1,"dollars":"100","index":0,"side":"SELL","splits":[["O1","100"]],"symbol":"VTI"})",
      state);
  EXPECT_EQ(std::get<BlockCreated>(block).block.splits.at(0).first, 0u);  // O1 is the book's first order
  EXPECT_EQ(std::get<BlockCreated>(block).block.side, oms::Side::Sell);
}

TEST(EventPayloads, NameTheTypeAndFieldWhenTheyCannotBeRead) {
  const BookState state = small_book();
  try {
    (void)parse_event("deposit", R"({"account":"A1","amount":11})", state);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 R"(event payload of deposit: expected text field 'amount' in {"account":"A1","amount":11})");
  }
  try {
    (void)parse_event(
        "allocation_booked",
        R"({"block":1,"cash":"1.00","exec_id":"E","order":"O9","side":"BUY","symbol":"VTI","units":"1"})",
        state);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no order O9"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)parse_event("dividend", "{}", state), Error);
  for (const char* bad : {R"({"block":1.5,"cycle":1})", R"({"block":01})", R"({"block":1)", "[]", "not json"})
    EXPECT_THROW((void)parse_event("fill_received", bad, state), Error) << bad;
}

TEST(EventReducer, BooksAnAllocationAgainstTheOrdersAccountAndGoal) {
  BookState state = small_book();
  store::apply(state, deposit("A1", Decimal::parse("150")));
  store::apply(state, allocation_booked(1, "E1", 0, "VTI", oms::Side::Buy, Decimal::parse("0.4962"),
                                        Decimal::parse("100")));
  EXPECT_EQ(state.book.accounts[0].cash.to_string(2), "50.00");
  EXPECT_EQ(state.book.goals[0].holdings.units("VTI").to_string(), "0.4962");
  EXPECT_EQ(state.find_account("A1"), 0u);
  EXPECT_EQ(state.find_goal(0, "House"), 0u);
  EXPECT_EQ(state.find_order("O1"), 0u);
  EXPECT_EQ(state.find_order("O2"), BookState::kNone);
  EXPECT_THROW(store::apply(state, order_created("O1", "A1", "House", oms::Side::Buy, Decimal::parse("1"))),
               Error);
}

}  // namespace
}  // namespace tranche::store
