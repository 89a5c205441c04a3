#include "map/EmbeddingCache.h"

#include <cstring>
#include <filesystem>
#include <optional>

#include "util/AppPaths.h"
#include "util/AtomicFile.h"
#include "util/Fnv1a.h"

namespace ts::map {

namespace {

// The file: this header, the dataset note of each row (uint64), then rows × width float32.
constexpr char kMagic[8] = {'T', 'S', 'E', 'M', 'B', 'E', 'D', '1'};

struct Header {
    char magic[8];
    char fingerprint[32];  // Dataset::fingerprint(), zero padded
    std::uint64_t modelHash;
    std::uint64_t rows;
    std::uint64_t width;
};
static_assert(sizeof(Header) == 64, "embedding cache header layout");

Result<std::uint64_t> modelHash(const ml::TrainedModel& model)
{
    auto bytes = readWholeFile(model.path());
    if (!bytes)
        return bytes.error();
    Fnv1a h;
    h.add(bytes->data(), bytes->size());
    return h.value();
}

Header headerFor(const dataset::Dataset& dataset, std::uint64_t hash, std::size_t rows, std::size_t width)
{
    Header h{};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    const std::string fp = dataset.fingerprint();
    std::memcpy(h.fingerprint, fp.data(), std::min(fp.size(), sizeof h.fingerprint));
    h.modelHash = hash;
    h.rows = rows;
    h.width = width;
    return h;
}

// The cached embeddings when the file is this dataset's and this model's, complete and whole.
std::optional<DatasetEmbedding> readCached(const std::string& path, const Header& expected)
{
    auto bytes = readWholeFile(path, std::uint64_t(1) << 36);
    if (!bytes || bytes->size() < sizeof(Header))
        return std::nullopt;
    Header found{};
    std::memcpy(&found, bytes->data(), sizeof found);
    if (std::memcmp(found.magic, kMagic, sizeof kMagic) != 0 || std::memcmp(found.fingerprint, expected.fingerprint, 32) != 0
        || found.modelHash != expected.modelHash || found.width == 0 || found.width > 65536 || found.rows > (1u << 28))
        return std::nullopt;
    const std::size_t indexBytes = found.rows * sizeof(std::uint64_t);
    if (bytes->size() != sizeof(Header) + indexBytes + found.rows * found.width * sizeof(float))
        return std::nullopt;
    DatasetEmbedding out;
    out.noteIndex.resize(found.rows);
    for (std::size_t i = 0; i < found.rows; ++i) {
        std::uint64_t note;
        std::memcpy(&note, bytes->data() + sizeof(Header) + i * sizeof note, sizeof note);
        out.noteIndex[i] = std::size_t(note);
    }
    out.embeddings.width = found.width;
    out.embeddings.values.resize(found.rows * found.width);
    std::memcpy(out.embeddings.values.data(), bytes->data() + sizeof(Header) + indexBytes, out.embeddings.values.size() * sizeof(float));
    return out;
}

// A layout file: this header, then rows × 2 float32.
constexpr char kLayoutMagic[8] = {'T', 'S', 'L', 'A', 'Y', 'O', 'U', 'T'};

struct LayoutHeader {
    char magic[8];
    std::uint64_t key;
    std::uint64_t rows;
    std::uint64_t reserved;
};
static_assert(sizeof(LayoutHeader) == 32, "layout cache header layout");

std::uint64_t layoutKey(const ml::Embeddings& embeddings, const LayoutSettings& settings)
{
    Fnv1a h;
    h.add(embeddings.values.data(), embeddings.values.size() * sizeof(float));
    const std::int64_t fields[] = {kLayoutVersion,           std::int64_t(embeddings.width), settings.neighbours,
                                   settings.epochsFor(embeddings.rows()), settings.negativeSamples, std::int64_t(settings.seed)};
    h.add(fields, sizeof fields);
    return h.value();
}

// An index file: this header, then FAISS's serialisation of the index.
constexpr char kIndexMagic[8] = {'T', 'S', 'I', 'N', 'D', 'E', 'X', '1'};

struct IndexHeader {
    char magic[8];
    std::uint64_t key;  // Fnv1a of the embeddings' values and their width
    std::uint64_t rows;
    std::uint64_t bytes;
    std::uint64_t checksum;  // Fnv1a of FAISS's bytes: its reader checks structure, not values
};
static_assert(sizeof(IndexHeader) == 40, "index cache header layout");

std::uint64_t checksumOf(const char* data, std::size_t size)
{
    Fnv1a h;
    h.add(data, size);
    return h.value();
}

std::uint64_t indexKey(const ml::Embeddings& embeddings)
{
    Fnv1a h;
    h.add(embeddings.values.data(), embeddings.values.size() * sizeof(float));
    h.addValue(std::uint64_t(embeddings.width));
    return h.value();
}

} // namespace

NeighbourIndex EmbeddingCache::loadIndex(const std::string& embeddingsPath, const ml::Embeddings& embeddings,
                                         const ProgressSink& progress) const
{
    if (embeddings.rows() <= NeighbourIndex::kExactLimit)
        return NeighbourIndex(embeddings);
    const std::string path = embeddingsPath + ".index";
    const std::uint64_t key = indexKey(embeddings);
    if (auto bytes = readWholeFile(path, std::uint64_t(1) << 36); bytes && bytes->size() > sizeof(IndexHeader)) {
        IndexHeader found{};
        std::memcpy(&found, bytes->data(), sizeof found);
        if (std::memcmp(found.magic, kIndexMagic, sizeof kIndexMagic) == 0 && found.key == key && found.rows == embeddings.rows()
            && found.bytes == bytes->size() - sizeof(IndexHeader)
            && found.checksum == checksumOf(bytes->data() + sizeof(IndexHeader), std::size_t(found.bytes))) {
            auto index = NeighbourIndex::deserialise(std::string_view(*bytes).substr(sizeof(IndexHeader)));
            if (index && index->rows() == embeddings.rows() && index->width() == embeddings.width)
                return std::move(*index);
        }
    }
    if (progress)
        progress(Progress{0, 0, "indexing the notes"});
    NeighbourIndex index(embeddings);
    const std::string serialised = index.serialise();
    IndexHeader header{};
    std::memcpy(header.magic, kIndexMagic, sizeof kIndexMagic);
    header.key = key;
    header.rows = embeddings.rows();
    header.bytes = serialised.size();
    header.checksum = checksumOf(serialised.data(), serialised.size());
    std::string out(reinterpret_cast<const char*>(&header), sizeof header);
    out += serialised;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(embeddingsPath).parent_path(), ec);
    if (auto stored = writeFileAtomically(path, out); !stored && progress)
        progress(Progress{0, 0, "neighbour index not cached, going on without: " + stored.error().describe(), true});
    return index;
}

