#include "ui/library/MultiChoiceButton.h"

#include <QAction>
#include <QMenu>
#include <QMouseEvent>
#include <QSignalBlocker>

namespace ts::ui {

namespace {
// A QMenu that toggles checkable entries without closing, so several families can be ticked in
// one visit; a click on a non-checkable entry ("Any") closes it as usual.
class StayOpenMenu : public QMenu {
public:
    using QMenu::QMenu;

protected:
    void mouseReleaseEvent(QMouseEvent* event) override
    {
        QAction* action = activeAction();
        if (action && action->isEnabled() && action->isCheckable()) {
            action->trigger();
            return;
        }
        QMenu::mouseReleaseEvent(event);
    }
};
} // namespace

MultiChoiceButton::MultiChoiceButton(const QString& title, QWidget* parent)
    : QPushButton(parent), m_title(title), m_menu(new StayOpenMenu(this))
{
    // A push button with a menu draws its arrow beside the text (a tool button overlaps it).
    setMenu(m_menu);
    m_anyAction = m_menu->addAction(tr("Any %1").arg(title.toLower()));
    connect(m_anyAction, &QAction::triggered, this, [this] {
        bool changed = false;
        for (QAction* action : std::as_const(m_actions)) {
            changed = changed || action->isChecked();
            QSignalBlocker blocker(action);
            action->setChecked(false);
        }
        updateText();
        if (changed)
            Q_EMIT selectionChanged();
    });
    m_menu->addSeparator();
    updateText();
}

void MultiChoiceButton::setChoices(const QVector<Choice>& choices)
{
    const std::set<int> keep = selected();
    for (QAction* action : std::as_const(m_actions)) {
        m_menu->removeAction(action);
        delete action;
    }
    m_actions.clear();
    for (const Choice& choice : choices) {
        auto* action = new QAction(choice.text, m_menu);
        action->setCheckable(true);
        action->setData(choice.value);
        action->setChecked(keep.count(choice.value) > 0);
        connect(action, &QAction::toggled, this, [this] {
            updateText();
            Q_EMIT selectionChanged();
        });
        m_menu->addAction(action);
        m_actions.push_back(action);
    }
    updateText();
}

std::set<int> MultiChoiceButton::selected() const
{
    std::set<int> values;
    for (const QAction* action : m_actions)
        if (action->isChecked())
            values.insert(action->data().toInt());
    return values;
}

void MultiChoiceButton::setSelected(const std::set<int>& values)
{
    for (QAction* action : std::as_const(m_actions)) {
        QSignalBlocker blocker(action);
        action->setChecked(values.count(action->data().toInt()) > 0);
    }
    updateText();
}

void MultiChoiceButton::updateText()
{
    QStringList names;
    for (const QAction* action : std::as_const(m_actions))
        if (action->isChecked())
            names << action->text().section(QLatin1String(" ("), 0, 0);  // drop the "(412)" count
    QString summary;
    if (names.isEmpty())
        summary = tr("any");
    else if (names.size() <= 2)
        summary = names.join(QStringLiteral(", "));
    else
        summary = tr("%n selected", nullptr, int(names.size()));
    setText(QStringLiteral("%1: %2").arg(m_title, summary));
    setToolTip(names.isEmpty() ? tr("%1: no restriction").arg(m_title) : names.join(QStringLiteral(", ")));
}

} // namespace ts::ui
