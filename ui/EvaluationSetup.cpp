#include "ui/EvaluationSetup.h"

namespace ts::ui {

QString evaluationPartName(EvaluationPart part)
{
    switch (part) {
    case EvaluationPart::Test: return QStringLiteral("test");
    case EvaluationPart::Validation: return QStringLiteral("validation");
    case EvaluationPart::All: return QStringLiteral("all");
    }
    return {};
}

} // namespace ts::ui
