# SB_FUZZ=ON: the libFuzzer targets of tests/fuzz (the parsers that face the network), and
# nothing else. Clang only. Every translation unit gets libFuzzer's coverage instrumentation
# plus ASan+UBSan (UBSan aborts, so libFuzzer reports it as a crash). The components are
# added EXCLUDE_FROM_ALL, so the default target builds only the libraries the fuzz targets
# link; neither the server nor the unit tests are configured.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SB_FUZZ=ON needs clang: -DCMAKE_CXX_COMPILER=clang++-14 (deploy/build.sh fuzz)")
endif()
if(SB_SANITIZE)
  message(FATAL_ERROR "SB_FUZZ=ON already builds with ASan+UBSan; leave SB_SANITIZE off")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)

# How long `ctest -L fuzz` runs each target over its corpus (CI); longer runs are manual.
set(SB_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs under ctest")
set(SB_FUZZ_RUNS 2000000 CACHE STRING "Execution cap per fuzz target under ctest")
