# The gateway proper: HTTP server (the only Beast/Asio translation unit), request parsing
# and routing, the pipeline and its stages, handlers and the object service.
add_library(sb_gateway
  ${CMAKE_CURRENT_SOURCE_DIR}/http_types.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/http_server.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/tls_context.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/s3_request.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/s3_router.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/iam_routes.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/s3_errors.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/request_context.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/pipeline.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/request_metrics.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/access_log.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/audit_sink.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/checksum_source.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/object_service.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/point_in_time_restore.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/object_encryption.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/internal/encrypted_writer.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/internal/md5.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/parse_stage.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/authenticate_stage.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/bearer_auth.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/post_auth.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/authorize_stage.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/request_conditions.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/stages/object_lock_conditions.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/handler_util.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/sts_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/range.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/sse_headers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/encryption_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/kms_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/bucket_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/cors_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/public_access_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/lifecycle_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/object_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/post_object_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/multipart_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/list_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/admin_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/admin_bucket_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/metrics_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/acl_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/tagging_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/object_lock_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/audit_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/restore_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/bucket_policy_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/iam_json.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/iam_handlers.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/handlers/iam_policy_handlers.cc)
add_library(sb::gateway ALIAS sb_gateway)
target_link_libraries(sb_gateway
  PUBLIC sb::common sb::metrics sb::gateway_auth sb::gateway_xml sb::metadata sb::erasure sb::policy
         sb::audit sb::sse sb::bearer_token sb::object_lock
  PRIVATE Boost::json OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
target_include_directories(sb_gateway SYSTEM PRIVATE ${Boost_INCLUDE_DIRS})
