// Admin API of the built-in KMS, under /_strongbox/admin/v1/kms/keys (JSON, root only via
// the admin:KMS* actions): list, create {"id": ...}, and POST .../ID/rotate|disable|enable.
// Rotation adds a key version and then re-wraps, under it, every stored data key sealed
// under an older version (only the sealed keys in the object records change, never the
// object data); old versions stay in the keyring, so anything the sweep misses (a part of
// an unfinished multipart upload, a record written concurrently) still opens. A disabled
// key makes its objects unreadable until it is enabled again.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/absl_compat.h"
#include "common/error_reason.h"
#include "common/status_macros.h"
#include "gateway/handlers/handler_util.h"
#include "gateway/handlers/handlers.h"
#include "gateway/object_encryption.h"
#include "gateway/s3_request.h"
#include "metadata/metadata_store.h"
#include "policy/sse/keyring.h"
#include "policy/sse/sse_metadata.h"

namespace sb::gateway {
namespace {

constexpr std::string_view kKeysPath = "/_strongbox/admin/v1/kms/keys";
constexpr size_t kMaxBody = 4096;

boost::json::object KeyJson(const sse::KeyInfo& info) {
  return {{"id", info.key_id},
          {"state", info.state == sse::KeyState::kEnabled ? "enabled" : "disabled"},
          {"latest_version", info.latest_version}};
}

absl::Status RespondJson(RequestContext& ctx, int status, const boost::json::object& body) {
  return ctx.Respond(status, {}, boost::json::serialize(body) + "\n", "application/json");
}

// Keyring errors in admin terms: an unknown key is a 404, an existing one a 400.
absl::Status AdminError(const absl::Status& status, std::string_view key_id) {
  if (status.code() == absl::StatusCode::kNotFound) {
    return MakeError(absl::StatusCode::kNotFound, ErrorReason::kNoSuchKey,
                     absl::StrCat("KMS key not found: ", AsAbsl(key_id)));
  }
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return MakeError(absl::StatusCode::kAlreadyExists, ErrorReason::kInvalidArgument,
                     absl::StrCat("KMS key already exists: ", AsAbsl(key_id)));
  }
  return status;
}

// The key id between ".../keys/" and the final "/action" segment, percent-decoded.
absl::StatusOr<std::string> KeyIdFromPath(const RequestContext& ctx) {
  std::string_view path = ctx.req.raw_path;
  path.remove_prefix(kKeysPath.size() + 1);
  path = path.substr(0, path.rfind('/'));
  std::string id;
  if (path.empty() || !PercentDecode(path, false, &id)) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "bad KMS key id in path");
  }
  return id;
}

absl::Status ListKeys(RequestContext& ctx, Services& s) {
  boost::json::array keys;
  for (const auto& info : s.objects.keyring().ListKeys()) keys.push_back(KeyJson(info));
  return RespondJson(ctx, 200, {{"keys", std::move(keys)}});
}

absl::Status CreateKey(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string body, ReadSmallBody(ctx, kMaxBody));
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  const boost::json::value* id =
      !ec && doc.is_object() ? doc.as_object().if_contains("id") : nullptr;
  if (id == nullptr || !id->is_string()) {
    return MakeError(absl::StatusCode::kInvalidArgument, ErrorReason::kInvalidArgument,
                     "expected a JSON body {\"id\": \"KEY-ID\"}");
  }
  std::string key_id(id->as_string());
  SB_RETURN_IF_ERROR(AdminError(s.objects.keyring().CreateKey(key_id), key_id));
  SB_ASSIGN_OR_RETURN(sse::KeyInfo info, s.objects.keyring().DescribeKey(key_id));
  return RespondJson(ctx, 200, KeyJson(info));
}

struct RewrapCount {
  uint64_t rewrapped = 0;  // data keys (one per object part) sealed again under the newest version
  uint64_t failed = 0;     // data keys that could not be opened (they keep their old sealing)
};

// Re-seals `part`'s data key if `key_id` sealed it under a version older than `latest`.
// Returns true if it changed.
bool RewrapPart(const sse::Keyring& keyring, const sse::EncryptionContext& context,
                std::string_view key_id, uint32_t latest, metadata::DataPart& part,
                RewrapCount& count) {
  if (part.sse().empty()) return false;
  auto meta = sse::SseMetadata::Parse(part.sse());
  if (!meta.ok() || meta->mode == sse::SseMode::kCustomer || meta->key_id != key_id) return false;
  auto header = sse::InspectSealedDataKey(meta->sealed_data_key);
  if (!header.ok() || header->key_version >= latest) return false;
  auto resealed = keyring.Rewrap(meta->sealed_data_key, context);
  if (!resealed.ok()) {
    ++count.failed;
    return false;
  }
  meta->sealed_data_key = *std::move(resealed);
  part.set_sse(meta->Serialize());
  ++count.rewrapped;
  return true;
}

// RewrapPart over every part of `record`. Returns true if anything changed.
bool RewrapRecord(const sse::Keyring& keyring, std::string_view bucket, std::string_view key_id,
                  uint32_t latest, metadata::ObjectRecord& record, RewrapCount& count) {
  bool changed = false;
  const sse::EncryptionContext context = ObjectContext(bucket, record.key(), KmsContextOf(record));
  for (auto& part : *record.mutable_parts()) {
    changed |= RewrapPart(keyring, context, key_id, latest, part, count);
  }
  return changed;
}

