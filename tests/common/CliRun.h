#pragma once
// Runs a program (usually the built timbrescope, $TIMBRESCOPE_BIN) to the end and keeps its exit
// code and output, for the CLI tests. exitCode is -1 when it crashed or ran past the timeout.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace ts::test {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

inline CliRun runProgram(const QString& program, const QStringList& args,
                         const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs))
        p.kill();
    p.waitForFinished(5000);
    return CliRun{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
                  QString::fromUtf8(p.readAllStandardError())};
}

inline CliRun runTimbrescope(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(),
                             int timeoutMs = 120000)
{
    return runProgram(qEnvironmentVariable("TIMBRESCOPE_BIN"), args, env, timeoutMs);
}

// The system environment with the cache and data folders (XDG_CACHE_HOME, XDG_DATA_HOME) moved
// to `folder`/cache and `folder`/data, so the runs never touch the user's own.
inline QProcessEnvironment environmentIn(const QString& folder)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CACHE_HOME"), folder + QStringLiteral("/cache"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), folder + QStringLiteral("/data"));
    return env;
}

} // namespace ts::test
