#include "erasure/internal/rs_codec.h"

#include <isa-l/erasure_code.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/error_reason.h"

namespace sb::erasure::internal {

absl::StatusOr<RsCodec> RsCodec::Create(int data_shards, int parity_shards) {
  if (data_shards < 1 || parity_shards < 0 || data_shards + parity_shards > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported Reed-Solomon layout ", data_shards, "+", parity_shards));
  }
  RsCodec codec(data_shards, parity_shards);
  const int k = data_shards;
  const int rows = data_shards + parity_shards;
  codec.matrix_.resize(static_cast<size_t>(rows) * k);
  // Cauchy rather than Vandermonde (gf_gen_rs_matrix): every KxK submatrix of the Cauchy
  // form is invertible, so decoding never fails for any set of K surviving shards.
  gf_gen_cauchy1_matrix(codec.matrix_.data(), rows, k);
  if (parity_shards > 0) {
    codec.encode_tbls_.resize(static_cast<size_t>(32) * k * parity_shards);
    ec_init_tables(k, parity_shards, codec.matrix_.data() + static_cast<size_t>(k) * k,
                   codec.encode_tbls_.data());
  }
  return codec;
}

void RsCodec::Encode(size_t len, const uint8_t* const* data, uint8_t* const* parity) const {
  if (m_ == 0 || len == 0) return;
  // ISA-L's API is not const-correct; it only reads `data` and `encode_tbls_`.
  ec_encode_data(static_cast<int>(len), k_, m_, const_cast<uint8_t*>(encode_tbls_.data()),
                 const_cast<uint8_t**>(data), const_cast<uint8_t**>(parity));
}

absl::Status RsCodec::Reconstruct(size_t len, const std::vector<uint8_t*>& shards,
                                  const std::vector<bool>& available,
                                  const std::vector<int>& targets) const {
  const int n = k_ + m_;
  if (static_cast<int>(shards.size()) != n || static_cast<int>(available.size()) != n) {
    return absl::InvalidArgumentError("shard vectors must have K+M entries");
  }
  // Targets that are already available are skipped: decoding them would alias a source.
  std::vector<int> wanted;
  for (int t : targets) {
    if (t < 0 || t >= n) return absl::InvalidArgumentError(absl::StrCat("bad target ", t));
    if (!available[t]) wanted.push_back(t);
  }
  if (wanted.empty() || len == 0) return absl::OkStatus();

  // Sources: the first K available shards (data shards first, as they come first).
  std::vector<int> sources;
  for (int i = 0; i < n && static_cast<int>(sources.size()) < k_; ++i) {
    if (available[i]) sources.push_back(i);
  }
  if (static_cast<int>(sources.size()) < k_) {
    return MakeError(absl::StatusCode::kDataLoss, ErrorReason::kDataCorrupted,
                     absl::StrCat("only ", sources.size(), " of ", k_, " shards available"));
  }

  // Invert the KxK submatrix of the source rows: it maps source blocks to data blocks.
  const size_t kk = static_cast<size_t>(k_) * k_;
  std::vector<uint8_t> sub(kk), inv(kk);
  for (int r = 0; r < k_; ++r) {
    for (int c = 0; c < k_; ++c) {
      sub[static_cast<size_t>(r) * k_ + c] = matrix_[static_cast<size_t>(sources[r]) * k_ + c];
    }
  }
  if (gf_invert_matrix(sub.data(), inv.data(), k_) != 0) {
    return absl::InternalError("Reed-Solomon submatrix is singular");
  }

  // One decode row per target: a data row is a row of the inverse; a parity row is its
  // encoding row times the inverse.
  const size_t nt = wanted.size();
  std::vector<uint8_t> decode(nt * k_);
  for (size_t t = 0; t < nt; ++t) {
    uint8_t* row = decode.data() + t * k_;
    if (wanted[t] < k_) {
      for (int c = 0; c < k_; ++c) row[c] = inv[static_cast<size_t>(wanted[t]) * k_ + c];
      continue;
    }
    const uint8_t* enc = matrix_.data() + static_cast<size_t>(wanted[t]) * k_;
    for (int c = 0; c < k_; ++c) {
      uint8_t acc = 0;
      for (int j = 0; j < k_; ++j) acc ^= gf_mul(enc[j], inv[static_cast<size_t>(j) * k_ + c]);
      row[c] = acc;
    }
  }
  std::vector<uint8_t> tbls(static_cast<size_t>(32) * k_ * nt);
  ec_init_tables(k_, static_cast<int>(nt), decode.data(), tbls.data());
  std::vector<uint8_t*> src(k_), out(nt);
  for (int i = 0; i < k_; ++i) src[i] = shards[sources[i]];
  for (size_t t = 0; t < nt; ++t) out[t] = shards[wanted[t]];
  ec_encode_data(static_cast<int>(len), k_, static_cast<int>(nt), tbls.data(), src.data(),
                 out.data());
  return absl::OkStatus();
}

}  // namespace sb::erasure::internal
