#include "ui/prediction/SoundFileCollector.h"

#include <QDirIterator>
#include <QFileInfo>

#include <algorithm>

namespace ts::ui {

const QStringList& soundFileExtensions()
{
    // The major formats of libsndfile 1.2 (Debian 12), by their usual extensions.
    static const QStringList extensions = {
        QStringLiteral("wav"), QStringLiteral("wave"), QStringLiteral("flac"), QStringLiteral("ogg"),
        QStringLiteral("oga"), QStringLiteral("opus"), QStringLiteral("mp3"), QStringLiteral("aif"),
        QStringLiteral("aiff"), QStringLiteral("aifc"), QStringLiteral("au"), QStringLiteral("snd"),
        QStringLiteral("caf"), QStringLiteral("w64"), QStringLiteral("rf64"), QStringLiteral("voc"),
        QStringLiteral("sd2"), QStringLiteral("paf"), QStringLiteral("sf"), QStringLiteral("ircam"),
        QStringLiteral("nist"), QStringLiteral("sph"), QStringLiteral("htk"), QStringLiteral("xi"),
        QStringLiteral("mpc"), QStringLiteral("wve"), QStringLiteral("avr"), QStringLiteral("mat"),
    };
    return extensions;
}

QString soundFileDialogFilter()
{
    QStringList patterns;
    for (const QString& extension : soundFileExtensions())
        patterns << QStringLiteral("*.") + extension;
    return QObject::tr("Sound files (%1)").arg(patterns.join(QLatin1Char(' ')));
}

CollectedFiles collectSoundFiles(const QStringList& paths, int limit)
{
    CollectedFiles result;
    auto add = [&](const QString& file) {
        if (result.files.size() >= limit) {
            result.truncated = true;
            return false;
        }
        result.files << file;
        return true;
    };
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.isDir()) {
            // Kept even if missing or not sound: its row will say what is wrong.
            if (!add(info.absoluteFilePath()))
                break;
            continue;
        }
        QStringList found;
        QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::Readable | QDir::NoDotAndDotDot,
                        QDirIterator::Subdirectories | QDirIterator::FollowSymlinks);
        while (it.hasNext()) {
            const QString file = it.next();
            if (soundFileExtensions().contains(QFileInfo(file).suffix().toLower()))
                found << file;
            if (found.size() > limit)
                break;
        }
        std::sort(found.begin(), found.end());
        bool full = false;
        for (const QString& file : found)
            if (!add(file)) {
                full = true;
                break;
            }
        if (full)
            break;
    }
    return result;
}

} // namespace ts::ui
