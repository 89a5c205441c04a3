#pragma once
// RESULT lines for bench_*.cpp, the format our Python peer (bench/peer/peer_common.py) prints too:
//   RESULT impl=app[SUFFIX] figure=<name> value=<number> unit=<unit> [key=value ...]
// bench/compare_peer.py pairs impl "app" with the peer's py-torch figures of the same name; SUFFIX
// is $BENCH_IMPL_SUFFIX (bench/run_bench.sh sets it only for the peer's variant runs).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace bench {

inline std::string implName()
{
    const char* suffix = std::getenv("BENCH_IMPL_SUFFIX");
    return std::string("app") + (suffix ? suffix : "");
}

inline double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// %.4g below 1, %.2f above, exponent form for tiny or huge values, as the peer formats them.
inline std::string format(double v)
{
    char buf[64];
    const double a = std::fabs(v);
    if (v != 0.0 && (a < 1e-3 || a >= 1e7))
        std::snprintf(buf, sizeof buf, "%.3e", v);
    else if (a < 1.0)
        std::snprintf(buf, sizeof buf, "%.4g", v);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

inline void result(const std::string& figure, double value, const std::string& unit, const std::string& extra = {})
{
    std::printf("RESULT impl=%s figure=%s value=%s unit=%s%s%s\n", implName().c_str(), figure.c_str(),
                format(value).c_str(), unit.c_str(), extra.empty() ? "" : " ", extra.c_str());
    std::fflush(stdout);
}

// The process's peak resident memory so far, in MB.
inline double peakRssMb()
{
    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0;
}

inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t k = v.size();
    return k == 0 ? 0.0 : k % 2 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
}

inline double mean(const std::vector<double>& v)
{
    return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

inline std::string spread(const std::vector<double>& v)
{
    if (v.empty())
        return "spread=0..0";
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    return "spread=" + format(*lo) + ".." + format(*hi);
}

} // namespace bench
