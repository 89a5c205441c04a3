#pragma once
// The plain values a PredictionWorker sends back to the GUI thread: what a file was predicted to
// be (or why it could not be read), and which model is loaded. No torch type crosses into ui/.
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <optional>

#include "audio/AudioFile.h"

namespace ts::ui {

// One target's answer: every class with its probability, in the model's class order.
struct ClassScores {
    QStringList labels;
    QVector<double> scores;
    // The best class is below the predictor's threshold for this target, or the sound is not a
    // note: the views say "uncertain" and show the best guess as a guess.
    bool uncertain = false;

    int best() const;               // index of the highest score, -1 if none
    QString bestLabel() const;      // "" if none
    double bestScore() const;       // 0 if none
};

// One note found in a file: where the model's view of it starts and where its sound ends
// (seconds), and its own answer.
struct PredictedSegment {
    double start = 0.0;
    double end = 0.0;
    std::optional<ClassScores> family;
    std::optional<ClassScores> source;
    std::optional<ClassScores> ownClass;
};

struct PredictionResult {
    quint64 job = 0;
    QString path;
    QString error;                  // non-empty: why the file could not be read or classified (no path)
    std::shared_ptr<const ts::audio::DecodedAudio> audio;  // the decoded sound (null on error)
    std::optional<ClassScores> family;  // absent when the model does not predict it, or no model
    std::optional<ClassScores> source;
    std::optional<ClassScores> ownClass;  // a model of a dataset's own classes
    QVector<PredictedSegment> segments;  // the notes found, in order (empty: none, or no model)
    bool predicted = false;         // false: decoded only (no model was loaded)
    double milliseconds = 0.0;      // decode + predict, in the worker

    bool ok() const { return error.isEmpty(); }
};

struct LoadedModel {
    QString path;
    QString description;            // "timbre-net · family + source", from the model's metadata
    bool predictsFamily = false;
    bool predictsSource = false;
    bool predictsClass = false;     // a model of a dataset's own classes
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::PredictionResult)
Q_DECLARE_METATYPE(ts::ui::LoadedModel)
