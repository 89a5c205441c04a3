// The "Family: any ▾" filter button: ticking entries changes the selection and the summary text,
// "Any" clears it, and setting a selection from code emits nothing.
#include <QAction>
#include <QMenu>
#include <QtTest>

#include "ui/library/MultiChoiceButton.h"

using ts::ui::MultiChoiceButton;

namespace {
QAction* actionNamed(const MultiChoiceButton& button, const QString& prefix)
{
    for (QAction* action : button.menu()->actions())
        if (action->text().startsWith(prefix))
            return action;
    return nullptr;
}
} // namespace

class tst_MultiChoiceButton : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tickingEntries()
    {
        MultiChoiceButton button(QStringLiteral("Family"));
        button.setChoices({{0, QStringLiteral("bass (41)")}, {3, QStringLiteral("guitar (373)")}, {4, QStringLiteral("keyboard (12)")}});
        QCOMPARE(button.text(), QStringLiteral("Family: any"));
        QVERIFY(button.selected().empty());

        QSignalSpy changed(&button, &MultiChoiceButton::selectionChanged);
        actionNamed(button, QStringLiteral("guitar"))->trigger();
        QCOMPARE(changed.count(), 1);
        QCOMPARE(button.selected(), (std::set<int>{3}));
        QCOMPARE(button.text(), QStringLiteral("Family: guitar"));  // the count is not repeated
        actionNamed(button, QStringLiteral("bass"))->trigger();
        QCOMPARE(button.text(), QStringLiteral("Family: bass, guitar"));
        actionNamed(button, QStringLiteral("keyboard"))->trigger();
        QCOMPARE(button.selected(), (std::set<int>{0, 3, 4}));
        QCOMPARE(button.text(), QStringLiteral("Family: 3 selected"));

        actionNamed(button, QStringLiteral("Any"))->trigger();
        QVERIFY(button.selected().empty());
        QCOMPARE(button.text(), QStringLiteral("Family: any"));
        QCOMPARE(changed.count(), 4);
    }

    void settingFromCodeIsSilentAndKeepsKnownValues()
    {
        MultiChoiceButton button(QStringLiteral("Velocity"));
        button.setChoices({{25, QStringLiteral("25")}, {127, QStringLiteral("127")}});
        QSignalSpy changed(&button, &MultiChoiceButton::selectionChanged);
        button.setSelected({127, 99});
        QCOMPARE(changed.count(), 0);
        QCOMPARE(button.selected(), (std::set<int>{127}));
        // New choices (another dataset) keep the values that still exist.
        button.setChoices({{50, QStringLiteral("50")}, {127, QStringLiteral("127")}});
        QCOMPARE(button.selected(), (std::set<int>{127}));
        QCOMPARE(button.text(), QStringLiteral("Velocity: 127"));
    }
};

QTEST_MAIN(tst_MultiChoiceButton)
#include "tst_MultiChoiceButton.moc"
