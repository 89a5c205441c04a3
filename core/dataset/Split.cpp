#include "dataset/Split.h"

#include "dataset/Labels.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace ts::dataset {

namespace {

// std::mt19937_64's sequence is fixed by the standard, but std::shuffle and the std distributions
// are not, so the same seed would give different splits on different standard libraries. This
// draw (rejection sampling, no modulo bias) and the Fisher-Yates below are ours.
std::uint64_t drawBelow(std::mt19937_64& rng, std::uint64_t bound)
{
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    for (;;) {
        const std::uint64_t r = rng();
        if (r >= threshold)
            return r % bound;
    }
}

template <typename T>
void fisherYates(std::vector<T>& items, std::mt19937_64& rng)
{
    for (std::size_t i = items.size(); i > 1; --i)
        std::swap(items[i - 1], items[std::size_t(drawBelow(rng, i))]);
}

// Shares `total` among groups in proportion to their sizes, largest remainder first (ties to the
// lower group), so the parts add up exactly and each group gets its fair share of a test set.
std::vector<std::size_t> apportion(const std::vector<std::size_t>& sizes, std::size_t total)
{
    std::size_t sum = 0;
    for (std::size_t s : sizes)
        sum += s;
    std::vector<std::size_t> shares(sizes.size(), 0);
    if (sum == 0)
        return shares;
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t given = 0;
    for (std::size_t g = 0; g < sizes.size(); ++g) {
        const double exact = double(sizes[g]) * double(total) / double(sum);
        shares[g] = std::min(sizes[g], std::size_t(std::floor(exact)));
        given += shares[g];
        remainders.emplace_back(exact - double(shares[g]), g);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; given < total && k < remainders.size(); ++k) {
        const std::size_t g = remainders[k].second;
        if (shares[g] < sizes[g]) {
            ++shares[g];
            ++given;
        }
    }
    return shares;
}

// How many notes go to a part: a fraction of `n`, but at least one when the fraction asks for any.
std::size_t partSize(std::size_t n, double fraction)
{
    if (fraction <= 0.0)
        return 0;
    return std::max<std::size_t>(1, std::size_t(std::floor(double(n) * fraction + 0.5)));
}

Error tooSmall(const Dataset& dataset, const std::string& why)
{
    // Bad data, not a bad command line: the CLI exits 1 (Unsupported), not 2 (InvalidArgument is usage).
    return makeError(ErrorCode::Unsupported, "too small to split: " + why, dataset.folder());
}

Result<Split> seedSplit(const Dataset& dataset, const std::vector<std::size_t>& usable, const SplitOptions& options)
{
    // As the seed did: int(n * 0.75) notes in file order for training, the rest for testing.
    const std::size_t n = usable.size();
    const auto trainSide = std::size_t(std::floor(double(n) * (1.0 - options.testFraction)));
    const std::size_t validation = options.validationFraction > 0.0
                                       ? std::max<std::size_t>(1, std::size_t(double(trainSide) * options.validationFraction))
                                       : 0;
    if (trainSide >= n || validation >= trainSide)
        return tooSmall(dataset, std::to_string(n) + " usable notes");
    Split split;
    split.train.assign(usable.begin(), usable.begin() + long(trainSide - validation));
    split.validation.assign(usable.begin() + long(trainSide - validation), usable.begin() + long(trainSide));
    split.test.assign(usable.begin() + long(trainSide), usable.end());
    return split;
}

// What the random and instrument splits stratify by, per note: the dataset's own class when it has
// own classes (every class in every part is what its model needs), the family otherwise; notes
// without one (an imported note of unknown family) form a stratum of their own, the last.
struct Strata {
    std::vector<std::size_t> of;  // per note
    std::size_t count = 0;
};

Strata strataOf(const Dataset& dataset)
{
    Strata strata;
    const bool own = !dataset.classNames().empty();
    strata.count = (own ? dataset.classNames().size() : kFamilyNames.size()) + 1;
    for (const NoteRecord& note : dataset.notes()) {
        const int index = own ? dataset.classIndex(note) : note.family;
        strata.of.push_back(index < 0 ? strata.count - 1 : std::size_t(index));
    }
    return strata;
}

Result<Split> randomSplit(const Dataset& dataset, const std::vector<std::size_t>& usable, const SplitOptions& options)
{
    const Strata strata = strataOf(dataset);
    std::vector<std::vector<std::size_t>> byFamily(strata.count);
    for (std::size_t i : usable)
        byFamily[strata.of[i]].push_back(i);
    std::vector<std::size_t> sizes;
    for (const auto& f : byFamily)
        sizes.push_back(f.size());

    const std::size_t n = usable.size();
    const std::size_t testTotal = partSize(n, options.testFraction);
    const auto testShares = apportion(sizes, testTotal);
    std::vector<std::size_t> rest(sizes.size());
    for (std::size_t f = 0; f < sizes.size(); ++f)
        rest[f] = sizes[f] - testShares[f];
    const std::size_t validationTotal = partSize(n - std::min(n, testTotal), options.validationFraction);
    const auto validationShares = apportion(rest, validationTotal);
    if (testTotal + validationTotal >= n)
        return tooSmall(dataset, std::to_string(n) + " usable notes");

    std::mt19937_64 rng(options.seed);
    Split split;
    for (std::size_t f = 0; f < byFamily.size(); ++f) {
        auto members = byFamily[f];
        fisherYates(members, rng);
        const std::size_t t = testShares[f];
        const std::size_t v = validationShares[f];
        split.test.insert(split.test.end(), members.begin(), members.begin() + long(t));
        split.validation.insert(split.validation.end(), members.begin() + long(t), members.begin() + long(t + v));
        split.train.insert(split.train.end(), members.begin() + long(t + v), members.end());
    }
    return split;
}

struct InstrumentGroup {
    std::size_t family = 0;  // its stratum (strataOf)
    std::vector<std::size_t> notes;
};

// Takes instruments (in their shuffled order) from `pool` while that brings `part` closer to
// `target` notes; what is taken moves to `part`.
void takeTowards(std::vector<const InstrumentGroup*>& pool, std::size_t target, std::vector<const InstrumentGroup*>& part)
{
    std::size_t have = 0;
    std::vector<const InstrumentGroup*> left;
    for (const InstrumentGroup* g : pool) {
        const double now = std::fabs(double(have) - double(target));
        const double with = std::fabs(double(have + g->notes.size()) - double(target));
        if (with < now) {
            part.push_back(g);
            have += g->notes.size();
        } else {
            left.push_back(g);
        }
    }
    pool = left;
}

// A part that stratification left empty (families with a single instrument) gets the training
// side's instrument closest in size to its target, as long as training keeps one.
bool fillIfEmpty(std::vector<const InstrumentGroup*>& train, std::size_t target, std::vector<const InstrumentGroup*>& part)
{
    if (!part.empty() || target == 0)
        return true;
    if (train.size() < 2)
        return false;
    std::size_t best = 0;
    for (std::size_t k = 1; k < train.size(); ++k)
        if (std::llabs(long(train[k]->notes.size()) - long(target)) < std::llabs(long(train[best]->notes.size()) - long(target)))
            best = k;
    part.push_back(train[best]);
    train.erase(train.begin() + long(best));
    return true;
}

Result<Split> instrumentSplit(const Dataset& dataset, const std::vector<std::size_t>& usable, const SplitOptions& options)
{
    const auto& notes = dataset.notes();
    const Strata strata = strataOf(dataset);
    const std::size_t stratumCount = strata.count;
    std::map<int, InstrumentGroup> groups;  // ordered by instrument id, so the shuffle input is stable
    for (std::size_t i : usable) {
        auto [it, fresh] = groups.try_emplace(notes[i].instrument);
        if (fresh)
            it->second.family = strata.of[i];  // NSynth instruments belong to one family
        it->second.notes.push_back(i);
    }
    const std::size_t minimum = options.validationFraction > 0.0 ? 3 : 2;
    if (groups.size() < minimum)
        return tooSmall(dataset, std::to_string(groups.size()) + " instruments (the instrument split needs at least "
                                     + std::to_string(minimum) + ")");

    std::vector<std::vector<const InstrumentGroup*>> byFamily(stratumCount);
    std::vector<std::size_t> sizes(stratumCount, 0);
    for (const auto& [id, group] : groups) {
        byFamily[group.family].push_back(&group);
        sizes[group.family] += group.notes.size();
    }
    const std::size_t n = usable.size();
    const std::size_t testTotal = partSize(n, options.testFraction);
    const auto testShares = apportion(sizes, testTotal);

    std::mt19937_64 rng(options.seed);
    std::vector<const InstrumentGroup*> train, validation, test;
    std::vector<std::vector<const InstrumentGroup*>> remaining(stratumCount);
    for (std::size_t f = 0; f < stratumCount; ++f) {
        auto pool = byFamily[f];
        fisherYates(pool, rng);
        takeTowards(pool, testShares[f], test);
        remaining[f] = pool;
    }
    std::vector<std::size_t> restSizes(stratumCount, 0);
    std::size_t restTotal = 0;
    for (std::size_t f = 0; f < stratumCount; ++f)
        for (const InstrumentGroup* g : remaining[f]) {
            restSizes[f] += g->notes.size();
            restTotal += g->notes.size();
        }
    const std::size_t validationTotal = partSize(restTotal, options.validationFraction);
    const auto validationShares = apportion(restSizes, validationTotal);
    for (std::size_t f = 0; f < stratumCount; ++f) {
        takeTowards(remaining[f], validationShares[f], validation);
        train.insert(train.end(), remaining[f].begin(), remaining[f].end());
    }
    if (!fillIfEmpty(train, testTotal, test) || !fillIfEmpty(train, validationTotal, validation) || train.empty())
        return tooSmall(dataset, std::to_string(groups.size()) + " instruments");

    Split split;
    auto flatten = [](const std::vector<const InstrumentGroup*>& part, std::vector<std::size_t>& out) {
        for (const InstrumentGroup* g : part)
            out.insert(out.end(), g->notes.begin(), g->notes.end());
    };
    flatten(train, split.train);
    flatten(validation, split.validation);
    flatten(test, split.test);
    return split;
}

Result<Split> generatorSplit(const Dataset& dataset, const std::vector<std::size_t>& usable, const SplitOptions& options)
{
    const auto& notes = dataset.notes();
    std::vector<std::size_t> rest;
    Split split;
    for (std::size_t i : usable)
        (notes[i].generator == options.heldOutGenerator ? split.test : rest).push_back(i);
    if (split.test.empty()) {
        std::string known;
        for (const auto& [name, count] : dataset.generatorCounts())
            known += (known.empty() ? "" : ", ") + name;
        return makeError(ErrorCode::InvalidArgument,
                         "no notes of generator '" + options.heldOutGenerator + "' (this dataset's generators: "
                             + (known.empty() ? std::string("none recorded in instruments.json") : known) + ")",
                         dataset.folder());
    }
    SplitOptions inner = options;
    inner.testFraction = 0.0;
    auto trainSide = instrumentSplit(dataset, rest, inner);
    if (!trainSide)
        return trainSide.error();
    split.train = std::move(trainSide->train);
    split.validation = std::move(trainSide->validation);
    return split;
}

Result<Split> finalSplit(const Dataset& dataset, const std::vector<std::size_t>& usable, const SplitOptions& options)
{
    SplitOptions inner = options;
    inner.testFraction = 0.0;
    return instrumentSplit(dataset, usable, inner);
}

} // namespace

