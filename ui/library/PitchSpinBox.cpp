#include "ui/library/PitchSpinBox.h"

#include <QRegularExpression>

#include "dataset/Labels.h"

namespace ts::ui {

PitchSpinBox::PitchSpinBox(QWidget* parent) : QSpinBox(parent)
{
    setRange(0, 127);
    setAccelerated(true);
    setKeyboardTracking(false);  // typing "C4" must not filter on the way through "C"
}

std::optional<int> PitchSpinBox::parsePitch(const QString& text)
{
    const QString trimmed = text.trimmed();
    bool isNumber = false;
    const int number = trimmed.toInt(&isNumber);
    if (isNumber)
        return number >= 0 && number <= 127 ? std::optional<int>(number) : std::nullopt;

    static const QRegularExpression pattern(QStringLiteral("^([A-Ga-g])([#b]?)(-?\\d+)$"));
    const QRegularExpressionMatch match = pattern.match(trimmed);
    if (!match.hasMatch())
        return std::nullopt;
    // Semitones of C D E F G A B above C.
    static const int kOffsets[7] = {9, 11, 0, 2, 4, 5, 7};  // indexed from 'A'
    int semitone = kOffsets[match.captured(1).toUpper().at(0).unicode() - 'A'];
    if (match.captured(2) == QLatin1String("#"))
        ++semitone;
    else if (match.captured(2) == QLatin1String("b"))
        --semitone;
    const int midi = (match.captured(3).toInt() + 1) * 12 + semitone;  // C4 = 60
    return midi >= 0 && midi <= 127 ? std::optional<int>(midi) : std::nullopt;
}

QString PitchSpinBox::textFromValue(int value) const
{
    return QString::fromStdString(dataset::noteName(value));
}

int PitchSpinBox::valueFromText(const QString& text) const
{
    return parsePitch(text).value_or(value());
}

QValidator::State PitchSpinBox::validate(QString& text, int& /*pos*/) const
{
    if (parsePitch(text))
        return QValidator::Acceptable;
    static const QRegularExpression partial(QStringLiteral("^[A-Ga-g]?[#b]?-?\\d{0,3}$"));
    return partial.match(text.trimmed()).hasMatch() ? QValidator::Intermediate : QValidator::Invalid;
}

} // namespace ts::ui
