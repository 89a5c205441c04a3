#include "ui/sound/ColourMap.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ts::ui {
namespace {

// Anchors at equal steps along the map: the 10-colour samples of matplotlib's viridis and magma
// (as published by R's viridisLite, viridis(10) and magma(10)). Linear RGB interpolation between
// ten anchors stays within a few units of the full 256-entry originals.
const std::vector<QRgb>& anchorsFor(ColourMap::Kind kind)
{
    static const std::vector<QRgb> viridis = {
        0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E,
        0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};
    static const std::vector<QRgb> magma = {
        0x000004, 0x180F3E, 0x451077, 0x721F81, 0x9F2F7F,
        0xCD4071, 0xF1605D, 0xFD9567, 0xFEC98D, 0xFCFDBF};
    static const std::vector<QRgb> greyscale = {0x000000, 0xFFFFFF};
    switch (kind) {
    case ColourMap::Kind::Magma: return magma;
    case ColourMap::Kind::Greyscale: return greyscale;
    case ColourMap::Kind::Viridis: break;
    }
    return viridis;
}

int lerpChannel(int a, int b, double f)
{
    return std::clamp(int(std::lround(a + (b - a) * f)), 0, 255);
}

} // namespace

ColourMap::ColourMap(Kind kind) : m_kind(kind)
{
    const std::vector<QRgb>& anchors = anchorsFor(kind);
    const int segments = int(anchors.size()) - 1;
    for (int i = 0; i < kTableSize; ++i) {
        const double pos = double(i) / (kTableSize - 1) * segments;
        const int k = std::min(int(pos), segments - 1);
        const double f = pos - k;
        const QRgb a = anchors[std::size_t(k)];
        const QRgb b = anchors[std::size_t(k + 1)];
        m_table[std::size_t(i)] = qRgb(lerpChannel(qRed(a), qRed(b), f), lerpChannel(qGreen(a), qGreen(b), f),
                                       lerpChannel(qBlue(a), qBlue(b), f));
    }
}

QRgb ColourMap::colourAt(double level) const
{
    if (!(level > 0.0))  // also catches NaN
        return m_table.front();
    const int index = std::min(kTableSize - 1, int(level * (kTableSize - 1) + 0.5));
    return m_table[std::size_t(index)];
}

QList<ColourMap::Kind> ColourMap::kinds()
{
    return {Kind::Viridis, Kind::Magma, Kind::Greyscale};
}

QString ColourMap::displayName(Kind kind)
{
    switch (kind) {
    case Kind::Magma: return QStringLiteral("Magma");
    case Kind::Greyscale: return QStringLiteral("Greyscale");
    case Kind::Viridis: break;
    }
    return QStringLiteral("Viridis");
}

std::optional<ColourMap::Kind> ColourMap::fromDisplayName(const QString& name)
{
    for (Kind kind : kinds())
        if (displayName(kind).compare(name, Qt::CaseInsensitive) == 0)
            return kind;
    return std::nullopt;
}

} // namespace ts::ui
