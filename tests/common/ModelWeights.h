#pragma once
// The weights of a model file the binary wrote, as a tensor archive (name → shape and bytes), for
// the CLI tests that compare what training changed.
#include <QString>
#include <QtGlobal>

#include "ml/ModelFile.h"
#include "ml/Safetensors.h"

namespace ts::test {

inline ts::ml::TensorArchive weightsOf(const QString& path)
{
    auto file = ts::ml::loadModelFile(path.toStdString());
    if (!file)
        qFatal("%s", file.error().describe().c_str());
    auto archive = ts::ml::decodeSafetensors(file->weights, path.toStdString());
    if (!archive)
        qFatal("%s", archive.error().describe().c_str());
    return archive.value();
}

} // namespace ts::test
