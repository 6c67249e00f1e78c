// Drive identity: each drive folder carries .strongbox/format.json naming its deployment,
// erasure set and position. PrepareDrives formats empty drives and refuses drives that
// belong elsewhere, so a mis-mounted or reordered disk is never written to. Thread-safe
// (stateless), but two processes must not prepare the same drives concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace sb::erasure::internal {

inline constexpr uint32_t kDriveFormatVersion = 1;
inline constexpr char kFormatDir[] = ".strongbox";
inline constexpr char kFormatFile[] = ".strongbox/format.json";

struct DriveFormat {
  uint32_t version = kDriveFormatVersion;
  std::string deployment_id;  // shared by all drives of one deployment
  std::string drive_id;       // unique per formatted drive
  uint32_t set_index = 0;
  uint32_t drive_index = 0;  // position in the set == shard index it stores
  uint32_t drive_count = 0;  // drives in the set
};

// One-line JSON object.
std::string EncodeDriveFormat(const DriveFormat& f);
// InvalidArgument if `json` is not a format object with every field.
absl::StatusOr<DriveFormat> ParseDriveFormat(std::string_view json);

struct DriveState {
  std::string path;
  bool online = false;  // false: unreachable at open; never written, reads skip it
  DriveFormat format;   // valid when online
};

struct PreparedDrives {
  std::string deployment_id;
  std::vector<DriveState> drives;
};

// Creates missing drive folders, checks every format file and formats unformatted empty
// drives into their slot (a fresh deployment if none is formatted yet). Drives that cannot
// be accessed are returned offline. FailedPrecondition (naming the drive) for a drive of
// another deployment, set or position, a changed drive count, a corrupt format file or a
// non-empty unformatted folder; InvalidArgument if two paths are the same directory.
absl::StatusOr<PreparedDrives> PrepareDrives(const std::vector<std::string>& paths,
                                             uint32_t set_index);

}  // namespace sb::erasure::internal
