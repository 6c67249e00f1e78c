// TlsContext and the HTTPS listener over real loopback sockets: certificate/key loading
// errors, reload (a bad file keeps the old context, a good one replaces it for new
// handshakes only), the protocol floor (TLS 1.1 refused), a request over TLS 1.2 and 1.3
// that the handler sees as tls, and the client certificate CN under mutual TLS. The
// certificates are made in memory with the OpenSSL API.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "absl/strings/numbers.h"
#include "gateway/http_server.h"
#include "gateway/tls_context.h"
#include "gtest/gtest.h"

namespace sb::gateway {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

KeyPtr NewKey() { return KeyPtr(EVP_EC_gen("P-256"), &EVP_PKEY_free); }

// A certificate for `cn` with `serial`, signed by `issuer_key` (self-signed if `issuer` is
// null).
CertPtr NewCert(EVP_PKEY* key, const std::string& cn, long serial, X509* issuer,
                EVP_PKEY* issuer_key, bool ca) {
  CertPtr cert(X509_new(), &X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  const char* ext = ca ? "critical,CA:TRUE" : "CA:FALSE";
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, ext);
  X509_add_ext(cert.get(), bc, -1);
  X509_EXTENSION_free(bc);
  if (!ca) {
    X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
    X509_add_ext(cert.get(), san, -1);
    X509_EXTENSION_free(san);
  }
  X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256());
  return cert;
}

void WritePem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  if (cert != nullptr) PEM_write_X509(f, cert);
  if (key != nullptr) PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

class Handler final : public HttpHandler {
 public:
  void Handle(const HttpRequestHead& head, BodySource&, ResponseWriter& out) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      tls_ = head.tls;
      cn_ = head.tls_client_cn;
    }
    std::string body = head.tls ? "tls" : "plain";
    (void)out.WriteHead(200, {}, body.size());
    (void)out.WriteBody(body);
  }
  std::string cn() {
    std::lock_guard<std::mutex> lock(mu_);
    return cn_;
  }
  bool tls() {
    std::lock_guard<std::mutex> lock(mu_);
    return tls_;
  }

 private:
  std::mutex mu_;
  bool tls_ = false;
  std::string cn_;
};

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sb-tls-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    ca_key_ = NewKey();
    ca_ = NewCert(ca_key_.get(), "Test CA", 1, nullptr, nullptr, true);
    WritePem(Path("ca.pem"), ca_.get(), nullptr);
    IssueServer(10);
    files_ = {Path("server.pem"), Path("server.key"), Path("ca.pem")};
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  void IssueServer(long serial) {
    KeyPtr key = NewKey();
    CertPtr cert = NewCert(key.get(), "localhost", serial, ca_.get(), ca_key_.get(), false);
    WritePem(Path("server.pem"), cert.get(), nullptr);
    WritePem(Path("server.key"), nullptr, key.get());
  }

  // Connects to `port` with TLS limited to [min, max]; optionally presents a client
  // certificate for `client_cn`. Returns the SSL (connected) or null if the handshake
  // failed; *fd receives the socket.
  SSL* Connect(int port, int min, int max, const std::string& client_cn, int* fd) {
    client_ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX* ctx = client_ctx_.get();
    SSL_CTX_set_min_proto_version(ctx, min);
    SSL_CTX_set_max_proto_version(ctx, max);
    if (max < TLS1_2_VERSION) SSL_CTX_set_cipher_list(ctx, "DEFAULT@SECLEVEL=0");
    SSL_CTX_load_verify_locations(ctx, Path("ca.pem").c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (!client_cn.empty()) {
      KeyPtr key = NewKey();
      CertPtr cert = NewCert(key.get(), client_cn, 99, ca_.get(), ca_key_.get(), false);
      SSL_CTX_use_certificate(ctx, cert.get());
      SSL_CTX_use_PrivateKey(ctx, key.get());
    }
    *fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(*fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, *fd);
    if (SSL_connect(ssl) != 1) {
      SSL_free(ssl);
      ::close(*fd);
      return nullptr;
    }
    return ssl;
  }

  // One GET over `ssl`; returns the raw response.
  static std::string Get(SSL* ssl) {
    std::string req = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";
    EXPECT_EQ(SSL_write(ssl, req.data(), static_cast<int>(req.size())),
              static_cast<int>(req.size()));
    std::string out;
    char buf[4096];
    for (;;) {  // the handler's body is "tls" or "plain"
      int n = SSL_read(ssl, buf, sizeof(buf));
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
      if (out.ends_with("tls") || out.ends_with("plain")) break;
    }
    return out;
  }

  long PeerSerial(SSL* ssl) {
    X509* peer = SSL_get1_peer_certificate(ssl);
    long serial = ASN1_INTEGER_get(X509_get_serialNumber(peer));
    X509_free(peer);
    return serial;
  }

  std::unique_ptr<HttpServer> StartServer(const TlsContext* tls) {
    HttpServerOptions options;
    options.port = 0;
    options.tls = tls;
    auto server = HttpServer::Start(options, &handler_);
    EXPECT_TRUE(server.ok()) << server.status();
    return std::move(server).value();
  }

  static int Port(const HttpServer& server) {
    std::string bound = server.BoundAddress();
    int port = 0;
    EXPECT_TRUE(absl::SimpleAtoi(bound.substr(bound.rfind(':') + 1), &port));
    return port;
  }

  std::filesystem::path dir_;
  KeyPtr ca_key_{nullptr, &EVP_PKEY_free};
  CertPtr ca_{nullptr, &X509_free};
  TlsFiles files_;
  Handler handler_;
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> client_ctx_{nullptr, &SSL_CTX_free};
};

