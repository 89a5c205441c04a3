#pragma once
// Display text of the label vocabularies ("synth lead", not "synth_lead"), shared by the library's
// table and filters, the sound view's header and every other place that names a family or source.
#include <QString>

namespace ts::ui {

QString familyDisplayName(int family);   // "?" outside the vocabulary
QString sourceDisplayName(int source);   // "?" outside the vocabulary

} // namespace ts::ui
