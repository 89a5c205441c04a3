# How every Timbrescope target is built: one place for warnings, QT_NO_KEYWORDS (torch defines
# `slots`) and the optional sanitizers, applied per target and never through global flags; and the
# two kinds of module (a core module, a ui feature folder), each a static library with its sources
# listed in its folder's CMakeLists.txt and its dependencies declared there.

# Warnings every target gets. TIMBRESCOPE_WARNINGS_AS_ERRORS (CI turns it on) makes them errors.
# Third-party headers (Qt, LibTorch, FFTW, ...) come in as SYSTEM includes and are not checked.
add_library(timbrescope_warnings INTERFACE)
# -Wshadow=local, -Wduplicated-cond and -Wlogical-op are GCC's own: clang (the fuzzing build) has none.
target_compile_options(timbrescope_warnings INTERFACE
  -Wall -Wextra -Wpedantic
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>  # a local that hides another local: the bug -Wshadow is for, without Qt's member noise
  -Wnon-virtual-dtor        # a polymorphic class deleted through its base
  -Woverloaded-virtual      # an override that only hides the base function
  -Wcast-qual $<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond> $<$<CXX_COMPILER_ID:GNU>:-Wlogical-op> -Wimplicit-fallthrough
  -Wmissing-declarations)   # a free function with no declaration: it belongs in a header or an anonymous namespace
if(TIMBRESCOPE_WARNINGS_AS_ERRORS)
  target_compile_options(timbrescope_warnings INTERFACE -Werror)
endif()

# In a sanitizer build every executable carries the runtimes' default options and suppressions
# (cmake/SanitizerDefaults.cpp.in, tests/sanitizers/*.supp), so processes started by tests get them too.
if(TIMBRESCOPE_SANITIZE)
  file(READ ${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp TIMBRESCOPE_LSAN_SUPPRESSIONS)
  file(READ ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan.supp TIMBRESCOPE_TSAN_SUPPRESSIONS)
  set(TIMBRESCOPE_UBSAN_SUPPRESSIONS ${PROJECT_SOURCE_DIR}/tests/sanitizers/ubsan.supp)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/SanitizerDefaults.cpp.in
                 ${PROJECT_BINARY_DIR}/SanitizerDefaults.cpp @ONLY)
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${PROJECT_SOURCE_DIR}/tests/sanitizers/lsan.supp ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan.supp)
endif()

function(timbrescope_target_defaults target)
  target_link_libraries(${target} PRIVATE timbrescope_warnings)
  target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
  if(TIMBRESCOPE_FUZZ)
    # Coverage for libFuzzer's guidance (the fuzzer's own runtime is linked into the harnesses
    # only), and every memory error or undefined behaviour a crash the fuzzer reports.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link,address,undefined
                           -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  elseif(TIMBRESCOPE_SANITIZE)
    string(REPLACE ";" "," _san "${TIMBRESCOPE_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
    get_target_property(_type ${target} TYPE)
    if(_type STREQUAL "EXECUTABLE")
      target_sources(${target} PRIVATE ${PROJECT_BINARY_DIR}/SanitizerDefaults.cpp)
    endif()
  endif()
endfunction()

# timbrescope_core_module(NAME SOURCES files... [DEPENDS targets...]): the static library
# timbrescope_NAME (alias timbrescope::NAME) of core/NAME. Qt-free. Headers are included from the
# core folder ("audio/AudioFile.h"); DEPENDS are the core modules (and libraries) its headers use.
function(timbrescope_core_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(timbrescope_${name} STATIC ${ARG_SOURCES})
  add_library(timbrescope::${name} ALIAS timbrescope_${name})
  timbrescope_target_defaults(timbrescope_${name})
  target_include_directories(timbrescope_${name} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(timbrescope_${name} PUBLIC ${ARG_DEPENDS})
  set_target_properties(timbrescope_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endfunction()

# timbrescope_ui_module(NAME SOURCES files... DEPENDS targets...): the static library
# timbrescope_ui_NAME (alias timbrescope::ui_NAME) of ui/NAME. Headers are included as
# "ui/NAME/Class.h". DEPENDS name the lower ui folders and the Qt modules it uses, nothing more.
function(timbrescope_ui_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(timbrescope_ui_${name} STATIC ${ARG_SOURCES})
  add_library(timbrescope::ui_${name} ALIAS timbrescope_ui_${name})
  timbrescope_target_defaults(timbrescope_ui_${name})
  set_target_properties(timbrescope_ui_${name} PROPERTIES AUTOMOC ON)
  target_include_directories(timbrescope_ui_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(timbrescope_ui_${name} PUBLIC ${ARG_DEPENDS})
endfunction()
