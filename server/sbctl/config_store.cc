#include "server/sbctl/config_store.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/status_macros.h"
#include "server/sbctl/alias_path.h"
#include "server/sbctl/secure_file.h"

namespace sb::sbctl {
namespace {

namespace json = boost::json;

constexpr char kConfigFileName[] = "config.json";
constexpr char kLockFileName[] = ".config.json.lock";
constexpr int64_t kConfigVersion = 1;
constexpr unsigned kDirMode = 0700;
constexpr unsigned kFileMode = 0600;
constexpr size_t kMaskedPrefix = 4;
constexpr size_t kMinLengthToShowPrefix = 12;

using AliasMap = std::map<std::string, Alias, std::less<>>;

absl::Status BadConfig(const std::string& path, std::string_view why) {
  return absl::FailedPreconditionError(absl::StrCat("bad config file ", path, ": ", AsAbsl(why)));
}

absl::StatusOr<std::string> StringField(const json::object& entry, std::string_view alias,
                                        const char* field, const std::string& path) {
  const json::value* v = entry.if_contains(field);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    return BadConfig(path,
                     absl::StrCat("alias '", AsAbsl(alias), "' has no string field '", field, "'"));
  }
  return std::string(v->as_string());
}

absl::StatusOr<AliasMap> ParseConfig(std::string_view text, const std::string& path) {
  boost::system::error_code ec;
  json::value root = json::parse(json::string_view(text.data(), text.size()), ec);
  // Only the error category is reported: the text itself may hold secrets.
  if (ec) return BadConfig(path, absl::StrCat("not valid JSON (", ec.message(), ")"));
  if (!root.is_object()) return BadConfig(path, "top level is not a JSON object");
  const json::object& obj = root.as_object();
  if (const json::value* version = obj.if_contains("version"); version != nullptr) {
    if (!version->is_int64() || version->as_int64() != kConfigVersion) {
      return BadConfig(path, "unsupported \"version\" (expected 1)");
    }
  }
  AliasMap aliases;
  const json::value* list = obj.if_contains("aliases");
  if (list == nullptr) return aliases;
  if (!list->is_object()) return BadConfig(path, "\"aliases\" is not an object");
  for (const auto& [key, value] : list->as_object()) {
    const std::string name(key);
    if (!ValidateAliasName(name).ok()) {
      return BadConfig(path, absl::StrCat("invalid alias name '", name, "'"));
    }
    if (!value.is_object())
      return BadConfig(path, absl::StrCat("alias '", name, "' is not an object"));
    const json::object& entry = value.as_object();
    Alias alias;
    alias.name = name;
    SB_ASSIGN_OR_RETURN(alias.url, StringField(entry, name, "url", path));
    SB_ASSIGN_OR_RETURN(alias.access_key, StringField(entry, name, "access_key", path));
    SB_ASSIGN_OR_RETURN(alias.secret_key, StringField(entry, name, "secret_key", path));
    aliases.emplace(name, std::move(alias));
  }
  return aliases;
}

// Pretty-printed by hand (Boost.JSON only serializes compactly) so the file stays readable.
std::string SerializeConfig(const AliasMap& aliases) {
  auto quote = [](const std::string& s) { return json::serialize(json::string(s)); };
  std::string out = absl::StrCat("{\n  \"version\": ", kConfigVersion, ",\n  \"aliases\": {");
  bool first = true;
  for (const auto& [name, alias] : aliases) {
    absl::StrAppend(&out, first ? "\n" : ",\n", "    ", quote(name), ": {\n",
                    "      \"url\": ", quote(alias.url), ",\n",
                    "      \"access_key\": ", quote(alias.access_key), ",\n",
                    "      \"secret_key\": ", quote(alias.secret_key), "\n    }");
    first = false;
  }
  absl::StrAppend(&out, first ? "}\n}\n" : "\n  }\n}\n");
  return out;
}

absl::Status ValidateKey(std::string_view key, std::string_view what) {
  if (key.empty()) return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), " is empty"));
  for (char c : key) {
    // Control characters would corrupt the HTTP Authorization header.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat(AsAbsl(what), " contains control characters"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string MaskSecret(std::string_view secret) {
  if (secret.size() < kMinLengthToShowPrefix) return "********";
  return absl::StrCat(AsAbsl(secret.substr(0, kMaskedPrefix)), "********");
}