TEST_F(TlsServerTest, LoadErrorsNameTheFile) {
  TlsFiles missing = files_;
  missing.cert_file = Path("nope.pem");
  auto s = TlsContext::Load(missing);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nope.pem"), std::string::npos);

  KeyPtr other = NewKey();
  WritePem(Path("other.key"), nullptr, other.get());
  TlsFiles mismatch = files_;
  mismatch.key_file = Path("other.key");
  s = TlsContext::Load(mismatch);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("other.key"), std::string::npos) << s.status();
}

TEST_F(TlsServerTest, ProtocolFloorIsTls12) {
  auto ctx = BuildServerTlsContext(files_);
  ASSERT_TRUE(ctx.ok()) << ctx.status();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(*ctx), TLS1_2_VERSION);
  SSL_CTX_free(*ctx);
}

TEST_F(TlsServerTest, RequestsOverTls12And13AndTls11Refused) {
  auto tls = TlsContext::Load(files_);
  ASSERT_TRUE(tls.ok()) << tls.status();
  auto server = StartServer(tls->get());
  const int port = Port(*server);
  for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
    int fd = -1;
    SSL* ssl = Connect(port, version, version, "", &fd);
    ASSERT_NE(ssl, nullptr) << version;
    EXPECT_EQ(SSL_version(ssl), version);
    std::string response = Get(ssl);
    EXPECT_TRUE(response.starts_with("HTTP/1.1 200")) << response;
    EXPECT_TRUE(response.ends_with("tls")) << response;
    EXPECT_TRUE(handler_.tls());
    EXPECT_EQ(handler_.cn(), "");  // no client certificate: optional
    SSL_shutdown(ssl);
    SSL_free(ssl);
    ::close(fd);
  }
  int fd = -1;
  SSL* old = Connect(port, TLS1_VERSION, TLS1_1_VERSION, "", &fd);
  EXPECT_EQ(old, nullptr);
  if (old != nullptr) SSL_free(old);
  server->Drain(absl::Seconds(5));
}

TEST_F(TlsServerTest, ClientCertificateCnReachesTheHandler) {
  auto tls = TlsContext::Load(files_);
  ASSERT_TRUE(tls.ok()) << tls.status();
  auto server = StartServer(tls->get());
  int fd = -1;
  SSL* ssl = Connect(Port(*server), TLS1_2_VERSION, TLS1_3_VERSION, "SBSAMACHINE", &fd);
  ASSERT_NE(ssl, nullptr);
  EXPECT_TRUE(Get(ssl).ends_with("tls"));
  EXPECT_EQ(handler_.cn(), "SBSAMACHINE");
  SSL_free(ssl);
  ::close(fd);
  server->Drain(absl::Seconds(5));
}

TEST_F(TlsServerTest, ReloadSwapsOnlyForNewConnectionsAndKeepsOldOnError) {
  auto tls = TlsContext::Load(files_);
  ASSERT_TRUE(tls.ok()) << tls.status();
  auto server = StartServer(tls->get());
  const int port = Port(*server);
  int kept_fd = -1;
  SSL* kept = Connect(port, TLS1_2_VERSION, TLS1_3_VERSION, "", &kept_fd);
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(PeerSerial(kept), 10);
  EXPECT_TRUE(Get(kept).ends_with("tls"));

  IssueServer(11);
  ASSERT_TRUE((*tls)->Reload().ok());
  int fd = -1;
  SSL* fresh = Connect(port, TLS1_2_VERSION, TLS1_3_VERSION, "", &fd);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(PeerSerial(fresh), 11);
  SSL_free(fresh);
  ::close(fd);
  EXPECT_TRUE(Get(kept).ends_with("tls"));  // the open connection still works

  WritePem(Path("server.pem"), nullptr, nullptr);  // an empty certificate file
  SSL_CTX* before = (*tls)->Acquire();
  EXPECT_FALSE((*tls)->Reload().ok());
  SSL_CTX* after = (*tls)->Acquire();
  EXPECT_EQ(before, after);
  SSL_CTX_free(before);
  SSL_CTX_free(after);
  fresh = Connect(port, TLS1_2_VERSION, TLS1_3_VERSION, "", &fd);
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(PeerSerial(fresh), 11);
  SSL_free(fresh);
  ::close(fd);
  SSL_free(kept);
  ::close(kept_fd);
  server->Drain(absl::Seconds(5));
}

}  // namespace
}  // namespace sb::gateway
