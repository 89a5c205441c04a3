#include "ml/detail/TorchBackend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <future>
#include <limits>
#include <numeric>
#include <random>

#include "ml/detail/CalibrationPass.h"
#include "ml/detail/DistributedGroup.h"
#include "ml/Device.h"
#include "ml/detail/Network.h"
#include "ml/detail/TorchModelFormat.h"
#include "ml/detail/TrainingPass.h"

namespace ts::ml {

namespace {

double meanAccuracy(const std::map<std::string, double>& accuracy)
{
    double sum = 0.0;
    for (const auto& [target, value] : accuracy)
        sum += value;
    return accuracy.empty() ? 0.0 : sum / double(accuracy.size());
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The rows of an epoch's shuffle that one rank trains on, with PyTorch's DistributedSampler's
// rule: the shuffle is padded with its own first rows to a multiple of the world size, then rank r
// takes rows r, r + W, r + 2W, ... Every rank gets the same count, so all take the same number of
// steps.
std::vector<std::size_t> shardOf(const std::vector<std::size_t>& order, int rank, int world)
{
    if (world <= 1 || order.empty())
        return order;
    const std::size_t perRank = (order.size() + std::size_t(world) - 1) / std::size_t(world);
    std::vector<std::size_t> shard;
    shard.reserve(perRank);
    for (std::size_t k = 0; k < perRank; ++k)
        shard.push_back(order[(std::size_t(rank) + k * std::size_t(world)) % order.size()]);
    return shard;
}

// The rows of a pass that one rank measures (no padding: the sums over ranks count each row once).
std::vector<std::size_t> everyNth(const std::vector<std::size_t>& rows, int rank, int world)
{
    std::vector<std::size_t> mine;
    for (std::size_t i = std::size_t(rank); i < rows.size(); i += std::size_t(world))
        mine.push_back(rows[i]);
    return mine;
}

// Loss and accuracy over `rows`, each rank measuring its share and the sums gathered over the ranks.
PassResult measureShared(Network& network, const Architecture& architecture, const TrainingSet& data,
                         const std::vector<std::size_t>& rows, const torch::Device& device, double smoothing,
                         DistributedGroup* group)
{
    if (!group)
        return measure(network, architecture, data, rows, device, smoothing);
    const auto& spec = group->spec();
    const std::vector<std::size_t> mine = everyNth(rows, spec.rank, spec.worldSize);
    const PassResult part = measure(network, architecture, data, mine, device, smoothing);
    const double count = double(mine.size());
    std::vector<double> sums{part.loss * count, count};
    for (const auto& [target, accuracy] : part.accuracy)
        sums.push_back(accuracy * count);
    sums = group->sum(sums);
    PassResult all;
    const double total = std::max(1.0, sums[1]);
    all.loss = sums[0] / total;
    std::size_t i = 2;
    for (const auto& [target, accuracy] : part.accuracy)
        all.accuracy[target] = sums[i++] / total;
    return all;
}

// A collective call that failed: another rank died, or the network between them dropped.
// Whether a parameter or module (by its name in the network) is a head: the last layers that map
// the pooled embedding to a target's classes (timbre-net's family_head and source_head, the seed
// models' dense). --freeze-body trains these alone.
bool isHead(const std::string& name)
{
    const std::string top = name.substr(0, name.find('.'));
    const std::string suffix = "_head";
    return top == "dense" || (top.size() > suffix.size() && top.compare(top.size() - suffix.size(), suffix.size(), suffix) == 0);
}

// Starts `network` from the weights of a trained model file of the same architecture. Heads the
// file lacks, or whose classes differ (fine-tuning timbre-net to a dataset's own classes), start
// from random weights; the body and every head that fits are the file's.
Status loadInitialWeights(Network& network, const Architecture& architecture, const std::string& path)
{
    auto loaded = loadModelFile(path);
    if (!loaded)
        return loaded.error();
    if (loaded->metadata.architecture != architecture.id)
        return makeError(ErrorCode::InvalidArgument, "--init model is a " + loaded->metadata.architecture + ", not a " + architecture.id, path);
    if (loaded->metadata.featureKey != architecture.features.key())
        return makeError(ErrorCode::InvalidArgument, "--init model was trained on other features than " + architecture.id + " uses", path);
    const auto& m = loaded->metadata;
    auto own = architectureOfModel(m.architecture, m.targets, m.labels, path);
    if (!own)
        return own.error();
    auto current = convertToCurrentFormat(loaded.value(), *own, path);
    if (!current)
        return current.error();
    if (own->targets == architecture.targets && own->classes == architecture.classes)
        return loadModuleBytes(network, current->weights, kModelFormatVersion, path);
    auto source = makeNetwork(*own);
    if (auto s = loadModuleBytes(*source, current->weights, kModelFormatVersion, path); !s)
        return s.error();
    torch::NoGradGuard noGrad;
    auto copyMatching = [](auto from, auto to) {
        for (auto& item : to) {
            const auto* match = from.find(item.key());
            if (match && match->sizes() == item.value().sizes() && !isHead(item.key()))
                item.value().copy_(*match);
        }
    };
    copyMatching(source->named_parameters(), network.named_parameters());
    copyMatching(source->named_buffers(), network.named_buffers());
    return {};
}

Error lostContact(const DistributedSpec& spec, const std::string& why)
{
    const auto line = why.find('\n');
    return makeError(ErrorCode::Unreadable, "rank " + std::to_string(spec.rank) + " of " + std::to_string(spec.worldSize) +
                                                ": lost contact with the other ranks, stopping (" + why.substr(0, line) + ")");
}

} // namespace

Result<TrainingOutcome> trainNetwork(const TrainingOptions& o, const TrainingSet& data,
                                     const TrainingCallbacks& callbacks, const CancellationToken& cancel)
{
    const auto base = findArchitecture(o.architecture);
    if (!base)
        return makeError(ErrorCode::InvalidArgument, "unknown architecture '" + o.architecture + "' (see `timbrescope models`)");
    auto architecture = architectureFor(*base, data);
    if (!architecture)
        return architecture.error();
    if (data.features.shape() != architecture->features.shape())
        return makeError(ErrorCode::InvalidArgument, "features do not have the shape " + o.architecture + " expects");
    if (data.train.size() < 2 || data.validation.empty())
        return makeError(ErrorCode::InvalidArgument, "the training part needs at least 2 notes and the validation part 1", data.dataPath);
    if (o.epochs < 1 || o.batchSize < 2 || !(o.learningRate > 0.0) || o.patience < 1)
        return makeError(ErrorCode::InvalidArgument, "epochs and patience must be at least 1, batch at least 2, learning rate positive");
    auto deviceName = resolveDevice(o.device);
    if (!deviceName)
        return deviceName.error();
    const torch::Device device(deviceName.value());
    configureCpuRuntime(o.threads);

    std::unique_ptr<DistributedGroup> group;
    if (o.distributed.enabled()) {
        auto joined = DistributedGroup::join(o.distributed);
        if (!joined)
            return joined.error();
        group = std::move(joined.value());
    }
    const int rank = group ? o.distributed.rank : 0;
    const int world = group ? o.distributed.worldSize : 1;

    try {
        torch::manual_seed(o.seed);
        auto network = makeNetwork(*architecture);
        if (!o.initPath.empty() && o.resumePath.empty())
            if (auto s = loadInitialWeights(*network, *architecture, o.initPath); !s)
                return s.error();
        network->to(device);
        // --freeze-body: the heads alone learn; the body keeps its weights and batch-norm statistics.
        std::vector<torch::Tensor> trainable;
        for (auto& parameter : network->named_parameters()) {
            if (!o.freezeBody || isHead(parameter.key()))
                trainable.push_back(parameter.value());
            else
                parameter.value().set_requires_grad(false);
        }
        if (trainable.empty())
            return makeError(ErrorCode::InvalidArgument, architecture->id + " has no head to train with --freeze-body");
        torch::optim::Adam optimizer(trainable, torch::optim::AdamOptions(o.learningRate));
        const bool ours = architecture->id == "timbre-net";
        const std::string schedule = o.schedule.empty() ? defaultScheduleFor(architecture->id) : o.schedule;
        if (schedule != "constant" && schedule != "cosine")
            return makeError(ErrorCode::InvalidArgument, "--schedule must be constant or cosine, got '" + schedule + "'");
        const bool cosine = schedule == "cosine";
        const double smoothing = labelSmoothingFor(*architecture);

        ModelMetadata meta;
        meta.architecture = architecture->id;
        for (Target t : architecture->targets) {
            meta.targets.push_back(targetName(t));
            meta.labels[targetName(t)] = labelsOf(*architecture, t);
        }
        meta.featureKind = dataset::featureKindName(architecture->features.kind);
        meta.featureKey = architecture->features.key();
        meta.dataPath = data.dataPath;
        meta.dataFingerprint = data.dataFingerprint;
        meta.dataNotesFingerprint = data.dataNotesFingerprint;
        meta.split = data.splitName;
        meta.seed = o.seed;
        meta.batchSize = o.batchSize;
        meta.learningRate = o.learningRate;
        meta.patience = o.patience;
        meta.libraryVersions = {{"libtorch", TORCH_VERSION}, {"timbrescope", "0.1"}};

        std::string bestWeights;
        double bestLoss = std::numeric_limits<double>::infinity();
        double bestAccuracy = -1.0;
        if (!o.resumePath.empty()) {
            auto loaded = loadModelFile(o.resumePath);
            if (!loaded)
                return loaded.error();
            if (loaded->metadata.architecture != architecture->id)
                return makeError(ErrorCode::InvalidArgument, "checkpoint is a " + loaded->metadata.architecture + ", not a " +
                                     architecture->id, o.resumePath);
            if (loaded->metadata.dataFingerprint != data.dataFingerprint || loaded->metadata.split != data.splitName)
                return makeError(ErrorCode::InvalidArgument, "checkpoint was trained on other data or another split", o.resumePath);
            // A format-1 checkpoint is converted first: the best weights it keeps are written again
            // in the next checkpoint, which is always of the current format.
            auto checkpoint = convertToCurrentFormat(loaded.value(), *architecture, o.resumePath);
            if (!checkpoint)
                return checkpoint.error();
            const auto& cm = checkpoint->metadata;
            if (auto s = loadResumeState(*network, optimizer, checkpoint->resumeState, kModelFormatVersion, o.resumePath); !s)
                return s.error();
            meta.history = cm.history;
            meta.bestEpoch = cm.bestEpoch;
            bestWeights = checkpoint->weights;
            if (cm.bestEpoch >= 1 && std::size_t(cm.bestEpoch) <= cm.history.size()) {
                bestLoss = cm.history[cm.bestEpoch - 1].validationLoss;
                bestAccuracy = meanAccuracy(cm.history[cm.bestEpoch - 1].validationAccuracy);
            }
        }

        if (group)
            group->broadcastState(*network);  // every rank from rank 0's weights (also after a resume)

        TrainingOutcome outcome;
        const auto start = Clock::now();
        const std::size_t n = shardOf(data.train, rank, world).size();
        const int batches = int((n + o.batchSize - 1) / o.batchSize);
        const int firstEpoch = int(meta.history.size()) + 1;
        const bool alreadyStopped = meta.bestEpoch > 0 && firstEpoch - 1 - meta.bestEpoch >= o.patience;
        long batchesDone = 0;
        const long batchesPlanned = long(std::max(0, o.epochs - firstEpoch + 1)) * batches;
        std::vector<std::size_t> order = data.train;

        for (int epoch = firstEpoch; epoch <= o.epochs && !alreadyStopped; ++epoch) {
            // Seeded per epoch, so a resumed run draws what the uninterrupted run would have drawn.
            // Each rank draws its own augmentation (rank 0 as a run of one process does); every rank
            // shuffles the same way and takes its share.
            torch::manual_seed(o.seed * 1000003ULL + std::uint64_t(epoch) + std::uint64_t(rank) * 0x9E3779B9ULL);
            std::mt19937_64 shuffler(o.seed * 7919ULL + std::uint64_t(epoch));
            order = data.train;
            std::shuffle(order.begin(), order.end(), shuffler);
            order = shardOf(order, rank, world);
            if (cosine) {
                const double progress = double(epoch - 1) / double(std::max(1, o.epochs - 1));
                const double rate = o.learningRate * (0.05 + 0.95 * 0.5 * (1.0 + std::cos(M_PI * progress)));
                for (auto& paramGroup : optimizer.param_groups())
                    static_cast<torch::optim::AdamOptions&>(paramGroup.options()).lr(rate);
            }
            network->train();
            if (o.freezeBody)
                for (auto& child : network->named_children())
                    if (!isHead(child.key()))
                        child.value()->eval();
            const auto epochStart = Clock::now();
            double lossSum = 0.0;
            std::vector<std::int64_t> correct(architecture->targets.size(), 0);
            std::size_t seen = 0;
            // The loader: batch b + 1's rows are read (and converted, or computed) on a thread
            // while batch b trains, so a cache larger than memory or features computed on the
            // fly keep the model busy.
            const bool augment = ours && o.augment;
            const std::uint64_t drawSeed = (o.seed * 1000003ULL + std::uint64_t(epoch)) ^ 0x5EC07DEDull ^ (std::uint64_t(rank) << 40);
            auto load = [&](int b) {
                const std::size_t begin = std::size_t(b) * o.batchSize;
                const std::size_t end = std::min(n, begin + o.batchSize);
                return std::async(std::launch::async, [&data, &order, begin, end, augment, drawSeed] {
                    return gatherTrainingInput(data, order, begin, end, augment, drawSeed);
                });
            };
            std::future<torch::Tensor> next = load(0);
            for (int b = 0; b < batches; ++b) {
                torch::Tensor input = next.get();
                if (b + 1 < batches)
                    next = load(b + 1);
                // A distributed run stops when any rank asks to, after the batch they all take.
                if (!group && cancel.isCancelled()) {
                    outcome.cancelled = true;
                    break;
                }
                const std::size_t begin = std::size_t(b) * o.batchSize;
                const std::size_t end = std::min(n, begin + o.batchSize);
                if (end - begin < 2)
                    continue;  // batch norm cannot train on one row; the shuffle moves that note next epoch
                bool stopAll = false;
                std::function<void()> averageGradients;
                if (group)
                    averageGradients = [&] { stopAll = group->averageGradients(*network, cancel.isCancelled()); };
                const auto step = trainOnBatch(*network, optimizer, *architecture, data, std::move(input), order, begin,
                                               end, device, smoothing, augment, o.mixStyle, averageGradients);
                for (std::size_t h = 0; h < correct.size(); ++h)
                    correct[h] += step.correct[h];
                seen += end - begin;
                lossSum += step.loss * double(end - begin);
                ++batchesDone;
                if (callbacks.onBatch) {
                    BatchProgress p;
                    p.epoch = epoch;
                    p.epochs = o.epochs;
                    p.batch = b + 1;
                    p.batches = batches;
                    p.loss = lossSum / double(seen);
                    for (std::size_t h = 0; h < correct.size(); ++h)
                        p.accuracy[targetName(architecture->targets[h])] = double(correct[h]) / double(seen);
                    p.elapsedSeconds = secondsSince(start);
                    p.samplesPerSecond = double(seen) / std::max(1e-9, secondsSince(epochStart));
                    p.etaSeconds = p.elapsedSeconds / double(batchesDone) * double(batchesPlanned - batchesDone);
                    callbacks.onBatch(p);
                }
                if (stopAll) {
                    outcome.cancelled = true;
                    break;
                }
            }
            if (outcome.cancelled)
                break;
            if (group) {
                // The epoch's figures over every rank's batches; the batch-norm statistics each
                // rank gathered, averaged, so every rank validates (and keeps) the same model.
                std::vector<double> sums{lossSum, double(seen)};
                for (auto c : correct)
                    sums.push_back(double(c));
                sums = group->sum(sums);
                lossSum = sums[0];
                seen = std::size_t(sums[1]);
                for (std::size_t h = 0; h < correct.size(); ++h)
                    correct[h] = std::int64_t(sums[2 + h]);
                group->averageBuffers(*network);
            }

            EpochRecord record;
            record.epoch = epoch;
            record.loss = lossSum / double(std::max<std::size_t>(1, seen));
            for (std::size_t h = 0; h < correct.size(); ++h)
                record.accuracy[targetName(architecture->targets[h])] = double(correct[h]) / double(std::max<std::size_t>(1, seen));
            record.samplesPerSecond = double(seen) / std::max(1e-9, secondsSince(epochStart));
            const auto validation = measureShared(*network, *architecture, data, data.validation, device, smoothing, group.get());
            record.validationLoss = validation.loss;
            record.validationAccuracy = validation.accuracy;
            record.seconds = secondsSince(epochStart);
            // The best epoch is the one with the best validation accuracy (mean over targets), the
            // lower validation loss breaking ties. On unseen instruments the loss is dominated by a
            // few confident mistakes and keeps rising while accuracy still improves, so stopping on
            // the loss kept epoch 2 of timbre-net where accuracy peaks around epoch 10.
            const double accuracy = meanAccuracy(record.validationAccuracy);
            const bool improved = accuracy > bestAccuracy || (accuracy == bestAccuracy && record.validationLoss < bestLoss);
            if (improved) {
                bestAccuracy = accuracy;
                bestLoss = record.validationLoss;
                bestWeights = saveModuleBytes(*network);
                meta.bestEpoch = epoch;
            }
            meta.history.push_back(record);
            meta.epochs = epoch;
            if (!o.checkpointPath.empty() && rank == 0) {
                ModelFile checkpoint{meta, bestWeights, saveResumeState(*network, optimizer)};
                if (auto s = saveModelFile(o.checkpointPath, checkpoint); !s)
                    return s.error();
            }
            if (callbacks.onEpoch) {
                EpochProgress p;
                p.record = record;
                p.epochs = o.epochs;
                p.improved = improved;
                p.elapsedSeconds = secondsSince(start);
                p.etaSeconds = p.elapsedSeconds / double(std::max(1L, batchesDone)) * double(batchesPlanned - batchesDone);
                callbacks.onEpoch(p);
            }
            if (epoch - meta.bestEpoch >= o.patience) {
                outcome.earlyStopped = true;
                break;
            }
        }
        if (bestWeights.empty())
            return makeError(ErrorCode::Cancelled, "training was stopped before the first epoch ended: no model to keep");
        meta.epochs = int(meta.history.size());
        if (group) {
            meta.finalMetrics["world_size"] = double(world);
            // Rank 0 alone scores, calibrates and writes the model; the others are done.
            if (rank != 0) {
                outcome.model = ModelFile{meta, bestWeights, {}};
                return outcome;
            }
        }
        if (auto s = loadModuleBytes(*network, bestWeights, kModelFormatVersion, o.resumePath); !s)
            return s.error();
        // A stopped run returns at once: scoring the test part takes seconds on a real dataset,
        // and the user who pressed Stop is waiting (evaluate scores the saved model later).
        if (!data.test.empty() && !outcome.cancelled) {
            const auto test = measure(*network, *architecture, data, data.test, device, smoothing);
            for (const auto& [target, accuracy] : test.accuracy)
                meta.finalMetrics["test_" + target + "_accuracy"] = accuracy;
            meta.finalMetrics["test_loss"] = test.loss;
        }
        // Each head's temperature, fitted on the validation part, makes the kept model's confidences
        // honest (Calibration.h). A stopped run is calibrated too (one validation pass), not scored.
        calibrateHeads(*network, *architecture, data, device, meta, !outcome.cancelled);
        meta.finalMetrics["best_validation_loss"] = bestLoss;
        meta.finalMetrics["best_validation_accuracy"] = bestAccuracy;
        meta.finalMetrics["training_seconds"] = secondsSince(start);
        outcome.model = ModelFile{meta, bestWeights, {}};
        return outcome;
    } catch (const FeatureReadFailure& e) {
        return e.error();
    } catch (const c10::Error& e) {
        if (group)
            return lostContact(o.distributed, e.what_without_backtrace());
        return makeError(ErrorCode::Internal, std::string("training failed in LibTorch: ") + e.what_without_backtrace());
    } catch (const std::exception& e) {
        if (group)
            return lostContact(o.distributed, e.what());
        return makeError(ErrorCode::Internal, std::string("training failed: ") + e.what());
    }
}

} // namespace ts::ml
