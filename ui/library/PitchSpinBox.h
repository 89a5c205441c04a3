#pragma once
// A MIDI pitch entry that shows and accepts note names ("C4", "F#2") as well as MIDI numbers.
#include <QSpinBox>
#include <optional>

namespace ts::ui {

class PitchSpinBox : public QSpinBox {
    Q_OBJECT
public:
    explicit PitchSpinBox(QWidget* parent = nullptr);

    // "C4" → 60, "c#4"/"Db4" → 61, "C-1" → 0, "60" → 60; nullopt for anything else or outside 0..127.
    static std::optional<int> parsePitch(const QString& text);

protected:
    QString textFromValue(int value) const override;
    int valueFromText(const QString& text) const override;
    QValidator::State validate(QString& text, int& pos) const override;
};

} // namespace ts::ui
