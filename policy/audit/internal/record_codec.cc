#include "policy/audit/internal/record_codec.h"

#include <openssl/evp.h>

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/json/parse.hpp"
#include "boost/json/value.hpp"
#include "common/absl_compat.h"
#include "policy/audit/internal/files.h"

namespace sb::audit::internal {
namespace {

namespace json = boost::json;

constexpr std::string_view kHashMemberPrefix = ",\"hash\":\"";
// `,"hash":"` + 64 hex + `"}`
constexpr size_t kHashMemberSize = kHashMemberPrefix.size() + 64 + 2;

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  size_t len = 0;
  uint32_t min = 0;
  uint32_t cp = 0;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid UTF-8.
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return len;
}

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void AppendField(std::string& out, std::string_view name) {
  out += '"';
  out.append(name);
  out += "\":";
}

void AppendStringField(std::string& out, std::string_view name, std::string_view value) {
  AppendField(out, name);
  AppendJsonString(out, value);
  out += ',';
}

template <typename Int>
void AppendIntField(std::string& out, std::string_view name, Int value) {
  AppendField(out, name);
  out += std::to_string(value);
  out += ',';
}

void AppendBoolField(std::string& out, std::string_view name, bool value) {
  AppendField(out, name);
  out += value ? "true," : "false,";
}

// Typed access to members of a parsed object; the first failure is kept in `error`.
class Reader {
 public:
  explicit Reader(const json::object& obj) : obj_(obj) {}

  std::string String(std::string_view name) {
    const json::value* v = Find(name);
    if (v == nullptr) return {};
    if (!v->is_string()) {
      Fail(name, "a string");
      return {};
    }
    return std::string(v->get_string().data(), v->get_string().size());
  }
  uint64_t Uint(std::string_view name) {
    const json::value* v = Find(name);
    if (v == nullptr) return 0;
    if (v->is_uint64()) return v->get_uint64();
    if (v->is_int64() && v->get_int64() >= 0) return static_cast<uint64_t>(v->get_int64());
    Fail(name, "a non-negative integer");
    return 0;
  }
  int64_t Int(std::string_view name) {
    const json::value* v = Find(name);
    if (v == nullptr) return 0;
    if (v->is_int64()) return v->get_int64();
    Fail(name, "a 64-bit integer");
    return 0;
  }
  bool Bool(std::string_view name) {
    const json::value* v = Find(name);
    if (v == nullptr) return false;
    if (!v->is_bool()) {
      Fail(name, "a boolean");
      return false;
    }
    return v->get_bool();
  }
  std::vector<std::string> Strings(std::string_view name) {
    std::vector<std::string> out;
    const json::value* v = Find(name);
    if (v == nullptr) return out;
    if (!v->is_array()) {
      Fail(name, "an array of strings");
      return out;
    }
    for (const json::value& item : v->get_array()) {
      if (!item.is_string()) {
        Fail(name, "an array of strings");
        return {};
      }
      out.emplace_back(item.get_string().data(), item.get_string().size());
    }
    return out;
  }
  const json::object* Object(std::string_view name) {
    const json::value* v = Find(name);
    if (v == nullptr) return nullptr;
    if (!v->is_object()) {
      Fail(name, "an object");
      return nullptr;
    }
    return &v->get_object();
  }
  std::string Hex64(std::string_view name) {
    std::string s = String(name);
    if (error_.empty() && !IsLowerHex64(s)) Fail(name, "64 lowercase hex digits");
    return s;
  }
  const std::string& error() const { return error_; }

 private:
  const json::value* Find(std::string_view name) {
    const json::value* v = obj_.if_contains(json::string_view(name.data(), name.size()));
    if (v == nullptr && error_.empty())
      error_ = absl::StrCat("missing field \"", AsAbsl(name), "\"");
    return v;
  }
  void Fail(std::string_view name, std::string_view what) {
    if (error_.empty()) {
      error_ = absl::StrCat("field \"", AsAbsl(name), "\" is not ", AsAbsl(what));
    }
  }