std::string heldOutGeneratorOf(const std::string& splitName)
{
    const std::string prefix = "generator:";
    return splitName.rfind(prefix, 0) == 0 ? splitName.substr(prefix.size()) : std::string();
}

std::string splitPolicyName(SplitPolicy policy)
{
    switch (policy) {
    case SplitPolicy::Seed: return "seed";
    case SplitPolicy::Random: return "random";
    case SplitPolicy::Instrument: return "instrument";
    case SplitPolicy::Generator: return "generator";
    case SplitPolicy::Final: return "final";
    }
    return "instrument";
}

std::optional<SplitPolicy> parseSplitPolicy(const std::string& name)
{
    for (SplitPolicy p : {SplitPolicy::Seed, SplitPolicy::Random, SplitPolicy::Instrument, SplitPolicy::Final})
        if (splitPolicyName(p) == name)
            return p;
    if (!heldOutGeneratorOf(name).empty())
        return SplitPolicy::Generator;
    return std::nullopt;
}

Result<Split> makeSplit(const Dataset& dataset, const SplitOptions& options)
{
    if (!(options.testFraction > 0.0 && options.testFraction < 1.0))
        return makeError(ErrorCode::InvalidArgument, "test fraction must be between 0 and 1, not "
                                                         + std::to_string(options.testFraction));
    if (!(options.validationFraction >= 0.0 && options.validationFraction < 1.0))
        return makeError(ErrorCode::InvalidArgument, "validation fraction must be at least 0 and below 1, not "
                                                         + std::to_string(options.validationFraction));
    const std::vector<std::size_t> usable = dataset.usableIndices();
    const std::size_t minimum = options.validationFraction > 0.0 ? 3 : 2;
    if (usable.size() < minimum)
        return tooSmall(dataset, std::to_string(usable.size()) + " notes with a WAV (at least " + std::to_string(minimum)
                                     + " are needed)");
    Result<Split> split = [&]() -> Result<Split> {
        switch (options.policy) {
        case SplitPolicy::Seed: return seedSplit(dataset, usable, options);
        case SplitPolicy::Random: return randomSplit(dataset, usable, options);
        case SplitPolicy::Instrument: return instrumentSplit(dataset, usable, options);
        case SplitPolicy::Generator: return generatorSplit(dataset, usable, options);
        case SplitPolicy::Final: return finalSplit(dataset, usable, options);
        }
        return makeError(ErrorCode::InvalidArgument, "unknown split policy");
    }();
    if (!split)
        return split;
    // Seed keeps file order by construction; the others are put back in file order so a split
    // reads (and trains) the same way whatever order the shuffle produced.
    if (options.policy != SplitPolicy::Seed)
        for (auto* part : {&split->train, &split->validation, &split->test})
            std::sort(part->begin(), part->end());
    return split;
}

} // namespace ts::dataset
