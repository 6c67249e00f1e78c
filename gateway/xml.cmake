# sb::gateway_xml: S3 XML response writers and request-body parsers (pure, no HTTP).
# Needs only the metadata record types, so it links the proto target, not sb::metadata.
add_library(sb_gateway_xml
  xml/bucket_xml.cc
  xml/error_xml.cc
  xml/list_objects_xml.cc
  xml/list_versions_xml.cc
  xml/acl_xml.cc
  xml/multipart_xml.cc
  xml/object_xml.cc
  xml/request_xml.cc
  xml/sts_xml.cc
  xml/encryption_xml.cc
  xml/cors_xml.cc
  xml/bucket_config_xml.cc
  xml/object_attributes_xml.cc
  xml/lifecycle_xml.cc
  xml/object_lock_xml.cc
  xml/pugi_util.cc
  xml/url_encode.cc
  xml/xml_builder.cc)
add_library(sb::gateway_xml ALIAS sb_gateway_xml)
target_include_directories(sb_gateway_xml PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(sb_gateway_xml
  PUBLIC sb::common sb::metadata_proto absl::status absl::statusor
  PRIVATE pugixml::pugixml absl::strings absl::time)