  const json::object& obj_;
  std::string error_;
};

absl::StatusOr<json::value> ParseObject(std::string_view line) {
  boost::system::error_code ec;
  json::value value = json::parse(json::string_view(line.data(), line.size()), ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("not valid JSON: ", ec.message()));
  if (!value.is_object()) return absl::InvalidArgumentError("not a JSON object");
  return value;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // EVP_Digest with SHA-256 only fails on allocation failure; an empty result then fails
  // every comparison, which is the safe direction.
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(size_t{size} * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else if (c >= 0x80) {
      const size_t len = Utf8SequenceLength(s, i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
        ++i;
        continue;
      }
      out.append(s.substr(i, len));
      i += len;
      continue;
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  out += '"';
}

EncodedLine EncodeRecord(const AuditRecord& r, uint64_t seq, std::string_view prev) {
  std::string out = "{";
  out.reserve(512 + r.key.size() + r.bucket.size());
  AppendIntField(out, "seq", seq);
  AppendIntField(out, "time", r.time_unix_nanos);
  AppendStringField(out, "request_id", r.request_id);
  out += "\"principal\":{";
  AppendStringField(out, "access_key", r.principal.access_key);
  AppendStringField(out, "user", r.principal.user);
  AppendField(out, "groups");
  out += '[';
  for (size_t i = 0; i < r.principal.groups.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, r.principal.groups[i]);
  }
  out += "],";
  AppendStringField(out, "session", r.principal.session);
  AppendStringField(out, "source_ip", r.principal.source_ip);
  AppendField(out, "tls");
  out += r.principal.tls ? "true}," : "false},";
  AppendStringField(out, "operation", r.operation);
  AppendStringField(out, "bucket", r.bucket);
  AppendStringField(out, "key", r.key);
  AppendStringField(out, "version_id", r.version_id);
  out += "\"decision\":{";
  AppendBoolField(out, "allowed", r.decision.allowed);
  AppendStringField(out, "decided_by", r.decision.decided_by);
  AppendStringField(out, "policy_id", r.decision.policy_id);
  AppendField(out, "statement_id");
  AppendJsonString(out, r.decision.statement_id);
  out += "},";
  AppendIntField(out, "http_status", r.http_status);
  AppendStringField(out, "error_code", r.error_code);
  AppendIntField(out, "bytes_in", r.bytes_in);
  AppendIntField(out, "bytes_out", r.bytes_out);
  AppendIntField(out, "latency_us", r.latency_micros);
  AppendStringField(out, "etag", r.etag);
  AppendField(out, "prev");
  AppendJsonString(out, prev);
  // `out` + "}" is the canonical line; the stored line inserts the hash member before "}".
  EncodedLine encoded;
  encoded.hash = Sha256Hex(absl::StrCat(out, "}"));
  absl::StrAppend(&out, AsAbsl(kHashMemberPrefix), encoded.hash, "\"}\n");
  encoded.line = std::move(out);
  return encoded;
}

absl::StatusOr<std::string> CanonicalHash(std::string_view line) {
  if (line.size() < kHashMemberSize + 1 ||
      line.substr(line.size() - kHashMemberSize, kHashMemberPrefix.size()) != kHashMemberPrefix ||
      line.substr(line.size() - 2) != "\"}" ||
      !IsLowerHex64(line.substr(line.size() - kHashMemberSize + kHashMemberPrefix.size(), 64))) {
    return absl::InvalidArgumentError("line does not end with the \"hash\" member");
  }
  return Sha256Hex(absl::StrCat(AsAbsl(line.substr(0, line.size() - kHashMemberSize)), "}"));
}

absl::StatusOr<LoggedRecord> DecodeRecord(std::string_view line) {
  absl::StatusOr<json::value> value = ParseObject(line);
  if (!value.ok()) return value.status();
  Reader top(value->get_object());
  LoggedRecord out;
  AuditRecord& r = out.record;
  out.seq = top.Uint("seq");
  r.time_unix_nanos = top.Int("time");
  r.request_id = top.String("request_id");
  if (const json::object* p = top.Object("principal")) {
    Reader pr(*p);
    r.principal.access_key = pr.String("access_key");
    r.principal.user = pr.String("user");
    r.principal.groups = pr.Strings("groups");
    r.principal.session = pr.String("session");
    r.principal.source_ip = pr.String("source_ip");
    r.principal.tls = pr.Bool("tls");
    if (!pr.error().empty())
      return absl::InvalidArgumentError(absl::StrCat("principal: ", pr.error()));
  }
  r.operation = top.String("operation");
  r.bucket = top.String("bucket");
  r.key = top.String("key");
  r.version_id = top.String("version_id");
  if (const json::object* d = top.Object("decision")) {
    Reader dr(*d);
    r.decision.allowed = dr.Bool("allowed");
    r.decision.decided_by = dr.String("decided_by");
    r.decision.policy_id = dr.String("policy_id");
    r.decision.statement_id = dr.String("statement_id");
    if (!dr.error().empty())
      return absl::InvalidArgumentError(absl::StrCat("decision: ", dr.error()));
  }
  const int64_t status = top.Int("http_status");
  r.http_status = static_cast<int32_t>(status);
  r.error_code = top.String("error_code");
  r.bytes_in = top.Uint("bytes_in");
  r.bytes_out = top.Uint("bytes_out");
  r.latency_micros = top.Uint("latency_us");
  r.etag = top.String("etag");
  out.prev = top.Hex64("prev");
  out.hash = top.Hex64("hash");
  if (!top.error().empty()) return absl::InvalidArgumentError(top.error());
  if (status < 0 || status > 999) return absl::InvalidArgumentError("http_status out of range");
  if (out.seq == 0) return absl::InvalidArgumentError("seq must be at least 1");
  return out;
}

std::string CheckpointSigningInput(const Checkpoint& c) {
  return absl::StrCat("strongbox-audit-checkpoint-v1\nseq=", c.seq, "\nhash=", c.hash,
                      "\ntime=", c.time_unix_nanos, "\nkey_id=", c.key_id, "\n");
}

std::string EncodeCheckpoint(const Checkpoint& c) {
  std::string out = "{";
  AppendIntField(out, "seq", c.seq);
  AppendStringField(out, "hash", c.hash);
  AppendIntField(out, "time", c.time_unix_nanos);
  AppendStringField(out, "key_id", c.key_id);
  AppendField(out, "sig");
  AppendJsonString(out, c.signature);
  out += "}\n";
  return out;
}

absl::StatusOr<Checkpoint> DecodeCheckpoint(std::string_view line) {
  absl::StatusOr<json::value> value = ParseObject(line);
  if (!value.ok()) return value.status();
  Reader reader(value->get_object());
  Checkpoint c;
  c.seq = reader.Uint("seq");
  c.hash = reader.Hex64("hash");
  c.time_unix_nanos = reader.Int("time");
  c.key_id = reader.String("key_id");
  c.signature = reader.String("sig");
  if (!reader.error().empty()) return absl::InvalidArgumentError(reader.error());
  if (c.seq == 0) return absl::InvalidArgumentError("checkpoint seq must be at least 1");
  return c;
}

std::optional<uint64_t> FirstRecordSeq(const std::string& path) {
  absl::StatusOr<std::unique_ptr<LineReader>> reader = LineReader::Open(path);
  std::string_view line;
  bool complete = false;
  if (!reader.ok() || !(*reader)->Next(&line, &complete) || !complete) return std::nullopt;
  absl::StatusOr<LoggedRecord> record = DecodeRecord(line);
  if (!record.ok()) return std::nullopt;
  return record->seq;
}

}  // namespace sb::audit::internal
