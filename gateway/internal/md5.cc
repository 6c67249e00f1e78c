#include "gateway/internal/md5.h"

#include "common/check.h"

namespace sb::gateway::internal {

Md5::Md5() : ctx_(EVP_MD_CTX_new()) {
  SB_CHECK(ctx_ != nullptr);
  SB_CHECK(EVP_DigestInit_ex(ctx_.get(), EVP_md5(), nullptr) == 1);
}

void Md5::Update(std::string_view data) {
  SB_CHECK(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) == 1);
}

std::string Md5::FinishRaw() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  SB_CHECK(EVP_DigestFinal_ex(ctx_.get(), out, &len) == 1);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace sb::gateway::internal
