#include "policy/iam/iam_types.h"

#include "absl/strings/str_cat.h"

namespace sb::policy::iam {

std::string_view KeyStatusName(KeyStatus status) {
  return status == KeyStatus::kActive ? "Active" : "Inactive";
}

std::string_view KeyKindName(KeyKind kind) {
  switch (kind) {
    case KeyKind::kAccessKey:
      return "access-key";
    case KeyKind::kServiceAccount:
      return "service-account";
    case KeyKind::kSession:
      return "session";
  }
  return "access-key";
}

std::optional<KeyKind> ParseKeyKind(std::string_view name) {
  for (KeyKind kind : {KeyKind::kAccessKey, KeyKind::kServiceAccount, KeyKind::kSession}) {
    if (name == KeyKindName(kind)) return kind;
  }
  return std::nullopt;
}

std::string UserArn(std::string_view name) {
  return absl::StrCat("arn:aws:iam::", kAccountId, ":user/", std::string(name));
}

std::string RootArn() { return absl::StrCat("arn:aws:iam::", kAccountId, ":root"); }

}  // namespace sb::policy::iam
