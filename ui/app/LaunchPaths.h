#pragma once
// What `timbrescope PATH...` asks the GUI to do: a folder holding examples.json is a dataset to open
// (the first one; it replaces the remembered dataset for this start), anything else that exists is
// a sound file or a folder of them for the prediction panel, and a path that does not exist is a
// problem to report (by name), not a reason to refuse to start.
#include <QString>
#include <QStringList>

namespace ts::ui {

struct LaunchPaths {
    QString datasetFolder;   // empty: open the start-up dataset as usual
    QStringList soundPaths;  // files and folders to classify, in the order given
    QStringList problems;    // one sentence per path that cannot be used
};

LaunchPaths sortLaunchPaths(const QStringList& arguments);

} // namespace ts::ui
