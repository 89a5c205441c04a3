// The safetensors reader and writer (ml/Safetensors.h): a tiny archive's exact bytes (length, header
// layout, padding, data), round trips of every dtype, scalar and empty tensors, an archive in another
// writer's spelling, each malformed archive refused with its own reason, and any one-byte damage of
// an archive either refused with the file named or read.
#include <QtTest>

#include <cstring>

#include "ml/Safetensors.h"

using namespace ts::ml;

namespace {

std::string bytesOf(const void* data, std::size_t n)
{
    return std::string(static_cast<const char*>(data), n);
}

template <typename T>
std::string valuesBytes(std::initializer_list<T> values)
{
    std::string out;
    for (T v : values)
        out += bytesOf(&v, sizeof v);
    return out;
}

std::string u64Bytes(std::uint64_t value)
{
    std::string out;
    for (int i = 0; i < 8; ++i)
        out.push_back(char((value >> (8 * i)) & 0xff));
    return out;
}

// An archive spelled by hand: the length of `header`, `header`, then `data`.
std::string handMade(const std::string& header, const std::string& data = {})
{
    return u64Bytes(header.size()) + header + data;
}

StoredTensor tensor(TensorType type, std::vector<std::int64_t> shape, std::string bytes)
{
    StoredTensor t;
    t.type = type;
    t.shape = std::move(shape);
    t.bytes = std::move(bytes);
    return t;
}

TensorArchive tinyArchive()
{
    TensorArchive archive;
    archive.tensors["a"] = tensor(TensorType::F32, {2}, valuesBytes<float>({1.0f, -2.0f}));
    archive.tensors["n"] = tensor(TensorType::I64, {}, valuesBytes<std::int64_t>({7}));
    archive.metadata["k"] = "v";
    return archive;
}

} // namespace

