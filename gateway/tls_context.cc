#include "gateway/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"

namespace sb::gateway {
namespace {

// TLS 1.2 suites: forward secret ECDHE with AEAD only (TLS 1.3's defaults are all AEAD).
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr char kTls13Suites[] =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

// The OpenSSL error queue as text (and cleared).
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown error" : out;
}

absl::Status Bad(const char* what, const std::string& file) {
  return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                   absl::StrCat("TLS: cannot load ", what, " ", file, ": ", OpenSslErrors()));
}

}  // namespace

absl::StatusOr<SSL_CTX*> BuildServerTlsContext(const TlsFiles& files) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return absl::InternalError("TLS: SSL_CTX_new: " + OpenSslErrors());
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> guard(ctx, &SSL_CTX_free);
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set_ciphersuites(ctx, kTls13Suites) != 1) {
    return absl::InternalError("TLS: cannot configure protocols: " + OpenSslErrors());
  }
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.cert_file.c_str()) != 1) {
    return Bad("certificate", files.cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return Bad("private key", files.key_file);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Bad("private key (it does not match the certificate)", files.key_file);
  }
  if (!files.client_ca_file.empty()) {
    // Client certificates are requested but optional (SigV4 clients need none); one that is
    // presented must verify against this CA or the handshake fails.
    if (SSL_CTX_load_verify_locations(ctx, files.client_ca_file.c_str(), nullptr) != 1) {
      return Bad("client CA", files.client_ca_file);
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str());
    if (names == nullptr) return Bad("client CA names from", files.client_ca_file);
    SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    SSL_CTX_set_verify_depth(ctx, 4);
    static constexpr unsigned char kSessionId[] = "strongbox-s3";
    SSL_CTX_set_session_id_context(ctx, kSessionId, sizeof(kSessionId) - 1);
  }
  return guard.release();
}

absl::StatusOr<std::unique_ptr<TlsContext>> TlsContext::Load(const TlsFiles& files) {
  auto ctx = BuildServerTlsContext(files);
  if (!ctx.ok()) return ctx.status();
  return std::unique_ptr<TlsContext>(new TlsContext(files, *ctx));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

SSL_CTX* TlsContext::Acquire() const {
  std::lock_guard<std::mutex> lock(mu_);
  SSL_CTX_up_ref(ctx_);
  return ctx_;
}

absl::Status TlsContext::Reload() {
  auto fresh = BuildServerTlsContext(files_);
  if (!fresh.ok()) return fresh.status();
  SSL_CTX* old = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old = std::exchange(ctx_, *fresh);
  }
  SSL_CTX_free(old);  // live connections hold their own references
  return absl::OkStatus();
}

}  // namespace sb::gateway
