#include "ui/app/FileDropFilter.h"

#include <QCoreApplication>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QWidget>

namespace ts::ui {

namespace {
QStringList localPaths(const QMimeData* mime)
{
    QStringList paths;
    if (!mime || !mime->hasUrls())
        return paths;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    return paths;
}
} // namespace

FileDropFilter::FileDropFilter(QWidget* window) : QObject(window), m_window(window)
{
    // Qt only delivers drags to widgets that accept drops; the window catches those no child takes.
    m_window->setAcceptDrops(true);
    QCoreApplication::instance()->installEventFilter(this);
}

FileDropFilter::~FileDropFilter()
{
    QCoreApplication::instance()->removeEventFilter(this);
}

bool FileDropFilter::eventFilter(QObject* watched, QEvent* event)
{
    const QEvent::Type type = event->type();
    if (type != QEvent::DragEnter && type != QEvent::DragMove && type != QEvent::Drop)
        return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget || widget->window() != m_window)
        return false;
    auto* drop = static_cast<QDropEvent*>(event);  // QDragEnterEvent and QDragMoveEvent derive from it
    const QStringList paths = localPaths(drop->mimeData());
    if (paths.isEmpty())
        return false;  // text and other drags keep their usual meaning
    drop->acceptProposedAction();
    if (type == QEvent::Drop)
        Q_EMIT filesDropped(paths);
    return true;
}

} // namespace ts::ui