class tst_Safetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tinyArchiveHasExactBytes()
    {
        const auto bytes = encodeSafetensors(tinyArchive());
        QVERIFY(bytes.ok());
        // 132 bytes of JSON, names sorted with __metadata__ first, padded with 4 spaces to 136 (0x88).
        const std::string header =
            "{\"__metadata__\":{\"k\":\"v\"},"
            "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        QCOMPARE(header.size(), std::size_t(132));
        const std::string expected = std::string("\x88\0\0\0\0\0\0\0", 8) + header + "    " +
                                     std::string("\x00\x00\x80\x3f" "\x00\x00\x00\xc0", 8) +  // 1.0f, -2.0f
                                     std::string("\x07\0\0\0\0\0\0\0", 8);                     // 7
        QCOMPARE(bytes.value().size(), std::size_t(8 + 136 + 16));
        QCOMPARE(QByteArray::fromStdString(bytes.value()).toHex(), QByteArray::fromStdString(expected).toHex());
    }
    void roundTripGivesTheSameArchive()
    {
        TensorArchive archive = tinyArchive();
        archive.tensors["b.weight"] = tensor(TensorType::F32, {2, 3}, valuesBytes<float>({0.5f, 1.5f, -0.0f, 3e-38f, 1e38f, 6.0f}));
        archive.tensors["lr"] = tensor(TensorType::F64, {}, valuesBytes<double>({0.001}));
        archive.tensors["empty"] = tensor(TensorType::F32, {0, 4}, {});
        const auto bytes = encodeSafetensors(archive);
        QVERIFY(bytes.ok());
        QCOMPARE(bytes.value().size() % 8, std::size_t(0));
        const auto back = decodeSafetensors(bytes.value(), "w.bin");
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().describe().c_str());
        QCOMPARE(back->metadata, archive.metadata);
        QCOMPARE(back->tensors.size(), archive.tensors.size());
        for (const auto& [name, t] : archive.tensors) {
            const auto& u = back->tensors.at(name);
            QCOMPARE(int(u.type), int(t.type));
            QCOMPARE(u.shape, t.shape);
            QCOMPARE(u.bytes, t.bytes);
        }
        // Written again, the same bytes: the layout is canonical.
        QCOMPARE(encodeSafetensors(back.value()).value(), bytes.value());
        // An archive without tensors or metadata is "{}" and 6 spaces.
        QCOMPARE(encodeSafetensors(TensorArchive()).value(), u64Bytes(8) + "{}      ");
    }
    void anotherWritersSpellingIsRead()
    {
        // Spaces, another key order and tensors stored out of name order: all the layout allows.
        const std::string header = "{ \"z\": {\"shape\": [1], \"data_offsets\": [0, 4], \"dtype\": \"F32\"},\n"
                                   "  \"a\": {\"data_offsets\": [4, 12], \"dtype\": \"I64\", \"shape\": [1]} }";
        const auto r = decodeSafetensors(handMade(header, valuesBytes<float>({2.5f}) + valuesBytes<std::int64_t>({-3})), "w.bin");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->tensors.at("z").bytes, valuesBytes<float>({2.5f}));
        QCOMPARE(r->tensors.at("a").bytes, valuesBytes<std::int64_t>({-3}));
        QVERIFY(r->metadata.empty());
    }
    void malformedArchiveRefusedWithItsReason_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("reason");
        auto row = [](const char* name, const std::string& bytes, const char* reason) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << QString::fromUtf8(reason);
        };
        const std::string f32x2 = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
        const std::string eight(8, '\x01');
        row("shorter than the length", "abc", "it is 3 bytes long, too short for its header length");
        row("length past the end", u64Bytes(100) + "{}", "its header length 100 goes past the end of its 10 bytes");
        row("absurd length", u64Bytes(std::uint64_t(1) << 40) + "{}",
            "its header length 1099511627776 is over the limit of 100000000 bytes");
        row("not JSON", handMade(R"({"a":{"dtype":)"), "the header is not JSON text");
        row("not UTF-8", handMade("{\"\xff\":{}}"), "the header is not JSON text");
        row("an array", handMade("[1,2]"), "the header is not a JSON object");
        row("entry not an object", handMade(R"({"a":3})"), "the header entry 'a' is not an object");
        row("unknown dtype", handMade(R"({"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})", std::string(4, '\0')),
            "tensor 'a' has dtype 'BF16'; this build reads F32, F64 and I64");
        // 2^62 x 4 F32 elements are 2^66 bytes, which wraps to 0 in 64 bits: it must not pass as empty.
        row("shape overflows", handMade(R"({"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}})"),
            "tensor 'a' shape [4611686018427387904, 4] is too large: its byte count does not fit in 64 bits");
        row("shape does not match offsets", handMade(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", eight),
            "tensor 'a' of shape [3] and dtype F32 needs 12 bytes, but its data_offsets [0, 8] span 8");
        row("negative dimension", handMade(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})"),
            "tensor 'a' shape must be a list of whole numbers from 0");
        row("offsets reversed", handMade(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", eight),
            "tensor 'a' data_offsets must be two whole numbers [begin, end] with begin <= end");
        row("offsets out of range", handMade(f32x2, std::string(4, '\0')),
            "tensor 'a' data_offsets [0, 8] go past the end of the data (4 bytes)");
        row("overlapping", handMade(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                    R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", std::string(12, '\0')),
            "tensors 'a' and 'b' overlap (bytes 4 to 8)");
        row("a gap", handMade(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                              R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})", std::string(12, '\0')),
            "bytes 4 to 8 of the data belong to no tensor");
        row("trailing bytes", handMade(f32x2, eight + "xyz"), "3 trailing bytes after the last tensor's data");
        row("a name twice", handMade(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                     R"("a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})", eight),
            "the header names 'a' twice");
        row("a field twice", handMade(R"({"a":{"dtype":"F32","dtype":"I64","shape":[1],"data_offsets":[0,4]}})", "1234"),
            "the header names 'dtype' twice");
        row("no data_offsets", handMade(R"({"a":{"dtype":"F32","shape":[1]}})", "1234"), "tensor 'a' has no data_offsets");
        row("an unknown field", handMade(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"offset":0}})", "1234"),
            "tensor 'a' has an unknown field 'offset'");
        row("metadata of numbers", handMade(R"({"__metadata__":{"k":1}})"), "__metadata__ must be an object of texts");
    }
    void malformedArchiveRefusedWithItsReason()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, reason);
        const auto r = decodeSafetensors(bytes.toStdString(), "w.bin", "the weights section");
        QVERIFY(!r.ok());
        QCOMPARE(int(r.error().code), int(ts::ErrorCode::BadFormat));
        QCOMPARE(QString::fromStdString(r.error().describe()),
                 QStringLiteral("w.bin: the weights section is not a valid safetensors archive: ") + reason);
    }
    void writerRefusesWhatItCannotWrite()
    {
        TensorArchive shortBytes;
        shortBytes.tensors["a"] = tensor(TensorType::F32, {3}, valuesBytes<float>({1.0f, 2.0f}));
        const auto a = encodeSafetensors(shortBytes);
        QVERIFY(!a.ok());
        QCOMPARE(QString::fromStdString(a.error().message),
                 QStringLiteral("tensor 'a' holds 8 bytes, not what its shape and dtype F32 need"));
        TensorArchive reserved;
        reserved.tensors["__metadata__"] = tensor(TensorType::I64, {}, valuesBytes<std::int64_t>({1}));
        QVERIFY(!encodeSafetensors(reserved).ok());
    }
    void everyOneByteDamageIsReadOrRefused()
    {
        // The reader is a function over bytes: whatever one byte becomes, it answers, and a refusal
        // names the file (run under a sanitizer, this is a small fuzz of every header field).
        const std::string good = encodeSafetensors(tinyArchive()).value();
        int refused = 0;
        for (std::size_t i = 0; i < good.size(); ++i)
            for (unsigned char value : {0x00, 0x01, 0x20, 0x22, 0x2c, 0x30, 0x39, 0x5b, 0x7b, 0x7d, 0xff}) {
                std::string bytes = good;
                bytes[i] = char(value);
                const auto r = decodeSafetensors(bytes, "w.bin");
                if (!r.ok()) {
                    ++refused;
                    QCOMPARE(r.error().path, std::string("w.bin"));
                }
            }
        // Of the 152 x 11 variants, 1494 are refused: most header bytes cannot change without
        // breaking it; the 16 data bytes, padding spaces and metadata letters can be anything.
        QCOMPARE(refused, 1494);
    }
};

QTEST_GUILESS_MAIN(tst_Safetensors)
#include "tst_Safetensors.moc"
