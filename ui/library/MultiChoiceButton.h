#pragma once
// A compact "Family: any ▾" button whose menu holds one checkable entry per choice, for filters
// that accept several values at once. The menu stays open while the user ticks entries.
#include <QString>
#include <QPushButton>
#include <QVector>
#include <set>

class QMenu;
class QAction;

namespace ts::ui {

class MultiChoiceButton : public QPushButton {
    Q_OBJECT
public:
    struct Choice {
        int value = 0;
        QString text;
    };

    explicit MultiChoiceButton(const QString& title, QWidget* parent = nullptr);

    // Replaces the choices; keeps the selected values that still exist.
    void setChoices(const QVector<Choice>& choices);
    // The ticked values; empty means "any".
    std::set<int> selected() const;
    // Ticks exactly these values (unknown values are ignored); emits nothing.
    void setSelected(const std::set<int>& values);

Q_SIGNALS:
    void selectionChanged();

private:
    void updateText();

    QString m_title;
    QMenu* m_menu = nullptr;
    QAction* m_anyAction = nullptr;
    QVector<QAction*> m_actions;
};

} // namespace ts::ui
