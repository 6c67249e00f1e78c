#include "policy/audit/internal/signer.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "policy/audit/internal/files.h"
#include "policy/audit/internal/record_codec.h"

namespace sb::audit::internal {
namespace {

struct BioDeleter {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

absl::Status OpenSslError(std::string_view what) {
  const unsigned long err = ERR_get_error();  // NOLINT(google-runtime-int): OpenSSL's type
  char buf[256] = "no OpenSSL error queued";
  if (err != 0) ERR_error_string_n(err, buf, sizeof(buf));
  ERR_clear_error();
  return absl::InternalError(absl::StrCat(AsAbsl(what), ": ", buf));
}

BioPtr MemBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int)
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

absl::StatusOr<std::string> KeyId(EVP_PKEY* key) {
  unsigned char raw[32];
  size_t size = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(key, raw, &size) != 1 || size != sizeof(raw)) {
    return OpenSslError("EVP_PKEY_get_raw_public_key");
  }
  return Sha256Hex(std::string_view(reinterpret_cast<const char*>(raw), size)).substr(0, 32);
}

absl::StatusOr<std::string> PublicPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return OpenSslError("PEM_write_bio_PUBKEY");
  }
  return BioContents(bio.get());
}

absl::StatusOr<std::string> PrivatePem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("PEM_write_bio_PrivateKey");
  }
  return BioContents(bio.get());
}

absl::StatusOr<PkeyPtr> GenerateKey() {
  EVP_PKEY* key = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  const bool ok =
      ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return OpenSslError("Ed25519 key generation");
  return PkeyPtr(key);
}

// Writes `pem` to a new file at `path` with mode 0600; AlreadyExists if it exists.
absl::Status WriteNewKeyFile(const std::string& path, const std::string& pem) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) return absl::AlreadyExistsError(path);
    return absl::InternalError(absl::StrCat("create ", path, ": ", std::strerror(err)));
  }
  absl::Status status = WriteAll(fd, pem);
  if (status.ok() && ::fsync(fd) != 0) {
    status = absl::InternalError(absl::StrCat("fsync ", path, ": ", std::strerror(errno)));
  }
  ::close(fd);
  if (!status.ok()) return status;
  return FsyncDir(std::filesystem::path(path).parent_path().string());
}

}  // namespace

void PkeyDeleter::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

absl::StatusOr<Ed25519Verifier> Ed25519Verifier::FromPem(std::string_view pem) {
  BioPtr bio = MemBio(pem);
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (key == nullptr || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("not an Ed25519 public key PEM");
  }
  Ed25519Verifier verifier;
  SB_ASSIGN_OR_RETURN(verifier.key_id_, KeyId(key.get()));
  verifier.key_ = std::move(key);
  return verifier;
}

bool Ed25519Verifier::Verify(std::string_view message, std::string_view signature_hex) const {
  if (signature_hex.size() != 128) return false;
  for (char c : signature_hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  const std::string sig = absl::HexStringToBytes(AsAbsl(signature_hex));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  ERR_clear_error();
  return ok;
}

absl::StatusOr<Ed25519Signer> Ed25519Signer::FromPrivatePem(std::string_view pem) {
  BioPtr bio = MemBio(pem);
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  ERR_clear_error();
  if (key == nullptr || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("not an Ed25519 private key PEM");
  }
  Ed25519Signer signer;
  SB_ASSIGN_OR_RETURN(signer.key_id_, KeyId(key.get()));
  SB_ASSIGN_OR_RETURN(signer.public_pem_, PublicPem(key.get()));
  signer.key_ = std::move(key);
  return signer;
}

absl::StatusOr<Ed25519Signer> Ed25519Signer::LoadOrCreate(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    SB_ASSIGN_OR_RETURN(PkeyPtr key, GenerateKey());
    SB_ASSIGN_OR_RETURN(std::string pem, PrivatePem(key.get()));
    absl::Status written = WriteNewKeyFile(path, pem);
    if (written.ok()) {
      Log(LogLevel::kInfo, "audit: generated checkpoint signing key", {{"path", path}});
      return FromPrivatePem(pem);
    }
    // Lost a race with another process creating the key: load theirs, never overwrite it.
    if (!absl::IsAlreadyExists(written)) return written;
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream pem;
  pem << in.rdbuf();
  if (!in) return absl::InternalError(absl::StrCat("read audit key ", path));
  absl::StatusOr<Ed25519Signer> signer = FromPrivatePem(pem.str());
  if (!signer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit key ", path, ": ", signer.status().message()));
  }
  return signer;
}

absl::StatusOr<std::string> Ed25519Signer::Sign(std::string_view message) const {
  unsigned char sig[64];
  size_t size = sizeof(sig);
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &size, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    return OpenSslError("Ed25519 sign");
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(sig), size));
}

}  // namespace sb::audit::internal
