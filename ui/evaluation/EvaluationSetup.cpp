#include "ui/evaluation/EvaluationSetup.h"

#include <QCoreApplication>

namespace ts::ui {

QString partText(std::optional<EvaluationPart> part)
{
    if (!part)
        return QCoreApplication::translate("EvaluationSetup", "automatic part");
    switch (*part) {
    case EvaluationPart::All: return QCoreApplication::translate("EvaluationSetup", "all notes");
    case EvaluationPart::Train: return QCoreApplication::translate("EvaluationSetup", "training part");
    case EvaluationPart::Validation: return QCoreApplication::translate("EvaluationSetup", "validation part");
    case EvaluationPart::Test: return QCoreApplication::translate("EvaluationSetup", "test part");
    }
    return {};
}

} // namespace ts::ui