// The parts of in-progress multipart uploads in `bucket`, each re-sealed under its key's
// lock (a part replaced meanwhile was sealed under the newest version anyway).
void RewrapUploads(Services& s, std::string_view bucket, std::string_view key_id, uint32_t latest,
                   RewrapCount& count) {
  const sse::Keyring& keyring = s.objects.keyring();
  metadata::ListUploadsOptions options;
  for (;;) {
    auto uploads = s.meta.ListUploads(bucket, options);
    if (!uploads.ok()) return;
    for (const metadata::UploadRecord& upload : uploads->uploads) {
      const sse::EncryptionContext context =
          ObjectContext(bucket, upload.key(), KmsContextOf(upload.object_template()));
      uint32_t marker = 0;
      for (;;) {
        auto page = s.meta.ListParts(bucket, upload.key(), upload.upload_id(), marker, 1000);
        if (!page.ok()) break;  // completed or aborted meanwhile
        for (const metadata::DataPart& listed : page->parts) {
          metadata::DataPart probe = listed;
          RewrapCount dry;
          if (!RewrapPart(keyring, context, key_id, latest, probe, dry)) {
            count.failed += dry.failed;
            continue;
          }
          RewrapCount done;
          absl::Status updated =
              s.meta.UpdatePart(bucket, upload.key(), upload.upload_id(), listed.part_number(),
                                [&](metadata::DataPart& part) {
                                  done = {};
                                  RewrapPart(keyring, context, key_id, latest, part, done);
                                  return absl::OkStatus();
                                });
          if (updated.ok()) {
            count.rewrapped += done.rewrapped;
            count.failed += done.failed;
          }
        }
        if (!page->is_truncated) break;
        marker = page->next_part_number_marker;
      }
    }
    if (!uploads->is_truncated) return;
    options.key_marker = uploads->next_key_marker;
    options.upload_id_marker = uploads->next_upload_id_marker;
  }
}

// Walks every version of every bucket and re-wraps the data keys of `key_id` (see the file
// comment). Each record is updated atomically with the other writes of its key.
absl::StatusOr<RewrapCount> RewrapAll(Services& s, std::string_view key_id, uint32_t latest) {
  const sse::Keyring& keyring = s.objects.keyring();
  RewrapCount count;
  SB_ASSIGN_OR_RETURN(std::vector<metadata::BucketRecord> buckets, s.meta.ListBuckets());
  for (const auto& bucket : buckets) {
    metadata::ListVersionsOptions options;
    for (;;) {
      auto page = s.meta.ListObjectVersions(bucket.name(), options);
      if (!page.ok()) break;  // the bucket went away meanwhile
      for (const auto& entry : page->versions) {
        const metadata::ObjectRecord& listed = entry.record;
        if (listed.delete_marker()) continue;
        RewrapCount probe;
        metadata::ObjectRecord copy = listed;
        if (!RewrapRecord(keyring, bucket.name(), key_id, latest, copy, probe)) {
          count.failed += probe.failed;
          continue;
        }
        RewrapCount done;
        auto updated = s.meta.UpdateObjectVersion(
            bucket.name(), listed.key(), listed.version_id(), [&](metadata::ObjectRecord& record) {
              done = {};
              RewrapRecord(keyring, bucket.name(), key_id, latest, record, done);
              return absl::OkStatus();
            });
        if (updated.ok()) {
          count.rewrapped += done.rewrapped;
          count.failed += done.failed;
        }  // else: the version was deleted meanwhile
      }
      if (!page->is_truncated) break;
      options.key_marker = page->next_key_marker;
      options.version_id_marker = page->next_version_id_marker;
    }
    RewrapUploads(s, bucket.name(), key_id, latest, count);
  }
  return count;
}

absl::Status ChangeKey(RequestContext& ctx, Services& s) {
  SB_ASSIGN_OR_RETURN(std::string key_id, KeyIdFromPath(ctx));
  sse::Keyring& keyring = s.objects.keyring();
  absl::Status changed;
  switch (ctx.req.op) {
    case Operation::kAdminKmsRotateKey:
      changed = keyring.RotateKey(key_id).status();
      break;
    case Operation::kAdminKmsDisableKey:
      changed = keyring.SetKeyState(key_id, sse::KeyState::kDisabled);
      break;
    default:
      changed = keyring.SetKeyState(key_id, sse::KeyState::kEnabled);
      break;
  }
  SB_RETURN_IF_ERROR(AdminError(changed, key_id));
  SB_ASSIGN_OR_RETURN(sse::KeyInfo info, keyring.DescribeKey(key_id));
  boost::json::object doc = KeyJson(info);
  if (ctx.req.op == Operation::kAdminKmsRotateKey) {
    SB_ASSIGN_OR_RETURN(RewrapCount count, RewrapAll(s, key_id, info.latest_version));
    doc["rewrapped_data_keys"] = count.rewrapped;
    doc["rewrap_failures"] = count.failed;
  }
  return RespondJson(ctx, 200, doc);
}

}  // namespace

absl::Status HandleKmsOperation(RequestContext& ctx, Services& s) {
  switch (ctx.req.op) {
    case Operation::kAdminKmsListKeys:
      return ListKeys(ctx, s);
    case Operation::kAdminKmsCreateKey:
      return CreateKey(ctx, s);
    case Operation::kAdminKmsRotateKey:
    case Operation::kAdminKmsDisableKey:
    case Operation::kAdminKmsEnableKey:
      return ChangeKey(ctx, s);
    default:
      return absl::InternalError("not a KMS operation");
  }
}

}  // namespace sb::gateway
