# Per-target settings shared by every Timbrescope target: warnings, QT_NO_KEYWORDS (torch defines
# `slots`), and the optional sanitizers. Applied per target, never through global flags.
function(timbrescope_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  target_compile_definitions(${target} PRIVATE QT_NO_KEYWORDS)
  if(TIMBRESCOPE_SANITIZE)
    string(REPLACE ";" "," _san "${TIMBRESCOPE_SANITIZE}")
    target_compile_options(${target} PRIVATE -fsanitize=${_san} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${_san})
  endif()
endfunction()
