sb_unit_test(NAME gateway_xml_test
  SOURCES
    xml_builder_test.cc
    xml_list_objects_test.cc
    xml_responses_test.cc
    xml_request_test.cc
    xml_roundtrip_test.cc
    xml_encryption_test.cc
    xml_sts_test.cc
    xml_object_lock_test.cc
    xml_cors_test.cc
    xml_bucket_config_test.cc
    xml_object_attributes_test.cc
    xml_lifecycle_test.cc
  DEPS sb::gateway_xml pugixml::pugixml)
