#include "synth/RenderPlan.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "dataset/Labels.h"
#include "util/SplitMix64.h"

namespace ts::synth {

namespace {

// Draws from SplitMix64, so the plan is the same on every platform and standard library.
class PlanRandom {
public:
    explicit PlanRandom(std::uint64_t seed) : m_random(seed) {}
    std::uint64_t next() { return m_random.next(); }
    std::size_t below(std::size_t n) { return n == 0 ? 0 : std::size_t(next() % n); }
    template <typename T>
    void shuffle(std::vector<T>& v)
    {
        for (std::size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[below(i)]);
    }

private:
    SplitMix64 m_random;
};

std::uint64_t mix(std::uint64_t seed, std::uint64_t salt)
{
    return PlanRandom(seed ^ (salt * 0xD1B54A32D192ED03ull)).next();
}

// Splits `total` over slots holding at most capacity[i] each, as evenly as possible (water
// filling). Leftover units from an uneven division go to slots in a seeded order, so no family
// or instrument is favoured just by coming first alphabetically.
std::vector<std::size_t> shareOut(std::size_t total, const std::vector<std::size_t>& capacity, PlanRandom& random)
{
    std::vector<std::size_t> share(capacity.size(), 0);
    std::vector<std::size_t> order(capacity.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    random.shuffle(order);
    std::size_t left = total;
    while (left > 0) {
        std::vector<std::size_t> open;
        for (std::size_t i : order)
            if (share[i] < capacity[i])
                open.push_back(i);
        if (open.empty())
            break;
        const std::size_t each = left / open.size();
        if (each == 0) {
            for (std::size_t k = 0; k < left; ++k)
                ++share[open[k]];
            break;
        }
        for (std::size_t i : open) {
            const std::size_t add = std::min(each, capacity[i] - share[i]);
            share[i] += add;
            left -= add;
        }
    }
    return share;
}

std::size_t pitchCount(const GmMapping& m) { return std::size_t(m.pitchHigh - m.pitchLow + 1); }

// Picks k (pitch, velocity) pairs of one instrument: pitches spread evenly over the range (one
// per equal-width stratum, so 10 notes do not cluster in one octave), each pitch at most once
// per round, velocities cycling through NSynth's five in a shuffled order so each is used
// equally often (within one). The rest of the grid, shuffled, is the reserve.
void pickNotes(std::size_t instrumentIndex, const GmMapping& m, std::size_t k, PlanRandom& random,
               std::vector<PlannedNote>& chosen, std::vector<PlannedNote>& reserve)
{
    const std::size_t p = pitchCount(m);
    std::vector<std::size_t> copies(p, k / p);
    const std::size_t extra = k % p;
    for (std::size_t s = 0; s < extra; ++s) {
        const std::size_t begin = s * p / extra;
        const std::size_t end = (s + 1) * p / extra;
        ++copies[begin + random.below(end - begin)];
    }
    std::vector<int> velocities(dataset::kNsynthVelocities.begin(), dataset::kNsynthVelocities.end());
    random.shuffle(velocities);
    std::vector<std::size_t> pitchOrder(p);
    std::iota(pitchOrder.begin(), pitchOrder.end(), std::size_t(0));
    random.shuffle(pitchOrder);
    std::vector<std::array<bool, 5>> used(p, std::array<bool, 5>{});
    std::size_t cursor = 0;
    for (std::size_t i : pitchOrder) {
        for (std::size_t c = 0; c < copies[i]; ++c) {
            const std::size_t v = (cursor++) % velocities.size();
            used[i][v] = true;
            chosen.push_back({instrumentIndex, m.pitchLow + int(i), velocities[v]});
        }
    }
    std::vector<PlannedNote> rest;
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t v = 0; v < velocities.size(); ++v)
            if (!used[i][v])
                rest.push_back({instrumentIndex, m.pitchLow + int(i), velocities[v]});
    random.shuffle(rest);
    reserve = std::move(rest);
}

bool notePlanOrder(const PlannedNote& a, const PlannedNote& b)
{
    return std::tie(a.instrumentIndex, a.pitch, a.velocity) < std::tie(b.instrumentIndex, b.pitch, b.velocity);
}

} // namespace

std::string RenderPlan::noteStr(const PlannedInstrument& instrument, int pitch, int velocity)
{
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-%03d-%03d", pitch, velocity);
    return instrument.instrumentStr + suffix;
}

Result<RenderPlan> RenderPlan::make(const SoundFontIndex& index, const RenderOptions& options)
{
    return make({catalogueOf(SoundGenerator{}, index)}, options);
}

Result<RenderPlan> RenderPlan::make(const std::vector<GeneratorCatalogue>& generators, const RenderOptions& options)
{
    if (!options.grid && options.count == 0)
        return makeError(ErrorCode::InvalidArgument, "--count must be at least 1");

    RenderPlan plan;
    plan.m_seed = options.seed;
    // Instrument numbers run over every preset that maps to a family, whatever the options, so
    // a preset keeps its number with or without --include-ambiguous.
    std::map<std::pair<int, int>, int> perCell;
    std::set<std::uint64_t> earlierSamples;  // sample data hashes of the generators before this one
    int nextInstrument = 0;
    for (std::size_t g = 0; g < generators.size(); ++g) {
        const GeneratorCatalogue& catalogue = generators[g];
        plan.m_generators.push_back(catalogue.generator);
        std::map<std::vector<std::pair<std::uint32_t, std::uint32_t>>, std::size_t> bySamples;
        for (const GeneratorPreset& preset : catalogue.presets) {
            const GmMapping& mapping = preset.mapping;
            const bool isStk = preset.voice >= 0;
            if (mapping.tier == PresetTier::Skip || (!isStk && preset.samples.empty()))
                continue;
            PlannedInstrument instrument;
            instrument.instrument = nextInstrument++;
            const int number = perCell[{mapping.family, mapping.source}]++;
            char suffix[8];
            std::snprintf(suffix, sizeof suffix, "_%03d", number);
            instrument.instrumentStr = std::string(dataset::kFamilyNames[std::size_t(mapping.family)]) + "_"
                + std::string(dataset::kSourceNames[std::size_t(mapping.source)]) + suffix;
            instrument.generator = g;
            instrument.bank = preset.bank;
            instrument.program = preset.program;
            instrument.voice = preset.voice;
            instrument.presetName = preset.name;
            instrument.mapping = mapping;
            if (!mapping.usable(options.includeAmbiguous))
                continue;
            if (!preset.sampleHashes.empty() && !earlierSamples.empty()) {
                const auto shared = std::count_if(preset.sampleHashes.begin(), preset.sampleHashes.end(),
                                                  [&](std::uint64_t h) { return earlierSamples.count(h) > 0; });
                if (double(shared) >= kSharedSampleLimit * double(preset.sampleHashes.size())) {
                    plan.m_duplicates.push_back({preset.bank, preset.program, preset.name, 0, 0, catalogue.generator.name,
                                                 "an earlier generator"});
                    continue;
                }
            }
            if (isStk) {
                plan.m_instruments.push_back(std::move(instrument));
                continue;
            }
            // Presets are visited in (bank, program) order; a core preset beats an ambiguous one
            // playing the same samples, otherwise the first one is kept.
            auto [it, inserted] = bySamples.emplace(preset.samples, plan.m_instruments.size());
            if (!inserted) {
                PlannedInstrument& kept = plan.m_instruments[it->second];
                if (kept.mapping.tier == PresetTier::Ambiguous && mapping.tier == PresetTier::Core) {
                    plan.m_duplicates.push_back({kept.bank, kept.program, kept.presetName, preset.bank, preset.program,
                                                 catalogue.generator.name, catalogue.generator.name});
                    kept = instrument;
                } else {
                    plan.m_duplicates.push_back({preset.bank, preset.program, preset.name, kept.bank, kept.program,
                                                 catalogue.generator.name, catalogue.generator.name});
                }
                continue;
            }
            plan.m_instruments.push_back(std::move(instrument));
        }
        for (const GeneratorPreset& preset : catalogue.presets)
            earlierSamples.insert(preset.sampleHashes.begin(), preset.sampleHashes.end());
    }
    if (plan.m_instruments.empty())
        return makeError(ErrorCode::Unsupported, generators.size() == 1
                                                     ? "no preset of this SoundFont maps to an NSynth instrument family"
                                                     : "no preset of these generators maps to an NSynth instrument family");
    std::sort(plan.m_instruments.begin(), plan.m_instruments.end(),
              [](const auto& a, const auto& b) { return a.instrument < b.instrument; });

    const std::size_t n = plan.m_instruments.size();
    plan.m_reserves.assign(n, {});
    plan.m_silentPitches.assign(n, {});
    std::size_t available = 0;
    for (const auto& inst : plan.m_instruments)
        available += pitchCount(inst.mapping) * dataset::kNsynthVelocities.size();

    if (options.grid) {
        for (std::size_t i = 0; i < n; ++i)
            for (int pitch = plan.m_instruments[i].mapping.pitchLow; pitch <= plan.m_instruments[i].mapping.pitchHigh; ++pitch)
                for (int velocity : dataset::kNsynthVelocities)
                    plan.m_notes.push_back({i, pitch, velocity});
        return plan;
    }
    if (options.count > available)
        return makeError(ErrorCode::InvalidArgument,
                         "--count " + std::to_string(options.count) + " is more than the " + std::to_string(available)
                             + std::string(generators.size() == 1 ? " notes this SoundFont's" : " notes these generators'")
                             + " instruments offer (use --grid for all of them)");

    // Families first, then instruments within each family.
    std::vector<std::vector<std::size_t>> members(dataset::kFamilyNames.size());
    for (std::size_t i = 0; i < n; ++i)
        members[std::size_t(plan.m_instruments[i].mapping.family)].push_back(i);
    std::vector<std::size_t> familyCapacity(members.size(), 0);
    for (std::size_t f = 0; f < members.size(); ++f)
        for (std::size_t i : members[f])
            familyCapacity[f] += pitchCount(plan.m_instruments[i].mapping) * dataset::kNsynthVelocities.size();
    PlanRandom familyRandom(mix(options.seed, 0x46414D));
    const std::vector<std::size_t> familyShare = shareOut(options.count, familyCapacity, familyRandom);
    for (std::size_t f = 0; f < members.size(); ++f) {
        if (members[f].empty())
            continue;
        std::vector<std::size_t> capacity;
        for (std::size_t i : members[f])
            capacity.push_back(pitchCount(plan.m_instruments[i].mapping) * dataset::kNsynthVelocities.size());
        PlanRandom instrumentRandom(mix(options.seed, 0x494E53 + f));
        const std::vector<std::size_t> share = shareOut(familyShare[f], capacity, instrumentRandom);
        for (std::size_t j = 0; j < members[f].size(); ++j) {
            const std::size_t i = members[f][j];
            PlanRandom noteRandom(mix(options.seed, 0x4E4F5445ull * 1000 + std::uint64_t(plan.m_instruments[i].instrument)));
            pickNotes(i, plan.m_instruments[i].mapping, share[j], noteRandom, plan.m_notes, plan.m_reserves[i]);
        }
    }
    std::sort(plan.m_notes.begin(), plan.m_notes.end(), notePlanOrder);
    return plan;
}

std::optional<PlannedNote> RenderPlan::takeReplacement(std::size_t instrumentIndex, int silentPitch)
{
    if (instrumentIndex >= m_reserves.size())
        return std::nullopt;
    auto& silent = m_silentPitches[instrumentIndex];
    if (std::find(silent.begin(), silent.end(), silentPitch) == silent.end())
        silent.push_back(silentPitch);
    auto& reserve = m_reserves[instrumentIndex];
    // A key the preset does not map is silent at every velocity: prefer other pitches.
    for (int pass = 0; pass < 2; ++pass) {
        for (auto it = reserve.begin(); it != reserve.end(); ++it) {
            const bool knownSilent = std::find(silent.begin(), silent.end(), it->pitch) != silent.end();
            if (pass == 0 && knownSilent)
                continue;
            PlannedNote note = *it;
            reserve.erase(it);
            return note;
        }
    }
    return std::nullopt;
}

} // namespace ts::synth
