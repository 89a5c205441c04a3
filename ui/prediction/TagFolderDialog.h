#pragma once
// "Tag Folder…": every sound file under a folder classified off the GUI thread (ml::tagFiles, one
// predictor per core, progress and Cancel), the answers in a sortable table (file, family, source,
// confidences, uncertain, error), exported to CSV, and "Sort into Folders…": the files copied or
// linked into one folder per family (or source) of a destination, after a dry-run list of what
// would go where. Nothing is ever moved, and nothing that exists is overwritten.
#include <QDialog>
#include <QFutureWatcher>
#include <QStringList>

#include <vector>

#include "ml/FolderTagger.h"
#include "util/CancellationToken.h"
#include "util/Result.h"

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QTableView;

namespace ts::ui {

// What a tagging run hands back to the dialog.
struct TagRun {
    std::vector<ml::TaggedFile> files;
    std::vector<std::string> problems;  // folders that could not be walked, a model that did not load
    double seconds = 0.0;
};

class TagFolderDialog : public QDialog {
    Q_OBJECT
public:
    // The class columns (a model of own classes) come last in the model and are shown after the file.
    enum Column { FileColumn, FamilyColumn, FamilyConfidenceColumn, SourceColumn, SourceConfidenceColumn, UncertainColumn, ErrorColumn,
                  ClassColumn, ClassConfidenceColumn };

    // modelPaths: the model (or family and source models) the prediction panel uses.
    explicit TagFolderDialog(const QStringList& modelPaths, QWidget* parent = nullptr);
    ~TagFolderDialog() override;  // cancels a run and waits for it

    void startTagging(const QString& folder);
    void cancel();
    bool isWorking() const;
    const std::vector<ml::TaggedFile>& results() const { return m_results; }
    QString folder() const;
    QTableView* table() const { return m_table; }
    QStandardItemModel* tableModel() const { return m_model; }
    QString statusText() const;

    Status exportCsv(const QString& path) const;
    // What "Sort into Folders…" would do, and doing it (the dialog runs these; tests call them).
    std::vector<ml::SortStep> sortPlan(const QString& destination, ml::SortBy by) const;
    // Whether the model answered own classes (the class columns and "sort by class" are offered).
    bool hasOwnClasses() const;

Q_SIGNALS:
    void taggingFinished(int files, int unreadable, bool cancelled);

private:
    void chooseFolder();
    void onFinished();
    void fillTable();
    void chooseCsv();
    void sortIntoFolders();

    QStringList m_modelPaths;
    QLineEdit* m_folder;
    QPushButton* m_start;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTableView* m_table;
    QStandardItemModel* m_model;
    QPushButton* m_export;
    QPushButton* m_sort;
    QString m_taggedFolder;
    std::vector<ml::TaggedFile> m_results;
    std::vector<std::string> m_problems;
    QFutureWatcher<TagRun> m_watcher;
    CancellationToken m_token;
    double m_seconds = 0.0;
};

} // namespace ts::ui
