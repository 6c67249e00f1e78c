// The on-disk line format: exact field order, the hash definition, escaping, and decoding
// errors; plus checkpoint encoding and Ed25519 signing.
#include "policy/audit/internal/record_codec.h"

#include <openssl/sha.h>

#include <string>

#include "boost/json/parse.hpp"
#include "policy/audit/internal/signer.h"
#include "tests/policy/audit/audit_test_util.h"

namespace sb::audit::internal {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing_util::IsOk;
using testing_util::MakeRecord;

std::string IndependentSha256Hex(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  std::string out;
  for (unsigned char b : digest) absl::StrAppend(&out, absl::Hex(b, absl::kZeroPad2));
  return out;
}

TEST(RecordCodecTest, ExactLineLayoutAndHashDefinition) {
  AuditRecord r;
  r.time_unix_nanos = 1700000000123456789;
  r.request_id = "r1";
  r.principal = {"AK", "alice", {"g1", "g2"}, "sess", "10.1.2.3", true};
  r.operation = "PutObject";
  r.bucket = "b";
  r.key = "k/1";
  r.version_id = "v1";
  r.decision = {true, "bucket-policy", "p1", "s1"};
  r.http_status = 200;
  r.error_code = "";
  r.bytes_in = 5;
  r.bytes_out = 6;
  r.latency_micros = 7;
  r.etag = "\"e\"";
  const std::string prev(64, 'a');
  EncodedLine encoded = EncodeRecord(r, 42, prev);

  const std::string canonical =
      "{\"seq\":42,\"time\":1700000000123456789,\"request_id\":\"r1\","
      "\"principal\":{\"access_key\":\"AK\",\"user\":\"alice\",\"groups\":[\"g1\",\"g2\"],"
      "\"session\":\"sess\",\"source_ip\":\"10.1.2.3\",\"tls\":true},"
      "\"operation\":\"PutObject\",\"bucket\":\"b\",\"key\":\"k/1\",\"version_id\":\"v1\","
      "\"decision\":{\"allowed\":true,\"decided_by\":\"bucket-policy\",\"policy_id\":\"p1\","
      "\"statement_id\":\"s1\"},\"http_status\":200,\"error_code\":\"\",\"bytes_in\":5,"
      "\"bytes_out\":6,\"latency_us\":7,\"etag\":\"\\\"e\\\"\",\"prev\":\"" +
      prev + "\"}";
  const std::string hash = IndependentSha256Hex(canonical);
  EXPECT_EQ(encoded.hash, hash);
  EXPECT_EQ(encoded.line,
            canonical.substr(0, canonical.size() - 1) + ",\"hash\":\"" + hash + "\"}\n");
  std::string_view stored(encoded.line);
  stored.remove_suffix(1);
  ASSERT_THAT(CanonicalHash(stored), IsOk());
  EXPECT_EQ(*CanonicalHash(stored), hash);
}

TEST(RecordCodecTest, DecodeRoundTrips) {
  AuditRecord r = MakeRecord(3);
  r.error_code = "AccessDenied";
  r.http_status = 403;
  r.decision = {false, "implicit-deny", "", ""};
  r.bytes_in = 1ull << 40;
  EncodedLine encoded = EncodeRecord(r, 7, kZeroHash);
  absl::StatusOr<LoggedRecord> decoded =
      DecodeRecord(std::string_view(encoded.line).substr(0, encoded.line.size() - 1));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->seq, 7u);
  EXPECT_EQ(decoded->prev, kZeroHash);
  EXPECT_EQ(decoded->hash, encoded.hash);
  EXPECT_EQ(decoded->record, r);
}

TEST(RecordCodecTest, EscapingKeepsOneValidJsonLine) {
  AuditRecord r = MakeRecord(1);
  r.key =
      std::string("quote\" back\\ nl\n tab\t nul") + '\0' + " \xC3\xA9t\xC3\xA9 \xF0\x9F\x93\xB7";
  r.bucket = "bad\xFF\xC3utf8";  // invalid UTF-8 bytes become U+FFFD
  EncodedLine encoded = EncodeRecord(r, 1, kZeroHash);
  EXPECT_EQ(encoded.line.find('\n'), encoded.line.size() - 1);
  std::string_view line(encoded.line);
  line.remove_suffix(1);
  boost::system::error_code ec;
  boost::json::parse(boost::json::string_view(line.data(), line.size()), ec);
  EXPECT_FALSE(ec) << ec.message();
  absl::StatusOr<LoggedRecord> decoded = DecodeRecord(line);
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->record.key, r.key);
  EXPECT_EQ(decoded->record.bucket, "bad\xEF\xBF\xBD\xEF\xBF\xBDutf8");
}

