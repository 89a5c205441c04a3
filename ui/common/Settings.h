#pragma once
// The application's QSettings (~/.config/timbrescope/timbrescope.conf). Named explicitly instead of
// through QCoreApplication's organisation name, because setting that name would also move
// QStandardPaths' data folder away from what core's AppPaths computes.
#include <QSettings>

namespace ts::ui {

inline QSettings appSettings()
{
    return QSettings(QSettings::NativeFormat, QSettings::UserScope, QStringLiteral("timbrescope"),
                     QStringLiteral("timbrescope"));
}

} // namespace ts::ui
