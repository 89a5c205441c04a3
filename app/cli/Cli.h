#pragma once
// The headless command line: `timbrescope COMMAND [options]`. Each command lives in its own file
// (InfoCommand.cpp, ...) and registers itself with TS_REGISTER_COMMAND, so Cli.cpp never changes
// when a command is added. Exit codes are a contract users' scripts rely on: 0 success, 1 failure, 2 usage.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/CsvField.h"
#include "util/Result.h"

namespace ts::cli {

enum ExitCode : int { kSuccess = 0, kFailure = 1, kUsage = 2 };

struct OptionSpec {
    std::string name;         // "--out"
    std::string valueName;    // "FILE"; empty for a flag
    std::string help;
    bool repeatable = false;
};

// Parsed arguments of one command. Unknown options and missing values are usage errors.
class Args {
public:
    bool has(const std::string& option) const { return m_values.count(option) > 0; }
    std::optional<std::string> value(const std::string& option) const;
    std::vector<std::string> values(const std::string& option) const;
    const std::vector<std::string>& positionals() const { return m_positionals; }

    // Typed access: a malformed number is a usage error reported by the caller.
    Result<long long> integer(const std::string& option, long long fallback) const;
    Result<double> number(const std::string& option, double fallback) const;

    static Result<Args> parse(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs);

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::vector<std::string> m_positionals;
};

struct Command {
    std::string name;
    std::string synopsis;      // "PATH [--json]"
    std::string summary;       // one line for `timbrescope --help`
    std::string description;   // paragraphs for `timbrescope CMD --help`
    std::vector<OptionSpec> options;
    int order = 100;           // position in the help listing
    std::function<int(const Args&)> run;
};

bool registerCommand(Command command);
const std::vector<Command>& commands();

// Returns true if argv names a CLI command or a help/version flag (otherwise main starts the GUI).
bool isCliInvocation(int argc, char** argv);
int runCli(int argc, char** argv);

// Shared reporting: "timbrescope: <message>" on stderr, returning the exit code.
int fail(const Error& error);
int usageError(const std::string& command, const std::string& message);

// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
using ts::csvField;

// Writes `text` to a file atomically, or to stdout when path is "-" or empty.
Status writeOutput(const std::string& path, const std::string& text);

} // namespace ts::cli

#define TS_CLI_CONCAT2(a, b) a##b
#define TS_CLI_CONCAT(a, b) TS_CLI_CONCAT2(a, b)
#define TS_REGISTER_COMMAND(factory) \
    static const bool TS_CLI_CONCAT(s_registered_, __LINE__) = ::ts::cli::registerCommand(factory())
