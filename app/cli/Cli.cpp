#include "cli/Cli.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "util/AtomicFile.h"

namespace ts::cli {

namespace {

std::vector<Command>& registry()
{
    static std::vector<Command> all;
    return all;
}

const Command* findCommand(const std::string& name)
{
    for (const auto& c : registry())
        if (c.name == name)
            return &c;
    return nullptr;
}

void printMainHelp()
{
    std::cout << "Timbrescope " << TIMBRESCOPE_VERSION << " — explore and classify instrument sounds.\n\n"
              << "Usage:\n  timbrescope                 open the application\n"
              << "  timbrescope COMMAND [options]\n\nCommands:\n";
    for (const auto& c : commands()) {
        std::string line = "  " + c.name;
        line.resize(std::max<std::size_t>(line.size() + 1, 12), ' ');
        std::cout << line << c.summary << "\n";
    }
    std::cout << "\nRun `timbrescope COMMAND --help` for a command's options.\n"
              << "Exit codes: 0 success, 1 bad input or failure, 2 wrong usage.\n";
}

void printCommandHelp(const Command& c)
{
    std::cout << "Usage: timbrescope " << c.name << " " << c.synopsis << "\n\n" << c.summary << "\n";
    if (!c.description.empty())
        std::cout << "\n" << c.description << "\n";
    if (!c.options.empty()) {
        std::cout << "\nOptions:\n";
        for (const auto& o : c.options) {
            std::string left = "  " + o.name + (o.valueName.empty() ? "" : " " + o.valueName);
            left.resize(std::max<std::size_t>(left.size() + 2, 26), ' ');
            std::cout << left << o.help << "\n";
        }
    }
    std::cout << "  --help                  show this help\n";
}

} // namespace

std::optional<std::string> Args::value(const std::string& option) const
{
    auto it = m_values.find(option);
    if (it == m_values.end() || it->second.empty())
        return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::values(const std::string& option) const
{
    auto it = m_values.find(option);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

Result<long long> Args::integer(const std::string& option, long long fallback) const
{
    const auto v = value(option);
    if (!v)
        return fallback;
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || errno == ERANGE)
        return makeError(ErrorCode::InvalidArgument, option + " expects an integer, got '" + *v + "'");
    return n;
}

Result<double> Args::number(const std::string& option, double fallback) const
{
    const auto v = value(option);
    if (!v)
        return fallback;
    char* end = nullptr;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0')
        return makeError(ErrorCode::InvalidArgument, option + " expects a number, got '" + *v + "'");
    return x;
}

Result<Args> Args::parse(const std::vector<std::string>& argv, const std::vector<OptionSpec>& specs)
{
    Args args;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        std::string token = argv[i];
        if (token.size() > 2 && token.rfind("--", 0) == 0) {
            std::string inlineValue;
            bool hasInline = false;
            if (auto eq = token.find('='); eq != std::string::npos) {
                inlineValue = token.substr(eq + 1);
                token = token.substr(0, eq);
                hasInline = true;
            }
            auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == token; });
            if (spec == specs.end())
                return makeError(ErrorCode::InvalidArgument, "unknown option " + token);
            auto& slot = args.m_values[token];
            if (!spec->repeatable && !slot.empty())
                return makeError(ErrorCode::InvalidArgument, token + " given twice");
            if (spec->valueName.empty()) {
                if (hasInline)
                    return makeError(ErrorCode::InvalidArgument, token + " takes no value");
                slot.emplace_back();
            } else if (hasInline) {
                slot.push_back(inlineValue);
            } else {
                if (i + 1 >= argv.size())
                    return makeError(ErrorCode::InvalidArgument, token + " needs a value (" + spec->valueName + ")");
                slot.push_back(argv[++i]);
            }
        } else if (token == "--") {
            for (++i; i < argv.size(); ++i)
                args.m_positionals.push_back(argv[i]);
        } else {
            args.m_positionals.push_back(token);
        }
    }
    return args;
}

bool registerCommand(Command command)
{
    registry().push_back(std::move(command));
    return true;
}

const std::vector<Command>& commands()
{
    auto& all = registry();
    std::stable_sort(all.begin(), all.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
    return all;
}

bool isCliInvocation(int argc, char** argv)
{
    if (argc < 2)
        return false;
    const std::string first = argv[1];
    if (first.rfind("--", 0) == 0)
        return true;
    // Qt's own GUI options (-style, -platform, ...) start with a single dash.
    if (first[0] == '-')
        return false;
    // `timbrescope song.wav` or `timbrescope ~/nsynth-test` (a file manager's "Open with"): the GUI
    // with those paths. A word that is neither a command nor a path stays a usage error.
    std::error_code ec;
    return findCommand(first) || !std::filesystem::exists(first, ec);
}

int fail(const Error& error)
{
    std::cerr << "timbrescope: " << error.describe() << std::endl;
    return kFailure;
}

int usageError(const std::string& command, const std::string& message)
{
    std::cerr << "timbrescope" << (command.empty() ? "" : " " + command) << ": " << message << "\n"
              << "Run `timbrescope " << (command.empty() ? "" : command + " ") << "--help` for usage." << std::endl;
    return kUsage;
}

Status writeOutput(const std::string& path, const std::string& text)
{
    if (path.empty() || path == "-") {
        std::cout << text;
        std::cout.flush();
        return {};
    }
    return writeFileAtomically(path, text);
}

int runCli(int argc, char** argv)
{
    const std::string first = argv[1];
    if (first == "--help" || first == "-h" || first == "help") {
        if (first == "help" && argc > 2) {
            if (const Command* c = findCommand(argv[2])) {
                printCommandHelp(*c);
                return kSuccess;
            }
        }
        printMainHelp();
        return kSuccess;
    }
    if (first == "--version") {
        std::cout << "timbrescope " << TIMBRESCOPE_VERSION << "\n";
        return kSuccess;
    }
    const Command* command = findCommand(first);
    if (!command)
        return usageError("", "unknown command '" + first + "' (and no such file or folder)");
    std::vector<std::string> rest(argv + 2, argv + argc);
    if (std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
        std::find(rest.begin(), rest.end(), "-h") != rest.end()) {
        printCommandHelp(*command);
        return kSuccess;
    }
    auto args = Args::parse(rest, command->options);
    if (!args)
        return usageError(command->name, args.error().message);
    try {
        return command->run(*args);
    } catch (const std::exception& e) {
        // Last line of defence: a library threw where we did not expect it. Still one line, exit 1.
        return fail(makeError(ErrorCode::Internal, std::string("unexpected failure: ") + e.what()));
    }
}

} // namespace ts::cli