TEST(RecordCodecTest, AnyEditChangesTheCanonicalHash) {
  EncodedLine encoded = EncodeRecord(MakeRecord(1), 1, kZeroHash);
  std::string line = encoded.line.substr(0, encoded.line.size() - 1);
  std::string edited = line;
  edited[line.find("photos")] = 'P';
  ASSERT_THAT(CanonicalHash(edited), IsOk());
  EXPECT_NE(*CanonicalHash(edited), encoded.hash);
  // The hash member must be last and well-formed.
  EXPECT_FALSE(CanonicalHash(line.substr(0, line.size() - 2) + " \"}").ok());
  EXPECT_FALSE(CanonicalHash("{\"seq\":1}").ok());
}

TEST(RecordCodecTest, DecodeRejectsMalformedLines) {
  EXPECT_THAT(DecodeRecord("not json").status().message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(DecodeRecord("[1,2]").status().message(), HasSubstr("not a JSON object"));
  EncodedLine encoded = EncodeRecord(MakeRecord(1), 1, kZeroHash);
  std::string line = encoded.line.substr(0, encoded.line.size() - 1);

  std::string missing = line;
  missing.replace(missing.find("\"bucket\""), 8, "\"bucketX\"");
  EXPECT_THAT(DecodeRecord(missing).status().message(), HasSubstr("missing field \"bucket\""));

  std::string wrong_type = line;
  wrong_type.replace(wrong_type.find("\"http_status\":200"), 17, "\"http_status\":\"200\"");
  EXPECT_THAT(DecodeRecord(wrong_type).status().message(), HasSubstr("http_status"));

  std::string bad_prev = line;
  bad_prev.replace(bad_prev.find(std::string(kZeroHash)), 1, "Z");
  EXPECT_THAT(DecodeRecord(bad_prev).status().message(), HasSubstr("\"prev\""));

  std::string zero_seq = line;
  zero_seq.replace(0, 8, "{\"seq\":0");
  EXPECT_FALSE(DecodeRecord(zero_seq).ok());
}

TEST(CheckpointCodecTest, RoundTripAndSigningInput) {
  Checkpoint c{12, std::string(64, 'b'), 1700000000000000000, "0123abcd", std::string(128, 'c')};
  EXPECT_EQ(CheckpointSigningInput(c),
            "strongbox-audit-checkpoint-v1\nseq=12\nhash=" + std::string(64, 'b') +
                "\ntime=1700000000000000000\nkey_id=0123abcd\n");
  const std::string line = EncodeCheckpoint(c);
  EXPECT_THAT(line, StartsWith("{\"seq\":12,\"hash\":\""));
  absl::StatusOr<Checkpoint> decoded = DecodeCheckpoint(line.substr(0, line.size() - 1));
  ASSERT_THAT(decoded, IsOk());
  EXPECT_EQ(decoded->seq, c.seq);
  EXPECT_EQ(decoded->hash, c.hash);
  EXPECT_EQ(decoded->time_unix_nanos, c.time_unix_nanos);
  EXPECT_EQ(decoded->key_id, c.key_id);
  EXPECT_EQ(decoded->signature, c.signature);
  EXPECT_FALSE(DecodeCheckpoint("{\"seq\":1}").ok());
}

TEST(SignerTest, SignsAndVerifiesWithTheMatchingKeyOnly) {
  testing_util::TempDir dir;
  absl::StatusOr<Ed25519Signer> signer = Ed25519Signer::LoadOrCreate(dir.path() + "/k.pem");
  ASSERT_THAT(signer, IsOk());
  absl::StatusOr<Ed25519Signer> other = Ed25519Signer::LoadOrCreate(dir.path() + "/k2.pem");
  ASSERT_THAT(other, IsOk());
  absl::StatusOr<Ed25519Verifier> verifier = Ed25519Verifier::FromPem(signer->public_key_pem());
  ASSERT_THAT(verifier, IsOk());
  EXPECT_EQ(verifier->key_id(), signer->key_id());
  EXPECT_EQ(signer->key_id().size(), 32u);

  absl::StatusOr<std::string> sig = signer->Sign("message");
  ASSERT_THAT(sig, IsOk());
  EXPECT_EQ(sig->size(), 128u);
  EXPECT_TRUE(verifier->Verify("message", *sig));
  EXPECT_FALSE(verifier->Verify("messagf", *sig));
  EXPECT_FALSE(verifier->Verify("message", *other->Sign("message")));
  EXPECT_FALSE(verifier->Verify("message", "zz"));
  EXPECT_FALSE(Ed25519Verifier::FromPem("not a pem").ok());
}

}  // namespace
}  // namespace sb::audit::internal
