#pragma once
// File → New Dataset from Folder…: a folder of the user's own sounds made into a dataset of their
// own classes (ml/DatasetImport.h). The user picks the folder (classes from its first-level folder
// names) or a CSV of labels, sees a preview of the classes and how many files each has (and what
// would be skipped, and why) before anything is written, names the dataset (it goes to the
// application's datasets folder), and imports with a progress bar and Cancel. Cancelling leaves
// nothing behind; an existing dataset of the same name that is not an import is never replaced.
#include <QDialog>
#include <QString>

#include "ml/DatasetImport.h"
#include "ui/common/LatestResult.h"
#include "ui/common/ThrottledProgress.h"

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;

namespace ts::ui {

class ImportDatasetDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDatasetDialog(QWidget* parent = nullptr);
    ~ImportDatasetDialog() override;

    // Fill the form (tests, and a folder dropped with Shift): the preview follows.
    void setSourceFolder(const QString& folder);
    void setCsvFile(const QString& csv);
    void setDatasetName(const QString& name);

    QString datasetFolder() const;          // where the dataset goes: <app data>/datasets/<name>
    QString importedFolder() const { return m_imported; }  // set once an import succeeded
    bool isImporting() const { return m_importing; }
    // What the preview shows: "CLASS\tFILES" per class (tests).
    QStringList previewLines() const;
    QString statusText() const;

public Q_SLOTS:
    void startImport();
    void reject() override;

Q_SIGNALS:
    void previewReady();
    void imported(const QString& folder);

private:
    void refreshPreview();
    void showPlan(const Result<ml::ImportPlan>& plan);
    void showProgress(const Progress& progress);
    void onFinished(const Result<ml::ImportSummary>& result);
    ml::ImportOptions options() const;

    QLineEdit* m_folder = nullptr;
    QLineEdit* m_csv = nullptr;
    QLineEdit* m_name = nullptr;
    QCheckBox* m_wholeFiles = nullptr;
    QTreeWidget* m_preview = nullptr;
    QLabel* m_summary = nullptr;
    QProgressBar* m_bar = nullptr;
    QLabel* m_status = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QPushButton* m_import = nullptr;
    std::optional<ml::ImportPlan> m_plan;
    ThrottledProgress m_progress{this, 10, [this](const Progress& p) { showProgress(p); }};
    LatestResult<ml::ImportPlan> m_planning{this};
    LatestResult<ml::ImportSummary> m_running{this};
    bool m_importing = false;
    bool m_closeWhenDone = false;
    QString m_imported;
};

} // namespace ts::ui
