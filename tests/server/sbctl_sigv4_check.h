// An independent AWS SigV4 verifier for sbctl tests, written from the AWS documentation
// ("Signature Calculations for the Authorization Header"), so the tests check libcurl's
// signatures against a third implementation. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "tests/server/sbctl_test_http_server.h"

namespace sb::sbctl::testing {

std::string Sha256HexForTest(std::string_view data);

// Returns "" if the Authorization header of `req` carries a valid SigV4 signature for
// `secret_key` whose payload hash matches the body, else a description of the mismatch.
std::string CheckSigV4(const RecordedRequest& req, std::string_view secret_key);

// Lower-level form: the signature of a request given its parts.
std::string SignForTest(std::string_view secret_key, std::string_view amz_date,
                        std::string_view scope, std::string_view canonical_request);

}  // namespace sb::sbctl::testing
