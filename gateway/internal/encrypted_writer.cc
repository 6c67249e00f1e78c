#include "gateway/internal/encrypted_writer.h"

#include <utility>

#include "common/status_macros.h"

namespace sb::gateway::internal {

absl::StatusOr<std::unique_ptr<EncryptedWriter>> EncryptedWriter::Start(
    erasure::DataPlane& data, sse::Keyring& keyring, const EncryptionSpec& spec,
    const sse::EncryptionContext& context) {
  if (spec.unencrypted) {
    SB_ASSIGN_OR_RETURN(std::unique_ptr<erasure::ObjectWriter> writer, data.NewWriter());
    return std::unique_ptr<EncryptedWriter>(
        new EncryptedWriter(std::move(writer), std::nullopt, std::nullopt, std::nullopt));
  }
  SB_ASSIGN_OR_RETURN(sse::ObjectKey key, NewObjectKey(keyring, spec, context));
  SB_ASSIGN_OR_RETURN(sse::EncryptingStream stream,
                      sse::EncryptingStream::Create(key.data_key, key.metadata.base_nonce,
                                                    key.metadata.package_size));
  SB_ASSIGN_OR_RETURN(std::unique_ptr<erasure::ObjectWriter> writer, data.NewWriter());
  std::optional<sse::SseCKey> customer;
  if (key.metadata.mode == sse::SseMode::kCustomer) customer = spec.customer_key;
  return std::unique_ptr<EncryptedWriter>(new EncryptedWriter(
      std::move(writer), std::move(key), std::move(stream), std::move(customer)));
}

EncryptedWriter::EncryptedWriter(std::unique_ptr<erasure::ObjectWriter> writer,
                                 std::optional<sse::ObjectKey> key,
                                 std::optional<sse::EncryptingStream> stream,
                                 std::optional<sse::SseCKey> customer_key)
    : writer_(std::move(writer)),
      key_(std::move(key)),
      stream_(std::move(stream)),
      customer_key_(std::move(customer_key)) {}

EncryptedWriter::~EncryptedWriter() {
  if (!done_) writer_->Abort();
}

absl::Status EncryptedWriter::WriteCiphertext() {
  if (ciphertext_.empty()) return absl::OkStatus();
  absl::Status s = writer_->Write(ciphertext_);
  ciphertext_.clear();
  return s;
}

absl::Status EncryptedWriter::Write(std::string_view plaintext) {
  plain_md5_.Update(plaintext);
  plaintext_size_ += plaintext.size();
  absl::Status s = stream_ ? stream_->Update(plaintext, &ciphertext_) : writer_->Write(plaintext);
  if (s.ok() && stream_) s = WriteCiphertext();
  if (!s.ok()) Abort();
  return s;
}

std::string EncryptedWriter::PlaintextMd5() { return plain_md5_.FinishRaw(); }

absl::StatusOr<metadata::DataPart> EncryptedWriter::Finish(uint32_t part_number,
                                                           std::string_view plaintext_md5) {
  absl::Status s = stream_ ? stream_->Finish(&ciphertext_) : absl::OkStatus();
  // The lone tag of an empty object protects nothing a reader would ever fetch.
  if (s.ok() && plaintext_size_ == 0) ciphertext_.clear();
  if (s.ok()) s = WriteCiphertext();
  if (!s.ok()) {
    Abort();
    return s;
  }
  std::string etag(plaintext_md5);
  if (customer_key_.has_value()) {
    absl::StatusOr<std::string> keyed = customer_key_->Etag(plaintext_md5);
    if (!keyed.ok()) {
      Abort();
      return keyed.status();
    }
    etag = *std::move(keyed);
  }
  auto ref = writer_->Finish();
  if (!ref.ok()) {
    Abort();
    return ref.status();
  }
  done_ = true;
  metadata::DataPart part;
  part.set_part_number(part_number);
  part.set_size(plaintext_size_);
  part.set_etag(HexEncode(etag));
  part.set_data_ref(ref->Serialize());
  if (key_) {
    key_->metadata.plaintext_size = plaintext_size_;
    part.set_sse(key_->metadata.Serialize());
  }
  return part;
}

void EncryptedWriter::Abort() {
  if (done_) return;
  done_ = true;
  writer_->Abort();
}

}  // namespace sb::gateway::internal
