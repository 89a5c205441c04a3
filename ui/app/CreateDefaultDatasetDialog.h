#pragma once
// Offers to make the default dataset when it is missing or was made by an older recipe: explains
// what will happen, then renders it from every sound generator installed (synth::DatasetRenderer's
// default request) on a worker thread with a progress bar, the generator being rendered, an
// estimate of the time left and a Cancel button that stops within a note.
// The renderer writes into a temporary folder and renames it at the end, so cancelling leaves
// nothing half-made. While another Timbrescope renders the same folder (`render --default` in a
// terminal, a second window) the dialog shows "Waiting for another Timbrescope (pid N) rendering
// DIR…" with a busy bar, and then takes the set that process made.
#include <QDialog>
#include <QElapsedTimer>
#include <QString>
#include <memory>

#include "synth/DatasetRenderer.h"
#include "ui/common/LatestResult.h"
#include "ui/common/ThrottledProgress.h"

class QDialogButtonBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace ts::ui {

class CreateDefaultDatasetDialog : public QDialog {
    Q_OBJECT
public:
    // `request` is normally DatasetRenderer::defaultRequest(); `outdated` says the folder holds a
    // default dataset of an older recipe, which this render replaces.
    explicit CreateDefaultDatasetDialog(synth::RenderRequest request, bool outdated = false, QWidget* parent = nullptr);
    ~CreateDefaultDatasetDialog() override;

    bool isRendering() const { return m_rendering; }
    // The dataset folder once rendering succeeded, else empty.
    QString createdFolder() const { return m_created; }

public Q_SLOTS:
    void start();
    void reject() override;

Q_SIGNALS:
    void datasetCreated(const QString& folder);

private:
    void showProgress(const Progress& progress);
    void onFinished(const Result<synth::RenderSummary>& result);

    synth::RenderRequest m_request;
    QString m_outFolder;
    QLabel* m_text = nullptr;
    QProgressBar* m_bar = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_create = nullptr;
    QElapsedTimer m_clock;
    // A note's progress from the renderer's threads, a few times a second: thousands of notes must not
    // flood the event loop.
    ThrottledProgress m_progress{this, 7, [this](const Progress& p) { showProgress(p); }};
    LatestResult<synth::RenderSummary> m_render{this};
    bool m_rendering = false;
    bool m_closeWhenDone = false;
    QString m_created;
};

} // namespace ts::ui
