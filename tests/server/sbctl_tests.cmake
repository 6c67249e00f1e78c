# sbctl unit tests: one executable for the whole CLI, with a local HTTP server and an
# independent SigV4 verifier as test helpers.
sb_unit_test(NAME sbctl_test
  SOURCES
    sbctl_admin_client_test.cc
    sbctl_alias_path_test.cc
    sbctl_cli_test.cc
    sbctl_config_store_test.cc
    sbctl_iam_test.cc
    sbctl_info_format_test.cc
    sbctl_kms_test.cc
    sbctl_prometheus_test.cc
    sbctl_sigv4_check.cc
    sbctl_test_http_server.cc
  DEPS sb::sbctl_lib sb::bearer_token OpenSSL::Crypto Boost::json Threads::Threads)