absl::StatusOr<std::string> ResolveConfigDir(std::string_view flag_value,
                                             std::string_view sbctl_config_dir_env,
                                             std::string_view home_env) {
  if (!flag_value.empty()) return std::string(flag_value);
  if (!sbctl_config_dir_env.empty()) return std::string(sbctl_config_dir_env);
  if (!home_env.empty()) return absl::StrCat(AsAbsl(home_env), "/.config/sbctl");
  return absl::FailedPreconditionError(
      "cannot locate the config directory: set $HOME or $SBCTL_CONFIG_DIR, or pass --config-dir");
}

absl::StatusOr<std::string> NormalizeServerUrl(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(boost::core::string_view(url.data(), url.size()));
  // Never echo a URL that may hold a password ("http://user:pass@host").
  const std::string shown = absl::StrContains(AsAbsl(url), '@') ? "<redacted>" : std::string(url);
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid server URL '", shown, "': ", AsAbsl(why)));
  };
  if (!parsed) return invalid("not an absolute URL such as http://127.0.0.1:9000");
  const std::string scheme(parsed->scheme());
  if (scheme != "http" && scheme != "https") return invalid("scheme must be http or https");
  if (parsed->host().empty()) return invalid("missing host");
  // Credentials in the URL would end up in error messages and process listings.
  if (parsed->has_userinfo()) return invalid("user info is not allowed; pass the keys instead");
  if (parsed->has_query() || parsed->has_fragment()) return invalid("query or fragment");
  std::string out(parsed->buffer());
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

ConfigStore::ConfigStore(std::string dir) : dir_(std::move(dir)) {}

std::string ConfigStore::path() const { return absl::StrCat(dir_, "/", kConfigFileName); }

absl::StatusOr<std::vector<Alias>> ConfigStore::List() const {
  const std::string file = path();
  SB_ASSIGN_OR_RETURN(std::optional<std::string> text, ReadFileIfExists(file));
  std::vector<Alias> out;
  if (!text.has_value()) return out;
  SB_ASSIGN_OR_RETURN(AliasMap aliases, ParseConfig(*text, file));
  for (auto& [name, alias] : aliases) out.push_back(std::move(alias));
  return out;
}

absl::StatusOr<Alias> ConfigStore::Get(std::string_view name) const {
  SB_ASSIGN_OR_RETURN(std::vector<Alias> aliases, List());
  for (Alias& alias : aliases) {
    if (alias.name == name) return std::move(alias);
  }
  return absl::NotFoundError(absl::StrCat("unknown alias '", AsAbsl(name),
                                          "' (add it with: sbctl alias set ", AsAbsl(name),
                                          " URL ACCESS_KEY SECRET_KEY)"));
}

absl::Status ConfigStore::Set(const Alias& alias) {
  SB_RETURN_IF_ERROR(ValidateAliasName(alias.name));
  SB_RETURN_IF_ERROR(ValidateKey(alias.access_key, "access key"));
  SB_RETURN_IF_ERROR(ValidateKey(alias.secret_key, "secret key"));
  Alias normalized = alias;
  SB_ASSIGN_OR_RETURN(normalized.url, NormalizeServerUrl(alias.url));

  SB_RETURN_IF_ERROR(MakeDirs(dir_, kDirMode));
  SB_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(absl::StrCat(dir_, "/", kLockFileName)));
  const std::string file = path();
  SB_ASSIGN_OR_RETURN(std::optional<std::string> text, ReadFileIfExists(file));
  AliasMap aliases;
  if (text.has_value()) {
    SB_ASSIGN_OR_RETURN(aliases, ParseConfig(*text, file));
  }
  aliases.insert_or_assign(normalized.name, std::move(normalized));
  return WriteFileAtomically(file, SerializeConfig(aliases), kFileMode);
}

absl::Status ConfigStore::Remove(std::string_view name) {
  const std::string file = path();
  SB_ASSIGN_OR_RETURN(std::optional<std::string> text, ReadFileIfExists(file));
  if (!text.has_value()) {
    return absl::NotFoundError(absl::StrCat("unknown alias '", AsAbsl(name), "'"));
  }
  SB_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(absl::StrCat(dir_, "/", kLockFileName)));
  // Re-read under the lock: another sbctl may have rewritten the file meanwhile.
  SB_ASSIGN_OR_RETURN(text, ReadFileIfExists(file));
  AliasMap aliases;
  if (text.has_value()) {
    SB_ASSIGN_OR_RETURN(aliases, ParseConfig(*text, file));
  }
  auto it = aliases.find(name);
  if (it == aliases.end()) {
    return absl::NotFoundError(absl::StrCat("unknown alias '", AsAbsl(name), "'"));
  }
  aliases.erase(it);
  return WriteFileAtomically(file, SerializeConfig(aliases), kFileMode);
}

}  // namespace sb::sbctl
