#include "ui/prediction/ModelBar.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "util/AppPaths.h"
#include "ui/common/ModelFiles.h"

namespace ts::ui {

ModelBar::ModelBar(QWidget* parent) : QWidget(parent)
{
    m_label = new QLabel(this);
    m_label->setTextFormat(Qt::RichText);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b02a1e;"));
    m_error->hide();

    m_changeButton = new QToolButton(this);
    m_changeButton->setText(tr("Change model"));
    m_changeButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_changeButton);
    QAction* shipped = menu->addAction(tr("Shipped default model"), this, [this] { Q_EMIT modelFileChosen(shippedModelPath()); });
    menu->addAction(tr("Open model file…"), this, &ModelBar::chooseModelFile);
    menu->addSeparator();
    menu->addAction(tr("Train a new model…"), this, &ModelBar::trainingRequested);
    connect(menu, &QMenu::aboutToShow, this, [this, shipped] { shipped->setEnabled(!m_shippedModelPath.isEmpty()); });
    m_changeButton->setMenu(menu);

    m_banner = new QFrame(this);
    m_banner->setObjectName(QStringLiteral("noModelBanner"));
    m_banner->setStyleSheet(QStringLiteral("#noModelBanner { background: #fff6e0; border: 1px solid #e8c66a; border-radius: 4px; }"));
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    auto* icon = new QLabel(m_banner);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(24, 24));
    m_useShippedButton = new QToolButton(m_banner);
    m_useShippedButton->setText(tr("Use the shipped model"));
    connect(m_useShippedButton, &QToolButton::clicked, this, [this] { Q_EMIT modelFileChosen(shippedModelPath()); });
    auto* openButton = new QToolButton(m_banner);
    openButton->setText(tr("Open model file…"));
    connect(openButton, &QToolButton::clicked, this, &ModelBar::chooseModelFile);
    auto* trainButton = new QToolButton(m_banner);
    trainButton->setText(tr("Train a model…"));
    connect(trainButton, &QToolButton::clicked, this, &ModelBar::trainingRequested);
    auto* bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(icon);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_useShippedButton);
    bannerLayout->addWidget(openButton);
    bannerLayout->addWidget(trainButton);

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_label, 1);
    row->addWidget(m_changeButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_error);
    layout->addWidget(m_banner);
    showModel(std::nullopt);
}

void ModelBar::showLoading(const QString& path)
{
    m_label->setText(tr("Loading model <b>%1</b>…").arg(QFileInfo(path).fileName().toHtmlEscaped()));
    m_label->setToolTip(path);
    m_error->hide();
    m_banner->hide();
}

void ModelBar::showModel(const std::optional<LoadedModel>& model)
{
    m_error->hide();
    if (model) {
        m_label->setText(tr("Model: <b>%1</b> <span style='color:gray'>· %2</span>")
                             .arg(model->description.toHtmlEscaped(), QFileInfo(model->path).fileName().toHtmlEscaped()));
        m_label->setToolTip(model->path);
        m_banner->hide();
        return;
    }
    m_label->setText(tr("Model: <b>none</b>"));
    m_label->setToolTip(QString());
    const bool shipped = !shippedModelPath().isEmpty();
    m_useShippedButton->setVisible(shipped);
    m_bannerText->setText(shipped ? tr("<b>No model is loaded.</b> Files are decoded and shown, but not classified. "
                                       "Use the model that ships with Timbrescope, open a model file, or train one.")
                                  : tr("<b>No model is loaded</b>, and none ships with this installation. Files are "
                                       "decoded and shown, but not classified. Open a model file, or train one."));
    m_banner->show();
}

void ModelBar::showError(const QString& path, const QString& error)
{
    m_error->setText(tr("Could not load %1: %2").arg(QFileInfo(path).fileName(), error));
    m_error->setToolTip(path);
    m_error->show();
}

bool ModelBar::isBannerVisible() const
{
    return !m_banner->isHidden();
}

QString ModelBar::text() const
{
    return m_label->text();
}

void ModelBar::chooseModelFile()
{
    const QString filters = m_modelFileFilter.isEmpty() ? tr("All files (*)") : m_modelFileFilter + tr(";;All files (*)");
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model file"), QString::fromStdString(ts::userModelsFolder()), filters);
    if (!path.isEmpty())
        Q_EMIT modelFileChosen(path);
}

} // namespace ts::ui
