#pragma once
// Colour maps for spectrograms: a level in [0, 1] → colour, through a 256-entry table built once by
// linear interpolation between a few anchor colours. Viridis (the default) and magma are
// perceptually uniform, so equal steps in dB look like equal steps in brightness; greyscale prints well.
#include <QList>
#include <QRgb>
#include <QString>

#include <array>
#include <optional>

namespace ts::ui {

class ColourMap {
public:
    enum class Kind { Viridis, Magma, Greyscale };
    static constexpr int kTableSize = 256;

    explicit ColourMap(Kind kind = Kind::Viridis);

    Kind kind() const { return m_kind; }
    // Level 0 is the quietest colour, 1 the loudest; values outside are clamped, NaN reads as 0.
    QRgb colourAt(double level) const;
    // The table itself, for renderers that index it per pixel.
    const std::array<QRgb, kTableSize>& table() const { return m_table; }

    static QList<Kind> kinds();
    static QString displayName(Kind kind);  // "Viridis", "Magma", "Greyscale"
    static std::optional<Kind> fromDisplayName(const QString& name);

private:
    Kind m_kind;
    std::array<QRgb, kTableSize> m_table{};
};

} // namespace ts::ui
