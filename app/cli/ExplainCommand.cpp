// `timbrescope explain FILE [--model M] [--target family|source] [--class CLASS] --out SAL.npy|SAL.png`:
// which time-frequency regions of a sound's log-mel drove a model's answer (integrated gradients, or Grad-CAM).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "audio/AudioFile.h"
#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "dataset/FeatureCache.h"
#include "ml/Architecture.h"
#include "ml/TrainedModel.h"
#include "util/AppPaths.h"
#include "util/AtomicFile.h"
#include "util/NpyWriter.h"

#ifdef TIMBRESCOPE_WITH_GUI
#include <QColor>
#include <QBuffer>
#include <QImage>
#include <QString>
#endif

namespace ts::cli {

namespace {

constexpr const char* kShippedModel = "timbre-net.tsm";

bool endsWith(const std::string& text, const std::string& tail)
{
    return text.size() >= tail.size()
        && std::equal(tail.rbegin(), tail.rend(), text.rbegin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

#ifdef TIMBRESCOPE_WITH_GUI
// The log-mel in grey, time left to right and low bands at the bottom, with the saliency laid over it
// from transparent to red-yellow (drawn by its square root, so weaker evidence than the peak still
// shows); 4 pixels per band, 2 per frame. The .npy keeps the values themselves.
Status writePng(const std::string& path, const std::vector<float>& logMel, const ml::Saliency& saliency)
{
    constexpr int kFrameWidth = 2, kBandHeight = 4;
    QImage image(saliency.frames * kFrameWidth, saliency.bands * kBandHeight, QImage::Format_RGB32);
    const auto [low, high] = std::minmax_element(logMel.begin(), logMel.end());
    const float span = std::max(1e-6f, *high - *low);
    for (int f = 0; f < saliency.frames; ++f) {
        for (int b = 0; b < saliency.bands; ++b) {
            const std::size_t i = std::size_t(f) * std::size_t(saliency.bands) + std::size_t(b);
            const int grey = int(255.0f * (logMel[i] - *low) / span * 0.8f);
            const float s = std::sqrt(saliency.values[i]);
            const QColor heat = QColor::fromHsvF(0.16f * s, 1.0f, 1.0f);  // red (weak) to yellow (strong)
            const QRgb pixel = qRgb(int(grey * (1 - s) + heat.red() * s), int(grey * (1 - s) + heat.green() * s),
                                    int(grey * (1 - s) + heat.blue() * s));
            for (int y = 0; y < kBandHeight; ++y)
                for (int x = 0; x < kFrameWidth; ++x)
                    image.setPixel(f * kFrameWidth + x, (saliency.bands - 1 - b) * kBandHeight + y, pixel);
        }
    }
    // Encoded in memory, then written atomically: a failed or killed run leaves no half PNG.
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return makeError(ErrorCode::Internal, "cannot encode the PNG", path);
    return writeFileAtomically(path, png.constData(), std::size_t(png.size()));
}
#endif

int runExplain(const Args& args)
{
    if (args.positionals().size() != 1)
        return usageError("explain", "expects one FILE");
    const std::string out = args.value("--out").value_or("");
    const bool png = endsWith(out, ".png");
    if (out.empty() || !(png || endsWith(out, ".npy")))
        return usageError("explain", "--out must name a .npy or .png file");
#ifndef TIMBRESCOPE_WITH_GUI
    if (png)
        return usageError("explain", "this build has no image support: write a .npy file");
#endif
    std::string modelPath = args.value("--model").value_or("");
    if (modelPath.empty()) {
        modelPath = findShippedModel(executableFolder(), kShippedModel);
        if (modelPath.empty())
            return fail(makeError(ErrorCode::NotFound, std::string("no --model given and no shipped ") + kShippedModel + " found"));
    }
    auto model = ml::TrainedModel::load(modelPath);
    if (!model)
        return fail(model.error());
    const auto& architecture = model->architecture();
    const std::string targetName = args.value("--target").value_or(ml::targetName(architecture.targets.front()));
    const auto target = ml::parseTarget(targetName);
    if (!target || std::find(architecture.targets.begin(), architecture.targets.end(), *target) == architecture.targets.end())
        return usageError("explain", "--target must be one the model predicts, got '" + targetName + "'");

    const std::string& file = args.positionals().front();
    auto decoded = audio::loadAudio(file);
    if (!decoded)
        return fail(decoded.error());
    const auto features = dataset::computeFeatures(architecture.features, audio::modelView(decoded->samples));
    auto scores = model->score(features.data(), 1);
    if (!scores)
        return fail(scores.error());
    const auto& probabilities = scores->of(*target).front();
    const auto& labels = ml::labelsOf(architecture, *target);
    int classIndex = int(std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin());
    if (const auto name = args.value("--class")) {
        const auto found = std::find(labels.begin(), labels.end(), *name);
        if (found == labels.end())
            return usageError("explain", "--class must be a " + targetName + " class, got '" + *name + "'");
        classIndex = int(found - labels.begin());
    }
    const std::string methodName = args.value("--method").value_or("ig");
    if (methodName != "ig" && methodName != "gradcam")
        return usageError("explain", "--method must be ig or gradcam, got '" + methodName + "'");
    const auto method = methodName == "gradcam" ? ml::SaliencyMethod::GradCam : ml::SaliencyMethod::IntegratedGradients;
    auto saliency = model->explain(features.data(), *target, classIndex, method);
    if (!saliency)
        return fail(saliency.error());

    Status written;
    if (png) {
#ifdef TIMBRESCOPE_WITH_GUI
        written = writePng(out, features, *saliency);
#endif
    } else {
        written = writeNpyFloat32(out, saliency->values.data(), {std::size_t(saliency->frames), std::size_t(saliency->bands)});
    }
    if (!written)
        return fail(written.error());

    // Where it is strongest, in the user's units: time in seconds, and the mel band.
    const auto peak = std::size_t(std::max_element(saliency->values.begin(), saliency->values.end()) - saliency->values.begin());
    const int peakFrame = int(peak / std::size_t(saliency->bands)), peakBand = int(peak % std::size_t(saliency->bands));
    const auto& mel = architecture.features.logMel;
    const double seconds = double(peakFrame) * double(mel.hop) / double(mel.sampleRate);  // frames are centred
    if (args.has("--json")) {
        const nlohmann::ordered_json j = {{"file", file},
                                          {"model", model->path()},
                                          {"target", targetName},
                                          {"class", labels[std::size_t(classIndex)]},
                                          {"method", methodName},
                                          {"probability", probabilities[std::size_t(classIndex)]},
                                          {"frames", saliency->frames},
                                          {"bands", saliency->bands},
                                          {"peak", {{"frame", peakFrame}, {"seconds", seconds}, {"band", peakBand}}},
                                          {"out", out}};
        std::cout << jsonText(j) << "\n";
    } else {
        std::printf("%s: %s %s (%.0f %%): strongest at %.2f s, mel band %d of %d; wrote %s\n", file.c_str(), targetName.c_str(),
                    labels[std::size_t(classIndex)].c_str(), 100.0 * probabilities[std::size_t(classIndex)], seconds, peakBand,
                    saliency->bands, out.c_str());
    }
    return kSuccess;
}

Command makeExplainCommand()
{
    Command c;
    c.name = "explain";
    c.synopsis = "FILE --out SAL.npy|SAL.png [--model MODEL] [--target family|source] [--class CLASS] [--method ig|gradcam] [--json]";
    c.summary = "show which time-frequency regions of a sound drove the model's answer (saliency)";
    c.description =
        "Computes MODEL's answer for FILE (its first 4 s, as predict takes a note starting at its first\n"
        "sample) and the saliency of one class (default: the one it chose) over the log-mel, 0 to 1,\n"
        "frames x bands (251 x 64 for timbre-net): integrated gradients from silence (default), or with\n"
        "--method gradcam Grad-CAM on the last convolution block (smoother, coarser). --out SAL.npy\n"
        "writes it for numpy; SAL.png draws the log-mel in grey (time left to right, low bands at the\n"
        "bottom) with the saliency over it from red to yellow. --class names another class (\"why reed\n"
        "and not brass\"). --json prints {\"file\", \"model\", \"target\", \"class\", \"method\", \"probability\", \"frames\",\n"
        "\"bands\", \"peak\": {\"frame\", \"seconds\", \"band\"}, \"out\"}. timbre-net only.";
    c.options = {
        {"--out", "FILE", ".npy (numpy) or .png (an image over the log-mel)"},
        {"--model", "MODEL", "model file (default: the shipped timbre-net)"},
        {"--target", "T", "family or source (default: the model's first target)"},
        {"--class", "CLASS", "the class to explain (default: the predicted one)"},
        {"--method", "M", "ig (integrated gradients, default) or gradcam"},
        {"--json", "", "print the answer and where the saliency peaks as JSON"},
    };
    c.order = 77;
    c.run = runExplain;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeExplainCommand);

} // namespace ts::cli
