// `timbrescope features FILE --kind stft|logmel [--out F.npy|F.csv]`: the model inputs of one
// sound file, for checking them against other tools (numpy.load reads the .npy files).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audio/AudioFile.h"
#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "dsp/LogMel.h"
#include "dsp/SeedStft.h"
#include "util/NpyWriter.h"

namespace ts::cli {

namespace {

bool endsWith(const std::string& s, const std::string& suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string toLower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

// One row per frame, values separated by commas; %.9g keeps every float32 exactly.
std::string toCsv(const dsp::Spectrogram& s)
{
    std::string text;
    text.reserve(std::size_t(s.frames) * std::size_t(s.bins) * 12);
    char buf[32];
    for (int f = 0; f < s.frames; ++f) {
        for (int b = 0; b < s.bins; ++b) {
            const int n = std::snprintf(buf, sizeof buf, b == 0 ? "%.9g" : ",%.9g", double(s.at(f, b)));
            text.append(buf, std::size_t(n));
        }
        text += '\n';
    }
    return text;
}

nlohmann::ordered_json summary(const std::string& file, const std::string& kind, const dsp::Spectrogram& s)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    double sum = 0.0;
    for (float v : s.values) {
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
        sum += v;
    }
    const bool empty = s.values.empty();
    return {{"file", file},
            {"kind", kind},
            {"shape", {s.frames, s.bins}},
            {"min", empty ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(lo)},
            {"max", empty ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(hi)},
            {"mean", empty ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(sum / double(s.values.size()))}};
}

int runFeatures(const Args& args)
{
    const std::string command = "features";
    if (args.positionals().empty())
        return usageError(command, "missing FILE");
    if (args.positionals().size() > 1)
        return usageError(command, "expects one FILE, got " + std::to_string(args.positionals().size()));
    const auto kind = args.value("--kind");
    if (!kind)
        return usageError(command, "missing --kind (stft or logmel)");
    if (*kind != "stft" && *kind != "logmel")
        return usageError(command, "--kind must be stft or logmel, got '" + *kind + "'");
    const std::string out = args.value("--out").value_or("");
    const bool npy = endsWith(toLower(out), ".npy");
    const bool csv = endsWith(toLower(out), ".csv");
    if (!out.empty() && !npy && !csv)
        return usageError(command, "--out must name a .npy or .csv file, got '" + out + "'");

    const std::string& file = args.positionals().front();
    Result<audio::DecodedAudio> decoded = audio::loadAudio(file);
    if (!decoded)
        return fail(decoded.error());
    if (decoded->nonFiniteSamples > 0)
        std::cerr << "timbrescope: " << file << ": " << decoded->nonFiniteSamples
                  << " NaN/Inf samples replaced by 0\n";

    const std::vector<float> signal = args.has("--whole") ? decoded->samples : audio::modelView(decoded->samples);
    dsp::Spectrogram features;
    if (*kind == "stft")
        features = dsp::SeedStft().compute(signal.data(), signal.size());
    else
        features = dsp::LogMel().compute(signal.data(), signal.size());

    if (out.empty()) {
        std::cout << jsonText(summary(file, *kind, features)) << std::endl;
        return kSuccess;
    }
    const Status written = npy ? writeNpyFloat32(out, features.values.data(),
                                                 {std::size_t(features.frames), std::size_t(features.bins)})
                               : writeOutput(out, toCsv(features));
    if (!written)
        return fail(written.error());
    std::cerr << "timbrescope: wrote " << *kind << " " << features.frames << "x" << features.bins << " to " << out
              << "\n";
    return kSuccess;
}

Command makeFeaturesCommand()
{
    Command c;
    c.name = "features";
    c.synopsis = "FILE --kind stft|logmel [--out FILE.npy|FILE.csv] [--whole]";
    c.summary = "compute a sound file's model features (seed STFT or log-mel)";
    c.description =
        "Decodes FILE (any format libsndfile reads; mono, resampled to 16 kHz) and computes\n"
        "  stft    the seed's spectrogram: frames of 255 samples every 128, symmetric Hann,\n"
        "          FFT 256, linear magnitude; 499 x 129 for the 64,000-sample model view\n"
        "  logmel  64 mel bands in dB (floor -100 dB), FFT 512, hop 256, centred frames;\n"
        "          251 x 64 for the model view\n"
        "of the first 64,000 samples (4 s, zero-padded if shorter), as the models see them.\n"
        "With --out, writes frames x bins float32 values: .npy (numpy.load reads it) or .csv\n"
        "(one line per frame, no header). Without --out, prints a JSON summary:\n"
        "{\"file\", \"kind\", \"shape\": [frames, bins], \"min\", \"max\", \"mean\"}.";
    c.options = {
        {"--kind", "stft|logmel", "which features (required)"},
        {"--out", "FILE", "write the values to FILE.npy or FILE.csv"},
        {"--whole", "", "use the whole signal instead of the 64,000-sample model view"},
    };
    c.order = 30;
    c.run = runFeatures;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeFeaturesCommand);

} // namespace ts::cli
