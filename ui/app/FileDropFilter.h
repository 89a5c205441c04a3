#pragma once
// Makes a drop of local files or folders anywhere on one window mean the same thing, whatever
// widget is under the cursor (the library's search field would otherwise take it as text).
// Watches the whole application's drag events and keeps those aimed at its window.
#include <QObject>
#include <QStringList>

class QWidget;

namespace ts::ui {

class FileDropFilter : public QObject {
    Q_OBJECT
public:
    // Accepts drops on `window` and every widget in it, for as long as this object lives.
    explicit FileDropFilter(QWidget* window);
    ~FileDropFilter() override;

Q_SIGNALS:
    void filesDropped(const QStringList& paths);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_window = nullptr;
};

} // namespace ts::ui
