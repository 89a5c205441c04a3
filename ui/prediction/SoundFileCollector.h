#pragma once
// Turns what a user dropped or chose (files and folders) into the list of files to classify.
// Files named explicitly are always kept, whatever their name, so a file that is not sound gets a
// row saying so; folders are walked recursively and contribute only files whose extension is one
// libsndfile reads, sorted by path, so a folder of notes next to its examples.json just works.
#include <QString>
#include <QStringList>

namespace ts::ui {

struct CollectedFiles {
    QStringList files;
    bool truncated = false;  // the limit was reached; the rest were left out
};

CollectedFiles collectSoundFiles(const QStringList& paths, int limit = 10000);

// Lower-case extensions (no dot) that libsndfile can decode, used for walking folders and for
// file dialogs' name filters.
const QStringList& soundFileExtensions();
QString soundFileDialogFilter();  // "Sound files (*.wav *.flac …)"

} // namespace ts::ui
