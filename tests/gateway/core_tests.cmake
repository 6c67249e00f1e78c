# Unit tests of the gateway core (sb::gateway): routing, request parsing, error mapping,
# ranges and conditions, the pipeline runner, the object service over real RocksDB and
# erasure drives, and the HTTP server over loopback sockets.
sb_unit_test(NAME gateway_core_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/router_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/iam_routes_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/s3_request_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/s3_errors_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/range_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/conditions_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/request_conditions_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/handler_util_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/checksum_source_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/object_service_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/object_encryption_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/sse_headers_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/pipeline_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/request_metrics_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/bearer_auth_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/request_context_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/http_server_test.cc
  DEPS sb::gateway pugixml::pugixml OpenSSL::Crypto)

# The HTTPS listener and TLS context (certificates made with the OpenSSL API).
sb_unit_test(NAME gateway_tls_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tls_server_test.cc
  DEPS sb::gateway OpenSSL::SSL OpenSSL::Crypto)
