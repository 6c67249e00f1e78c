# sb::gateway_auth: SigV4 verification, aws-chunked decoding and payload checksums (pure code:
# no HTTP library, no sockets).
add_library(sb_gateway_auth
  sigv4.cc
  aws_chunked.cc
  payload_verify.cc
  checksum_combine.cc
  post_form.cc
  post_policy.cc
  internal/sigv4_canonical.cc
  internal/sigv4_crypto.cc
  internal/crc64nvme.cc)
add_library(sb::gateway_auth ALIAS sb_gateway_auth)
target_include_directories(sb_gateway_auth PUBLIC ${PROJECT_SOURCE_DIR})
# OpenSSL is public: aws_chunked.h and payload_verify.h hold EVP digest contexts.
target_link_libraries(sb_gateway_auth
  PUBLIC sb::common OpenSSL::Crypto absl::status absl::statusor absl::time
  PRIVATE PkgConfig::ISAL Boost::json absl::strings absl::synchronization absl::flat_hash_map)
