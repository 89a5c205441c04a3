#pragma once
// For the crash tests: start timbrescope, SIGKILL it at a chosen moment (or the moment a temporary
// file appears), run it to the end with a file-size limit (a full disk without root), list the
// temporaries Timbrescope's writers leave when killed, and compare folders byte for byte.
#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QThread>

#include <csignal>
#include <cstdint>
#include <dirent.h>
#include <sys/resource.h>
#include <vector>

#include "util/SplitMix64.h"

namespace ts::test {

struct KilledRun {
    bool killed = false;  // false: it had finished before the moment came
    int exitCode = -1;    // when it finished on its own
    QString err;
};

inline void startTimbrescope(QProcess& p, const QStringList& args, const QProcessEnvironment& env)
{
    p.setProcessEnvironment(env);
    p.start(qEnvironmentVariable("TIMBRESCOPE_BIN"), args);
    p.waitForStarted();
}

inline KilledRun finish(QProcess& p, bool killed)
{
    if (killed)
        ::kill(pid_t(p.processId()), SIGKILL);
    p.waitForFinished(30000);
    KilledRun r;
    r.killed = killed && p.exitStatus() == QProcess::CrashExit;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Runs timbrescope and SIGKILLs it `afterMs` after it started, unless it finished first.
inline KilledRun runAndKillAfter(const QStringList& args, const QProcessEnvironment& env, int afterMs)
{
    QProcess p;
    startTimbrescope(p, args, env);
    return finish(p, !p.waitForFinished(afterMs));
}

// Whether `name` is one of the temporaries Timbrescope's writers make beside their target (see
// util/StaleTemporaries.h and FileLock.h): TARGET.tmp-PID-XXXXXXXX (atomic writes, the feature cache),
// .NAME.rendering-PID (a render's folder, .NAME.old.rendering-PID the set it replaces) and
// .NAME.lock (a render's lock, removed on release).
inline bool isTemporaryName(const QString& name)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^(.+\.tmp-\d+-[0-9a-f]{8}|\..+\.rendering-\d+|\..+\.lock|.+\.partial)$)"));
    return pattern.match(name).hasMatch();
}

// Every temporary in `folder` and below, as paths relative to it.
inline QStringList temporariesIn(const QString& folder)
{
    QStringList found;
    QDirIterator it(folder, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (isTemporaryName(it.fileName()))
            found << QDir(folder).relativeFilePath(path);
    }
    found.sort();
    return found;
}

// Whether `folder` holds an atomic write's temporary of `target` right now ("TARGET.tmp-..."; any
// target when empty). A plain readdir: this is polled in a tight loop.
inline bool holdsTemporaryOf(const QByteArray& folder, const QByteArray& target)
{
    DIR* dir = ::opendir(folder.constData());
    if (!dir)
        return false;
    bool found = false;
    while (const dirent* entry = ::readdir(dir)) {
        const QByteArray name(entry->d_name);
        if (name.contains(".tmp-") && (target.isEmpty() || name.startsWith(target + ".tmp-"))) {
            found = true;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

// Runs timbrescope and SIGKILLs it the moment `folder` holds a temporary of `target` (any target
// when empty), i.e. in the middle of that atomic write, unless it finished first.
inline KilledRun runAndKillWhileWriting(const QStringList& args, const QProcessEnvironment& env, const QString& folder,
                                        const QString& target = QString())
{
    const QByteArray where = QFile::encodeName(folder);
    const QByteArray name = QFile::encodeName(target);
    QProcess p;
    startTimbrescope(p, args, env);
    QElapsedTimer timer;
    timer.start();
    while (p.state() != QProcess::NotRunning && timer.elapsed() < 60000) {
        if (holdsTemporaryOf(where, name))
            return finish(p, true);
        // An fsync'ed write takes a millisecond or more: a look every 0.1 ms sees it, and leaves
        // the other core to the process.
        QThread::usleep(100);
        p.waitForFinished(0);  // lets QProcess notice the end
    }
    return finish(p, false);
}

// `runs` moments in [0, durationMs), one in each of `runs` equal slices, where in its slice drawn
// from `seed`: spread over the whole run, and the same moments on every machine and every day.
inline std::vector<int> killMoments(int durationMs, int runs, std::uint64_t seed)
{
    ts::SplitMix64 random(seed);
    std::vector<int> moments;
    for (int i = 0; i < runs; ++i) {
        const double u = double(random.next() >> 11) / double(std::uint64_t(1) << 53);
        moments.push_back(int((double(i) + u) * double(durationMs) / double(runs)));
    }
    return moments;
}

struct LimitedRun {
    int exitCode = -1;  // -1: killed by a signal (SIGXFSZ if it were not ignored)
    QString out;
    QString err;
};

// Runs timbrescope to the end with its files limited to `maxFileBytes` (RLIMIT_FSIZE) and SIGXFSZ
// ignored, so a write past the limit fails with EFBIG ("File too large") as on a full disk
// (ENOSPC), instead of killing the process.
inline LimitedRun runWithFileSizeLimit(const QStringList& args, const QProcessEnvironment& env, rlim_t maxFileBytes)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setChildProcessModifier([maxFileBytes] {
        ::signal(SIGXFSZ, SIG_IGN);  // inherited through exec
        const rlimit limit{maxFileBytes, maxFileBytes};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    p.start(qEnvironmentVariable("TIMBRESCOPE_BIN"), args);
    if (!p.waitForFinished(180000))
        p.kill();
    p.waitForFinished(5000);
    return LimitedRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                      QString::fromUtf8(p.readAllStandardError())};
}

inline QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Every file below `folder` (relative path → bytes), hidden ones included.
inline std::vector<std::pair<QString, QByteArray>> folderBytes(const QString& folder)
{
    std::vector<std::pair<QString, QByteArray>> files;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        files.emplace_back(QDir(folder).relativeFilePath(path), fileBytes(path));
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace ts::test
