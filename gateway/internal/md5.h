// Streaming MD5 (ETags and Content-MD5) via OpenSSL EVP. Not thread-safe per instance.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/hex.h"

namespace sb::gateway::internal {

class Md5 {
 public:
  Md5();
  void Update(std::string_view data);
  // Raw 16-byte digest; the object is spent afterwards.
  std::string FinishRaw();

 private:
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx_;
};

using ::sb::HexDecode;  // common/hex.h
using ::sb::HexEncode;

}  // namespace sb::gateway::internal
