#include "policy/eval/internal/strict_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <string>
#include <vector>

#include "common/error_reason.h"
#include "policy/eval/internal/cat.h"

namespace sb::policy::eval::internal {
namespace {

namespace json = boost::json;

// A basic_parser handler that builds nothing and only tracks the keys of each open object.
struct DuplicateKeyChecker {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  std::vector<std::vector<std::string>> open_objects;
  std::string key;
  std::string duplicate;  // set when a duplicate was found

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    open_objects.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) {
    open_objects.pop_back();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key.append(s.data(), s.size());
    std::vector<std::string>& keys = open_objects.back();
    for (const std::string& k : keys) {
      if (k == key) {
        duplicate = key;
        ec = json::error::extra_data;  // any error stops the parser; `duplicate` says why
        return false;
      }
    }
    keys.push_back(std::move(key));
    key.clear();
    return true;
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view, json::error_code&) { return true; }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

absl::Status Invalid(std::string_view message) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument, message);
}

}  // namespace

absl::StatusOr<json::value> ParseStrictJson(std::string_view text) {
  json::basic_parser<DuplicateKeyChecker> checker{json::parse_options{}};
  json::error_code ec;
  std::size_t consumed = checker.write_some(false, text.data(), text.size(), ec);
  if (!checker.handler().duplicate.empty()) {
    return Invalid(internal::Cat("malformed JSON: duplicate key \"", checker.handler().duplicate,
                                 "\" at byte ", consumed));
  }
  if (ec) {
    return Invalid(internal::Cat("malformed JSON at byte ", consumed, ": ", ec.message()));
  }
  json::value value = json::parse(json::string_view(text.data(), text.size()), ec);
  if (ec) return Invalid(internal::Cat("malformed JSON: ", ec.message()));
  return value;
}

}  // namespace sb::policy::eval::internal
