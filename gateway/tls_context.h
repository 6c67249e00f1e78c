// TLS server context for the S3 listener: a certificate chain and key (and optionally a CA
// that verifies client certificates) loaded into an OpenSSL SSL_CTX restricted to TLS 1.2
// and 1.3 with AEAD cipher suites. Reload() builds a fresh context from the same files and
// swaps it in only if it loads; connections already established keep the context they
// were accepted with (an SSL holds its own reference to its SSL_CTX).
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"

namespace sb::gateway {

struct TlsFiles {
  std::string cert_file;       // PEM certificate chain, leaf first
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // optional: PEM CA bundle; client certificates are requested
};

class TlsContext {
 public:
  // InvalidArgument(kInvalidArgument) naming the file and OpenSSL's reason if a file does
  // not load or the key does not match the certificate.
  static absl::StatusOr<std::unique_ptr<TlsContext>> Load(const TlsFiles& files);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The current context with a reference added; the caller frees it with SSL_CTX_free (or
  // hands it to SSL_new and frees its own reference).
  SSL_CTX* Acquire() const;
  // Rebuilds the context from the files; on error the current one stays and the error is
  // returned.
  absl::Status Reload();
  bool verifies_clients() const { return !files_.client_ca_file.empty(); }

 private:
  TlsContext(TlsFiles files, SSL_CTX* ctx) : files_(std::move(files)), ctx_(ctx) {}

  const TlsFiles files_;
  mutable std::mutex mu_;
  SSL_CTX* ctx_;  // guarded by mu_; owned (one reference)
};

// Builds one SSL_CTX from `files` (exposed for tests). The caller owns the result.
absl::StatusOr<SSL_CTX*> BuildServerTlsContext(const TlsFiles& files);

}  // namespace sb::gateway
