#include "ui/common/ModelFiles.h"

#include <QObject>

#include "util/AppPaths.h"

namespace ts::ui {

QString shippedModelPath()
{
    return QString::fromStdString(ts::findShippedModel(ts::executableFolder(), kShippedModelFileName));
}

QString modelFileFilter()
{
    return QObject::tr("Timbrescope models (*.tsm)");
}

} // namespace ts::ui
