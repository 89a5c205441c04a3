#pragma once
// JSON text for --json output that never fails on a file name. Names on Linux are bytes, not
// always UTF-8 (a name with byte 0xFF is legal), and JSON text is UTF-8. The rule, as Python's
// "surrogateescape": a byte that is not part of valid UTF-8 is written as the escape \udcXX (XX its
// value in hex). json.loads then os.fsencode in Python gives back the exact bytes of the name; all
// valid UTF-8 is written as it is.
#include <string>

#include <nlohmann/json.hpp>

namespace ts::cli {

// The JSON text of `document` (indented by 2), with every string and key made UTF-8 by the rule above.
std::string jsonText(const nlohmann::ordered_json& document);
std::string jsonText(const nlohmann::json& document);

} // namespace ts::cli
