// JSON codec of the IAM records (see iam_state.h). Every record carries "v": 1; times are
// Unix nanoseconds.
#include <boost/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"
#include "common/hex.h"
#include "policy/iam/internal/iam_state.h"

namespace sb::policy::iam::internal {
namespace {

namespace json = boost::json;

constexpr int64_t kFormat = 1;

json::string_view J(std::string_view s) { return json::string_view(s.data(), s.size()); }

json::array StringArray(const std::set<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(J(v));
  return out;
}

// Reads fields of one record, remembering the first problem.
class Reader {
 public:
  Reader(std::string_view kind, std::string_view name, std::string_view bytes)
      : kind_(kind), name_(name) {
    boost::system::error_code ec;
    json::value v = json::parse(json::string_view(bytes.data(), bytes.size()), ec);
    if (ec || !v.is_object()) {
      Fail("not a JSON object");
      return;
    }
    obj_ = std::move(v.as_object());
    if (Int("v") != kFormat) Fail("unsupported record version");
  }

  int64_t Int(std::string_view key) {
    const json::value* v = obj_.if_contains(J(key));
    if (v == nullptr || !v->is_int64()) {
      Fail(absl::StrCat("missing integer ", std::string(key)));
      return 0;
    }
    return v->as_int64();
  }
  std::optional<int64_t> OptionalInt(std::string_view key) {
    if (obj_.if_contains(J(key)) == nullptr) return std::nullopt;
    return Int(key);
  }
  std::string OptionalString(std::string_view key) {
    if (obj_.if_contains(J(key)) == nullptr) return "";
    return String(key);
  }
  std::string String(std::string_view key) {
    const json::value* v = obj_.if_contains(J(key));
    if (v == nullptr || !v->is_string()) {
      Fail(absl::StrCat("missing string ", std::string(key)));
      return "";
    }
    return std::string(v->as_string());
  }
  bool Bool(std::string_view key) {
    const json::value* v = obj_.if_contains(J(key));
    if (v == nullptr || !v->is_bool()) {
      Fail(absl::StrCat("missing bool ", std::string(key)));
      return false;
    }
    return v->as_bool();
  }
  std::set<std::string> Strings(std::string_view key) {
    std::set<std::string> out;
    const json::value* v = obj_.if_contains(J(key));
    if (v == nullptr || !v->is_array()) {
      Fail(absl::StrCat("missing array ", std::string(key)));
      return out;
    }
    for (const auto& e : v->as_array()) {
      if (!e.is_string()) {
        Fail(absl::StrCat("non-string in ", std::string(key)));
        return out;
      }
      out.emplace(e.as_string());
    }
    return out;
  }
  absl::Time Time(std::string_view key) { return absl::FromUnixNanos(Int(key)); }

  void Fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
  }
  absl::Status status() const {
    if (error_.empty()) return absl::OkStatus();
    return MakeError(
        absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
        absl::StrCat("IAM ", std::string(kind_), " record ", std::string(name_), ": ", error_));
  }

 private:
  std::string_view kind_;
  std::string_view name_;
  json::object obj_;
  std::string error_;
};

}  // namespace

std::string EncodeUser(const UserEntry& u) {
  json::object o{{"v", kFormat},
                 {"user_id", J(u.user_id)},
                 {"enabled", u.enabled},
                 {"created", absl::ToUnixNanos(u.created)}};
  o["policies"] = StringArray(u.policies);
  o["groups"] = StringArray(u.groups);
  return json::serialize(o);
}

absl::StatusOr<UserEntry> DecodeUser(std::string_view name, std::string_view bytes) {
  Reader r(kUserKind, name, bytes);
  UserEntry u;
  if (r.status().ok()) {
    u.user_id = r.String("user_id");
    u.enabled = r.Bool("enabled");
    u.created = r.Time("created");
    u.policies = r.Strings("policies");
    u.groups = r.Strings("groups");
  }
  if (!r.status().ok()) return r.status();
  return u;
}

