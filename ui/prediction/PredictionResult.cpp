#include "ui/prediction/PredictionResult.h"

#include <algorithm>

namespace ts::ui {

int ClassScores::best() const
{
    if (scores.isEmpty())
        return -1;
    return int(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

QString ClassScores::bestLabel() const
{
    const int i = best();
    return i >= 0 && i < labels.size() ? labels[i] : QString();
}

double ClassScores::bestScore() const
{
    const int i = best();
    return i >= 0 ? scores[i] : 0.0;
}

} // namespace ts::ui
