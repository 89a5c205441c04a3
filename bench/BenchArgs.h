#pragma once
// Command-line options of the bench_* programs: "--name VALUE" pairs written into the variables
// they were declared with, e.g.
//   int n = 50; std::vector<int> threads{2, 1};
//   if (!bench::Args().add("--n", n).add("--threads", threads).parse(argc, argv)) return usage();
// A list takes comma-separated values ("--threads 2,1"). parse() is false for an unknown option, a
// missing value or a number that does not read as one, so each program's usage message follows.
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace bench {

class Args {
public:
    Args& add(const char* name, std::string& target)
    {
        m_options.push_back({name, [&target](const std::string& v) { target = v; return true; }});
        return *this;
    }
    Args& add(const char* name, int& target)
    {
        m_options.push_back({name, [&target](const std::string& v) { return readInt(v, target); }});
        return *this;
    }
    Args& add(const char* name, double& target)
    {
        m_options.push_back({name, [&target](const std::string& v) {
                                 char* end = nullptr;
                                 target = std::strtod(v.c_str(), &end);
                                 return !v.empty() && *end == '\0';
                             }});
        return *this;
    }
    Args& add(const char* name, std::vector<int>& target)
    {
        m_options.push_back({name, [&target](const std::string& v) {
                                 target.clear();
                                 std::stringstream ss(v);
                                 for (std::string item; std::getline(ss, item, ',');) {
                                     int value = 0;
                                     if (!readInt(item, value))
                                         return false;
                                     target.push_back(value);
                                 }
                                 return !target.empty();
                             }});
        return *this;
    }
    // Arguments that do not start with "--" (a dataset folder, say), in order; without this they
    // are an error.
    Args& positional(std::vector<std::string>& target)
    {
        m_positional = &target;
        return *this;
    }

    bool parse(int argc, char** argv) const
    {
        for (int i = 1; i < argc; ++i) {
            const std::string name = argv[i];
            if (name.rfind("--", 0) != 0) {
                if (!m_positional)
                    return false;
                m_positional->push_back(name);
                continue;
            }
            const Option* option = nullptr;
            for (const auto& o : m_options)
                if (name == o.name)
                    option = &o;
            if (!option || i + 1 >= argc || !option->set(argv[++i]))
                return false;
        }
        return true;
    }

private:
    struct Option {
        std::string name;
        std::function<bool(const std::string&)> set;
    };

    static bool readInt(const std::string& v, int& target)
    {
        char* end = nullptr;
        const long value = std::strtol(v.c_str(), &end, 10);
        target = int(value);
        return !v.empty() && *end == '\0';
    }

    std::vector<Option> m_options;
    std::vector<std::string>* m_positional = nullptr;
};

} // namespace bench
