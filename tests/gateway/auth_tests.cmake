sb_unit_test(NAME gateway_auth_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/sigv4_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/sigv4_presign_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/aws_chunked_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/payload_verify_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/checksum_combine_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/post_form_test.cc
    ${CMAKE_CURRENT_SOURCE_DIR}/post_policy_test.cc
  DEPS sb::gateway_auth OpenSSL::Crypto absl::strings absl::time)
