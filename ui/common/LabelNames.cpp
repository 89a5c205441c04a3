#include "ui/common/LabelNames.h"

#include <string_view>

#include "dataset/Labels.h"

namespace ts::ui {

namespace {
QString labelText(std::string_view name)
{
    QString text = QString::fromUtf8(name.data(), int(name.size()));
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    return text;
}
} // namespace

QString familyDisplayName(int family)
{
    if (family < 0 || family >= int(dataset::kFamilyNames.size()))
        return QStringLiteral("?");
    return labelText(dataset::kFamilyNames[std::size_t(family)]);
}

QString sourceDisplayName(int source)
{
    if (source < 0 || source >= int(dataset::kSourceNames.size()))
        return QStringLiteral("?");
    return labelText(dataset::kSourceNames[std::size_t(source)]);
}

} // namespace ts::ui
