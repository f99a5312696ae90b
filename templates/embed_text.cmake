# Generates a C++ source that returns the text of a data file, so the binary carries the
# shipped cliché list and `mailgate lint-text` needs no file beside it.
# -DIN=<file> -DOUT=<generated .cpp> -DFUNCTION=<name in mailgate::templates>
file(READ "${IN}" text)
set(body "// Generated from ${IN} by templates/embed_text.cmake; do not edit.\n#include <string_view>\nnamespace mailgate::templates {\nstd::string_view ${FUNCTION}() {\n  return R\"mgtext(${text})mgtext\";\n}\n}  // namespace mailgate::templates\n")
file(WRITE "${OUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
