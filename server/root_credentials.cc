#include "server/root_credentials.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace sb::server {
namespace {

absl::StatusOr<std::string> RandomString(size_t n, std::string_view alphabet) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    return absl::InternalError("RAND_bytes failed");
  }
  std::string out;
  for (unsigned char b : bytes) out.push_back(alphabet[b % alphabet.size()]);
  return out;
}

absl::Status WriteSecretFile(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::PermissionDeniedError("cannot create " + tmp);
  ::fchmod(fd, 0600);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::InternalError("cannot write " + path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RootCredentials> LoadOrCreateRootCredentials(const std::string& dir,
                                                            const std::string& access_key,
                                                            const std::string& secret_key) {
  RootCredentials out;
  out.credential.user = "root";
  out.credential.is_root = true;
  if (!access_key.empty()) {
    out.credential.access_key = access_key;
    out.credential.secret_key = secret_key;
    return out;
  }
  out.stored_at = dir + "/root-credentials";
  std::ifstream in(out.stored_at);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<std::string> lines = absl::StrSplit(ss.str(), '\n', absl::SkipEmpty());
    for (const auto& line : lines) {
      if (line.starts_with("access_key=")) out.credential.access_key = line.substr(11);
      if (line.starts_with("secret_key=")) out.credential.secret_key = line.substr(11);
    }
    if (out.credential.access_key.empty() || out.credential.secret_key.empty()) {
      return absl::DataLossError("malformed " + out.stored_at);
    }
    return out;
  }
  auto ak = RandomString(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
  auto sk = RandomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  if (!ak.ok()) return ak.status();
  if (!sk.ok()) return sk.status();
  out.credential.access_key = *ak;
  out.credential.secret_key = *sk;
  out.generated_now = true;
  auto s =
      WriteSecretFile(out.stored_at, absl::StrCat("access_key=", *ak, "\nsecret_key=", *sk, "\n"));
  if (!s.ok()) return s;
  return out;
}

}  // namespace sb::server
