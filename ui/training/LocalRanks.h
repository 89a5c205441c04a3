#pragma once
// The other processes of a training run the Training tab spreads over this machine: ranks 1..N-1
// of a c10d run, each `timbrescope train` with the form's settings, while the tab's own worker is
// rank 0 (its progress feeds the charts; its figures cover every rank's notes). Each rank's
// output goes to a file of its own (nobody has to read their pipes while training runs), whose
// last line says how the rank ended.
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

#include "ml/TrainingJob.h"
#include "util/Result.h"

class QProcess;

namespace ts::ui {

class LocalRanks {
public:
    // A TCP port on 127.0.0.1 nobody listens on now (the rendezvous of rank 0).
    static int freePort();
    // The command line of rank `rank` of `worldSize` for `job` (whose distributed spec names the
    // rendezvous), as `timbrescope train` takes it.
    static QStringList arguments(const ml::TrainingJobSpec& job, int rank);

    LocalRanks();
    ~LocalRanks();  // kills ranks still running
    LocalRanks(const LocalRanks&) = delete;
    LocalRanks& operator=(const LocalRanks&) = delete;

    // Starts ranks 1..worldSize-1 of `job` with `program` (the timbrescope binary). An error names
    // the program when one cannot start; the ranks started are then stopped.
    Status start(const QString& program, const ml::TrainingJobSpec& job);
    // Waits for every rank (they end with rank 0; `stopNow`: rank 0 failed, so they are stopped at
    // once) and says how each ended: "rank 1: exit 0 · train: rank 1 of 2 done after 3 epochs; …".
    QStringList finish(bool stopNow);

private:
    QTemporaryDir m_logs;
    std::vector<std::unique_ptr<QProcess>> m_ranks;
};

} // namespace ts::ui
