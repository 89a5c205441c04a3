#include "ui/app/DatasetLoader.h"

namespace ts::ui {

DatasetLoader::DatasetLoader(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<std::shared_ptr<const ts::dataset::Dataset>>();
}

void DatasetLoader::load(const QString& folder)
{
    QElapsedTimer clock;
    clock.start();
    m_load.run(
        [path = folder.toStdString()]() -> Result<std::shared_ptr<const dataset::Dataset>> {
            auto result = dataset::Dataset::load(path);
            if (!result)
                return result.error();
            return std::make_shared<const dataset::Dataset>(std::move(result).value());
        },
        [this, folder, clock](Result<std::shared_ptr<const dataset::Dataset>> result) {
            if (result)
                Q_EMIT loaded(std::move(result).value(), clock.elapsed());
            else
                Q_EMIT failed(folder, QString::fromStdString(result.error().describe()));
        });
    Q_EMIT started(folder);  // isLoading() is already true for its receivers
}

} // namespace ts::ui
