#include "ml/TrainingStep.h"

#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

struct TrainingStep::Impl {
    Architecture architecture;
    std::unique_ptr<detail::TrainingStepRunner> runner;
};

TrainingStep::TrainingStep(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TrainingStep::TrainingStep(TrainingStep&&) noexcept = default;
TrainingStep& TrainingStep::operator=(TrainingStep&&) noexcept = default;
TrainingStep::~TrainingStep() = default;

const Architecture& TrainingStep::architecture() const { return m_impl->architecture; }

Result<TrainingStep> TrainingStep::create(const TrainingOptions& options)
{
    auto architecture = findArchitecture(options.architecture);
    if (!architecture)
        return makeError(ErrorCode::InvalidArgument, "unknown architecture '" + options.architecture + "' (see `timbrescope models`)");
    auto runtime = detail::torchRuntime();
    if (!runtime)
        return runtime.error();
    auto runner = runtime.value()->createTrainingStep(*architecture, options);
    if (!runner)
        return runner.error();
    auto impl = std::make_unique<Impl>();
    impl->architecture = *architecture;
    impl->runner = std::move(runner).value();
    return TrainingStep(std::move(impl));
}

Result<TrainingStep::BatchOutcome> TrainingStep::train(const TrainingSet& data, const std::vector<std::size_t>& rows,
                                                       std::size_t begin, std::size_t end)
{
    return m_impl->runner->train(data, rows, begin, end);
}

Result<TrainingStep::PassOutcome> TrainingStep::validate(const TrainingSet& data, const std::vector<std::size_t>& rows)
{
    return m_impl->runner->validate(data, rows);
}

ModelFile TrainingStep::modelFile() const { return m_impl->runner->modelFile(); }

} // namespace ts::ml
