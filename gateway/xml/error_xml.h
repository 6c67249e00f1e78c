// The S3 <Error> document. The code and message come from gateway/s3_errors (the only
// mapping from ErrorReason); this file only renders. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sb::gateway::xml {

struct ErrorDocument {
  std::string code;        // "NoSuchKey"
  std::string message;     // human-readable
  std::string resource;    // "/bucket/key"; omitted when empty
  std::string request_id;  // always written
  std::string host_id;     // omitted when empty
  // Extra elements S3 adds for some codes, written after Message in this order, e.g.
  // {"BucketName", "b"}, {"Key", "k"}, {"ArgumentName", "x"}, {"ArgumentValue", "y"}.
  std::vector<std::pair<std::string, std::string>> extra;
};

// `<Error><Code/><Message/>[extra...][<Resource/>]<RequestId/>[<HostId/>]</Error>` after
// the XML declaration. S3 puts no namespace on <Error>. Extra element names must be valid
// XML names (they are not escaped); values are.
std::string ErrorXml(const ErrorDocument& error);

}  // namespace sb::gateway::xml
