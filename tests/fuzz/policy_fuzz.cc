// Fuzzes the IAM policy language (policy/eval/): the strict JSON reader, ParsePolicy for
// identity, bucket and session policies, PutBucketPolicy's validation
// (policy::ParseBucketPolicy, which must agree with the bucket parse), and the evaluator over
// each policy that parses. Input: the policy document, optionally followed by
// a line "====" and request lines: the action, the resource, then "key=value" condition
// context entries (a key may repeat: multivalued). Without them a fixed set of requests is
// used. Properties: Explain decides exactly as Evaluate; a policy with only Deny statements
// never allows an IAM user; an anonymous request is never allowed by identity policies.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/error_reason.h"
#include "policy/bucket_policy.h"
#include "policy/eval/evaluator.h"
#include "policy/eval/policy.h"
#include "tests/fuzz/fuzz_util.h"

namespace sb::policy::eval {
namespace {

EvalRequest User(std::string action, std::string resource) {
  EvalRequest r;
  r.account = "111122223333";
  r.principal_arn = "arn:aws:iam::111122223333:user/alice";
  r.user = "alice";
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}

EvalRequest Anonymous(std::string action, std::string resource) {
  EvalRequest r;
  r.action = std::move(action);
  r.resource = std::move(resource);
  return r;
}

EvalRequest OtherAccount(std::string action, std::string resource) {
  EvalRequest r = User(std::move(action), std::move(resource));
  r.account = "444455556666";
  r.principal_arn = "arn:aws:iam::444455556666:user/mallory";
  r.user = "mallory";
  r.resource_account = "111122223333";
  return r;
}

void AddContext(EvalRequest& r) {
  static const absl::Time kNow =
      absl::FromCivil(absl::CivilSecond(2024, 1, 2, 3, 4, 5), absl::UTCTimeZone());
  AddGlobalContextKeys(r, kNow);
  r.context["aws:SourceIp"] = {"192.0.2.10"};
  r.context["aws:SecureTransport"] = {"false"};
  r.context["s3:prefix"] = {"home/alice/"};
  r.context["s3:max-keys"] = {"100"};
  r.context["aws:TagKeys"] = {"env", "team"};
}

std::vector<EvalRequest> DefaultRequests() {
  std::vector<EvalRequest> out;
  out.push_back(User("s3:GetObject", "arn:aws:s3:::bucket-name/home/alice/a.txt"));
  out.push_back(User("s3:ListBucket", "arn:aws:s3:::bucket-name"));
  out.push_back(User("s3:PutObject", "arn:aws:s3:::other/x"));
  out.push_back(Anonymous("s3:GetObject", "arn:aws:s3:::bucket-name/public/p.html"));
  out.push_back(OtherAccount("s3:DeleteObject", "arn:aws:s3:::bucket-name/k"));
  for (EvalRequest& r : out) AddContext(r);
  return out;
}

// "action\nresource\nkey=value\n..." after the "====" line.
EvalRequest RequestFromText(std::string_view text) {
  EvalRequest r = User(std::string(fuzz::NextLine(&text)), std::string(fuzz::NextLine(&text)));
  AddContext(r);
  while (!text.empty()) {
    std::string_view line = fuzz::NextLine(&text);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    r.context[std::string(line.substr(0, eq))].emplace_back(line.substr(eq + 1));
  }
  return r;
}

bool OnlyDenies(const Policy& p) {
  for (const Statement& s : p.statements) {
    if (s.effect == Effect::kAllow) return false;
  }
  return true;
}

void CheckSame(const Decision& a, const Decision& b) {
  SB_FUZZ_CHECK(a.allowed == b.allowed);
  SB_FUZZ_CHECK(a.kind == b.kind);
  SB_FUZZ_CHECK(a.source == b.source);
}

void EvaluateAll(const std::vector<EvalRequest>& requests, const Policy* identity,
                 const Policy* bucket, const Policy* session) {
  std::vector<const Policy*> ids;
  if (identity != nullptr) ids.push_back(identity);
  std::vector<const Policy*> sessions;
  if (session != nullptr) sessions.push_back(session);
  for (const EvalRequest& r : requests) {
    Decision d = Evaluate(r, ids, bucket, sessions);
    Explanation e = Explain(r, ids, bucket, sessions);
    CheckSame(d, e.decision);
    (void)d.ToString();
    (void)ExplanationToJson(e);
    if (r.anonymous() && bucket == nullptr) SB_FUZZ_CHECK(!d.allowed);
    if (d.allowed) SB_FUZZ_CHECK(d.kind == DecisionKind::kAllow);
    bool only_denies = (identity == nullptr || OnlyDenies(*identity)) &&
                       (bucket == nullptr || OnlyDenies(*bucket));
    if (only_denies && !r.is_root) SB_FUZZ_CHECK(!d.allowed);
  }
}

absl::StatusOr<Policy> Parse(std::string_view doc, PolicyKind kind, size_t max) {
  absl::StatusOr<Policy> p = ParsePolicy(doc, ParseOptions{.kind = kind, .max_size_bytes = max});
  if (!p.ok()) {
    SB_FUZZ_CHECK(p.status().code() == absl::StatusCode::kInvalidArgument);
    SB_FUZZ_CHECK(!p.status().message().empty());
  } else {
    SB_FUZZ_CHECK(p->kind == kind);
    SB_FUZZ_CHECK(doc.size() <= max);
  }
  return p;
}

}  // namespace
}  // namespace sb::policy::eval

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sb::policy::eval;
  if (size > 32 * 1024) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view doc = in;
  std::vector<EvalRequest> requests;
  size_t sep = in.find("\n====\n");
  if (sep != std::string_view::npos) {
    doc = in.substr(0, sep);
    requests.push_back(RequestFromText(in.substr(sep + 6)));
  } else {
    requests = DefaultRequests();
  }
  absl::StatusOr<Policy> identity = Parse(doc, PolicyKind::kIdentity, 6144);
  absl::StatusOr<Policy> bucket = Parse(doc, PolicyKind::kBucket, 20 * 1024);
  // PutBucketPolicy's validation is exactly the bucket parse, reported as MalformedPolicy.
  absl::StatusOr<Policy> put = sb::policy::ParseBucketPolicy(doc);
  SB_FUZZ_CHECK(put.ok() == bucket.ok());
  if (!put.ok()) {
    SB_FUZZ_CHECK(put.status().code() == absl::StatusCode::kInvalidArgument);
    SB_FUZZ_CHECK(sb::GetReason(put.status()) == sb::ErrorReason::kMalformedPolicy);
  }
  absl::StatusOr<Policy> session = Parse(doc, PolicyKind::kSession, 2048);
  // Principal is required in a bucket policy's statements and forbidden in an identity
  // policy's, so only a document without statements can be both.
  if (identity.ok() && bucket.ok()) SB_FUZZ_CHECK(identity->statements.empty());
  if (sb::fuzz::Verbose()) {
    std::fprintf(stderr, "policy: identity %s, bucket %s, session %s\n",
                 identity.status().ToString().c_str(), bucket.status().ToString().c_str(),
                 session.status().ToString().c_str());
  }
  if (identity.ok()) {
    EvaluateAll(requests, &*identity, nullptr, nullptr);
    if (session.ok()) EvaluateAll(requests, &*identity, nullptr, &*session);
  }
  if (bucket.ok()) EvaluateAll(requests, nullptr, &*bucket, nullptr);
  return 0;
}