std::optional<std::vector<float>> EmbeddingCache::loadLayout(const std::string& embeddingsPath, const ml::Embeddings& embeddings,
                                                             const LayoutSettings& settings) const
{
    auto bytes = readWholeFile(embeddingsPath + ".layout", std::uint64_t(1) << 32);
    if (!bytes || bytes->size() < sizeof(LayoutHeader))
        return std::nullopt;
    LayoutHeader found{};
    std::memcpy(&found, bytes->data(), sizeof found);
    if (std::memcmp(found.magic, kLayoutMagic, sizeof kLayoutMagic) != 0 || found.rows != embeddings.rows()
        || bytes->size() != sizeof(LayoutHeader) + found.rows * 2 * sizeof(float) || found.key != layoutKey(embeddings, settings))
        return std::nullopt;
    std::vector<float> xy(found.rows * 2);
    std::memcpy(xy.data(), bytes->data() + sizeof(LayoutHeader), xy.size() * sizeof(float));
    return xy;
}

Status EmbeddingCache::storeLayout(const std::string& embeddingsPath, const ml::Embeddings& embeddings, const LayoutSettings& settings,
                                   const std::vector<float>& xy) const
{
    LayoutHeader header{};
    std::memcpy(header.magic, kLayoutMagic, sizeof kLayoutMagic);
    header.key = layoutKey(embeddings, settings);
    header.rows = xy.size() / 2;
    std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
    bytes.append(reinterpret_cast<const char*>(xy.data()), xy.size() * sizeof(float));
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(embeddingsPath).parent_path(), ec);
    return writeFileAtomically(embeddingsPath + ".layout", bytes);
}

EmbeddingCache::EmbeddingCache(std::string folder)
    : m_folder(folder.empty() ? appCacheFolder() + "/embeddings" : std::move(folder))
{
}

std::string EmbeddingCache::pathFor(const ml::TrainedModel& model, const dataset::Dataset& dataset) const
{
    Fnv1a where;
    where.addString(dataset.folder());
    where.addString(model.path());
    return m_folder + "/" + where.hex() + ".bin";
}

Result<DatasetEmbedding> EmbeddingCache::load(const ml::TrainedModel& model, const dataset::Dataset& dataset,
                                              const ProgressSink& progress, const CancellationToken& cancel) const
{
    auto hash = modelHash(model);
    if (!hash)
        return hash.error();
    const std::string path = pathFor(model, dataset);
    // The rows must still be the dataset's usable notes (the fingerprint covers their files).
    if (auto cached = readCached(path, headerFor(dataset, *hash, 0, 0)); cached && cached->noteIndex == dataset.usableIndices())
        return std::move(*cached);
    auto computed = embedDataset(model, dataset, progress, cancel);
    if (!computed)
        return computed.error();
    const Header header = headerFor(dataset, *hash, computed->noteIndex.size(), computed->embeddings.width);
    std::string bytes(reinterpret_cast<const char*>(&header), sizeof header);
    for (std::size_t note : computed->noteIndex) {
        const std::uint64_t value = note;
        bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    bytes.append(reinterpret_cast<const char*>(computed->embeddings.values.data()), computed->embeddings.values.size() * sizeof(float));
    std::error_code ec;
    std::filesystem::create_directories(m_folder, ec);
    if (auto stored = writeFileAtomically(path, bytes); !stored && progress)
        progress(Progress{0, 0, "embeddings not cached, going on without: " + stored.error().describe(), true});
    return computed;
}

} // namespace ts::map
