#include "ml/Trainer.h"

#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

std::string defaultScheduleFor(const std::string& architectureId)
{
    // timbre-net: measured on the two hardest leave-one-generator-out folds (OPL-3 FM and STK
    // left out, 20 epochs): family 35.9 -> 40.2 % and 36.3 -> 42.1 %, source 34.0 -> 35.4 % and
    // 40.4 -> 44.5 %. The seed's models train as the seed trained them.
    return architectureId == "timbre-net" ? "cosine" : "constant";
}

Trainer::Trainer(TrainingOptions options) : m_options(std::move(options)) {}

Result<TrainingOutcome> Trainer::run(const TrainingSet& data, const TrainingCallbacks& callbacks,
                                     const CancellationToken& cancel) const
{
    auto runtime = detail::torchRuntime();
    if (!runtime)
        return runtime.error();
    return runtime.value()->train(m_options, data, callbacks, cancel);
}

} // namespace ts::ml
