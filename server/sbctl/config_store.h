// sbctl's alias configuration: a JSON file ($SBCTL_CONFIG_DIR/config.json, by default
// ~/.config/sbctl/config.json) mapping alias names to a server URL and an access key pair.
// The file holds secrets: it is created 0600 in a 0700 directory and always rewritten
// atomically (temp file + rename) under an advisory lock. Not thread-safe within a process;
// safe against concurrent sbctl processes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace sb::sbctl {

struct Alias {
  std::string name;
  std::string url;  // normalized: "http[s]://host[:port][/base]" without a trailing '/'
  std::string access_key;
  std::string secret_key;
};

// Display form of a secret: never reveals more than its first 4 characters, nor its length.
std::string MaskSecret(std::string_view secret);

// Picks the configuration directory: `flag_value` if non-empty, else `sbctl_config_dir_env`,
// else `home_env`/.config/sbctl. Environment values are passed in (empty = unset) to keep
// this pure. Returns FailedPrecondition if all three are empty.
absl::StatusOr<std::string> ResolveConfigDir(std::string_view flag_value,
                                             std::string_view sbctl_config_dir_env,
                                             std::string_view home_env);

// Validates a server URL (http or https, a host, no user info, query or fragment) and strips
// trailing slashes. Returns InvalidArgument otherwise.
absl::StatusOr<std::string> NormalizeServerUrl(std::string_view url);

class ConfigStore {
 public:
  explicit ConfigStore(std::string dir);

  const std::string& dir() const { return dir_; }
  std::string path() const;

  // All aliases sorted by name; an absent file means no aliases. Returns FailedPrecondition
  // if the file is not a valid sbctl config, or an errno-derived error if it cannot be read.
  absl::StatusOr<std::vector<Alias>> List() const;

  // Returns NotFound if no alias `name` exists, plus the errors of List().
  absl::StatusOr<Alias> Get(std::string_view name) const;

  // Adds or replaces `alias` after validating its name, URL (stored normalized) and keys
  // (InvalidArgument). Creates the directory (0700) if needed.
  absl::Status Set(const Alias& alias);

  // Returns NotFound if no alias `name` exists.
  absl::Status Remove(std::string_view name);

 private:
  std::string dir_;
};

}  // namespace sb::sbctl