std::string EncodeGroup(const GroupEntry& g) {
  json::object o{{"v", kFormat}, {"created", absl::ToUnixNanos(g.created)}};
  o["policies"] = StringArray(g.policies);
  return json::serialize(o);
}

absl::StatusOr<GroupEntry> DecodeGroup(std::string_view name, std::string_view bytes) {
  Reader r(kGroupKind, name, bytes);
  GroupEntry g;
  if (r.status().ok()) {
    g.created = r.Time("created");
    g.policies = r.Strings("policies");
  }
  if (!r.status().ok()) return r.status();
  return g;
}

std::string EncodePolicy(const PolicyEntry& p) {
  json::object o{{"v", kFormat},
                 {"document", J(p.document)},
                 {"created", absl::ToUnixNanos(p.created)},
                 {"updated", absl::ToUnixNanos(p.updated)}};
  return json::serialize(o);
}

absl::StatusOr<PolicyEntry> DecodePolicy(std::string_view name, std::string_view bytes) {
  Reader r(kPolicyKind, name, bytes);
  PolicyEntry p;
  if (r.status().ok()) {
    p.document = r.String("document");
    p.created = r.Time("created");
    p.updated = r.Time("updated");
  }
  if (!r.status().ok()) return r.status();
  return p;
}

std::string EncodeKey(const KeyEntry& k) {
  json::object o{{"v", kFormat},
                 {"user", J(k.user)},
                 {"secret", J(k.sealed_secret)},
                 {"status", J(KeyStatusName(k.status))},
                 {"created", absl::ToUnixNanos(k.created)}};
  if (k.last_used.has_value()) o["last_used"] = absl::ToUnixNanos(*k.last_used);
  if (!k.policy_document.empty()) o["policy"] = J(k.policy_document);
  if (!k.description.empty()) o["description"] = J(k.description);
  if (k.kind != KeyKind::kAccessKey) o["kind"] = J(KeyKindName(k.kind));
  if (k.expires.has_value()) o["expires"] = absl::ToUnixNanos(*k.expires);
  if (!k.session_token_sha256.empty()) o["token_sha256"] = J(HexEncode(k.session_token_sha256));
  return json::serialize(o);
}

absl::StatusOr<KeyEntry> DecodeKey(std::string_view name, std::string_view bytes) {
  Reader r(kAccessKeyKind, name, bytes);
  KeyEntry k;
  if (r.status().ok()) {
    k.user = r.String("user");
    k.sealed_secret = r.String("secret");
    std::string status = r.String("status");
    if (status == KeyStatusName(KeyStatus::kActive)) {
      k.status = KeyStatus::kActive;
    } else if (status == KeyStatusName(KeyStatus::kInactive)) {
      k.status = KeyStatus::kInactive;
    } else {
      r.Fail("unknown status");
    }
    k.created = r.Time("created");
    if (std::optional<int64_t> used = r.OptionalInt("last_used")) {
      k.last_used = absl::FromUnixNanos(*used);
    }
    k.policy_document = r.OptionalString("policy");
    k.description = r.OptionalString("description");
    std::string kind = r.OptionalString("kind");
    if (std::optional<KeyKind> parsed = ParseKeyKind(kind)) {
      k.kind = *parsed;
    } else if (!kind.empty()) {
      r.Fail("unknown kind");
    }
    if (std::optional<int64_t> expires = r.OptionalInt("expires")) {
      k.expires = absl::FromUnixNanos(*expires);
    }
    std::string token = r.OptionalString("token_sha256");
    if (!token.empty() && !HexDecode(token, &k.session_token_sha256)) r.Fail("bad token_sha256");
    if (k.kind == KeyKind::kSession && (k.session_token_sha256.size() != 32 || !k.expires)) {
      r.Fail("a session needs a token hash and an expiry");
    }
  }
  if (!r.status().ok()) return r.status();
  return k;
}

}  // namespace sb::policy::iam::internal
