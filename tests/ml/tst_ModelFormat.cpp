// Model file format 2: the weights and the resume state are safetensors archives with the documented
// tensor names; a broken section is refused when the file is read, naming the file and the section,
// and a LibTorch archive in a format-2 file is never handed to LibTorch; each tensor is checked
// against the network (missing, unknown, wrong shape, wrong dtype). A format-1 checkpoint written by
// the code before format 2 (tests/fixtures) still loads and predicts exactly what its conversion
// predicts; nothing writes format 1 any more.
#include <QtTest>

#include <nlohmann/json.hpp>
#include <QTemporaryDir>

#include <cmath>
#include <set>

#include "ToySet.h"
#include "ml/ModelCalibration.h"
#include "ml/ModelConversion.h"
#include "ml/ModelFile.h"
#include "ml/Safetensors.h"
#include "ml/TrainedModel.h"
#include "ml/Trainer.h"
#include "util/AtomicFile.h"
#include "util/Fnv1a.h"

using namespace ts::ml;

namespace {

std::string fixturePath()
{
    return qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR").toStdString() + "/tests/fixtures/toy-timbre-net-v1.checkpoint";
}

std::string describe(const ts::Error& e)
{
    return e.describe();
}

TensorArchive archiveOf(const std::string& section)
{
    return decodeSafetensors(section, "test").value();
}

std::string bytesOf(const TensorArchive& archive)
{
    return encodeSafetensors(archive).value();
}

// The error of loading `file` as a network, or "" when it loads.
QString loadError(const ModelFile& file)
{
    auto model = TrainedModel::fromModelFile(file, "x.tsm");
    return model.ok() ? QString() : QString::fromStdString(model.error().describe());
}

} // namespace

class tst_ModelFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        const auto architecture = *findArchitecture("timbre-net");
        m_set = makeToySet(architecture, 3);
        TrainingOptions options;
        options.epochs = 2;
        options.batchSize = 4;
        options.threads = 2;
        options.checkpointPath = m_dir.filePath("model.tsm.checkpoint").toStdString();
        auto outcome = Trainer(options).run(m_set);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : describe(outcome.error()).c_str());
        m_file = outcome->model;
        auto checkpoint = loadModelFile(options.checkpointPath);
        QVERIFY2(checkpoint.ok(), checkpoint.ok() ? "" : describe(checkpoint.error()).c_str());
        m_checkpoint = checkpoint.value();
    }

    void newFilesAreFormatTwo()
    {
        const std::string bytes = encodeModelFile(m_file);
        QCOMPARE(bytes.substr(8, 4), std::string("\x02\0\0\0", 4));
        QCOMPARE(nlohmann::json::parse(metadataToJson(m_file.metadata)).at("format_version").get<int>(), 2);
        QCOMPARE(m_checkpoint.metadata.formatVersion, 2u);
    }

    void weightsAreNamedParamsAndBuffers()
    {
        // timbre-net's modules: input_norm, conv1..4 (no bias), bn1..4, family_head, source_head.
        std::map<std::string, std::vector<std::int64_t>> expected = {
            {"param.conv1.weight", {16, 1, 3, 3}}, {"param.conv2.weight", {32, 16, 3, 3}},
            {"param.conv3.weight", {64, 32, 3, 3}}, {"param.conv4.weight", {128, 64, 3, 3}},
            {"param.family_head.weight", {11, 256}}, {"param.family_head.bias", {11}},
            {"param.source_head.weight", {3, 256}}, {"param.source_head.bias", {3}}};
        const std::pair<const char*, std::int64_t> norms[] = {{"input_norm", 1}, {"bn1", 16}, {"bn2", 32}, {"bn3", 64}, {"bn4", 128}};
        for (const auto& [norm, width] : norms) {
            for (const char* p : {"weight", "bias"})
                expected[std::string("param.") + norm + "." + p] = {width};
            for (const char* b : {"running_mean", "running_var"})
                expected[std::string("buffer.") + norm + "." + b] = {width};
            expected[std::string("buffer.") + norm + ".num_batches_tracked"] = {};
        }
        const auto weights = archiveOf(m_file.weights);
        std::map<std::string, std::vector<std::int64_t>> found;
        std::int64_t parameters = 0;
        for (const auto& [name, t] : weights.tensors) {
            found[name] = t.shape;
            const bool counter = name.find("num_batches_tracked") != std::string::npos;
            QCOMPARE(int(t.type), int(counter ? TensorType::I64 : TensorType::F32));
            if (name.rfind("param.", 0) == 0)
                parameters += t.elementCount();
        }
        QCOMPARE(found, expected);
        QCOMPARE(parameters, findArchitecture("timbre-net")->parameterCount);  // 100,992
        QVERIFY(weights.metadata.empty());
    }

    void resumeStateHoldsTheWeightsAndAdam()
    {
        const auto weights = archiveOf(m_checkpoint.weights);
        const auto resume = archiveOf(m_checkpoint.resumeState);
        std::set<std::string> expected;
        for (const auto& [name, t] : weights.tensors) {
            expected.insert(name);
            if (name.rfind("param.", 0) != 0)
                continue;
            const std::string path = name.substr(6);
            for (const char* kind : {"adam.exp_avg.", "adam.exp_avg_sq."}) {
                const auto& moment = resume.tensors.at(kind + path);
                QCOMPARE(moment.shape, t.shape);
                QCOMPARE(int(moment.type), int(TensorType::F32));
                expected.insert(kind + path);
            }
            // 6 training notes in batches of 4: 2 steps an epoch, 2 epochs.
            const auto& step = resume.tensors.at("adam.step." + path);
            QCOMPARE(int(step.type), int(TensorType::I64));
            QVERIFY(step.shape.empty());
            std::int64_t steps = 0;
            std::memcpy(&steps, step.bytes.data(), sizeof steps);
            QCOMPARE(steps, std::int64_t(4));
            expected.insert("adam.step." + path);
        }
        expected.insert("adam.lr");
        std::set<std::string> names;
        for (const auto& entry : resume.tensors)
            names.insert(entry.first);
        QCOMPARE(names, expected);
        // The rate of epoch 2 of 2 on the cosine schedule: 5 % of 1e-3.
        double lr = 0.0;
        std::memcpy(&lr, resume.tensors.at("adam.lr").bytes.data(), sizeof lr);
        QCOMPARE(lr, 1e-3 * (0.05 + 0.95 * 0.5 * (1.0 + std::cos(M_PI * 1.0))));
    }

    void brokenSectionRefusedWhenRead()
    {
        ModelFile broken = m_file;
        broken.weights = std::string(4, '\0');
        auto r = decodeModelFile(encodeModelFile(broken), "x.tsm");
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().describe()),
                 QStringLiteral("x.tsm: the weights section is not a valid safetensors archive: it is 4 bytes long, too short "
                                "for its header length"));
        broken = m_checkpoint;
        broken.resumeState += "x";
        r = decodeModelFile(encodeModelFile(broken), "x.tsm");
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().describe()),
                 QStringLiteral("x.tsm: the resume state section is not a valid safetensors archive: 1 trailing bytes after "
                                "the last tensor's data"));
    }

    void libTorchArchiveInAFormatTwoFileIsNotRead()
    {
        // Format 1's weights (a LibTorch zip archive, "PK\3\4...") under a format-2 header: the
        // safetensors reader refuses them; LibTorch's reader is never reached.
        auto old = loadModelFile(fixturePath());
        QVERIFY2(old.ok(), old.ok() ? "" : describe(old.error()).c_str());
        QCOMPARE(old->weights.substr(0, 4), std::string("PK\3\4"));
        ModelFile disguised = old.value();
        disguised.metadata.formatVersion = 2;
        disguised.resumeState.clear();
        auto r = decodeModelFile(encodeModelFile(disguised), "x.tsm");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().describe().rfind("x.tsm: the weights section is not a valid safetensors archive: its header length ", 0) == 0,
                 describe(r.error()).c_str());
    }

    void tensorsAreCheckedAgainstTheNetwork()
    {
        QCOMPARE(loadError(m_file), QString());
        const auto weights = archiveOf(m_file.weights);
        const auto& [name, tensor] = *weights.tensors.begin();
        const QString q = QString::fromStdString(name);

        TensorArchive missing = weights;
        missing.tensors.erase(name);
        ModelFile file = m_file;
        file.weights = bytesOf(missing);
        QCOMPARE(loadError(file), QStringLiteral("x.tsm: the weights section lacks ") + q);

        TensorArchive extra = weights;
        extra.tensors["param.no_such_layer.weight"] = tensor;
        file.weights = bytesOf(extra);
        QCOMPARE(loadError(file), QStringLiteral("x.tsm: the weights section holds param.no_such_layer.weight, which this network does not have"));

        TensorArchive reshaped = weights;
        reshaped.tensors[name].shape = {tensor.elementCount()};
        file.weights = bytesOf(reshaped);
        QString shape;
        for (std::int64_t d : tensor.shape)
            shape += (shape.isEmpty() ? "" : ", ") + QString::number(d);
        QCOMPARE(loadError(file), QStringLiteral("x.tsm: the weights section: %1 has the wrong shape ([%2], the network's is [%3])")
                                      .arg(q).arg(tensor.elementCount()).arg(shape));

        TensorArchive retyped = weights;
        for (auto& [n, t] : retyped.tensors)
            if (t.type == TensorType::I64) {
                t.type = TensorType::F64;
                file.weights = bytesOf(retyped);
                QCOMPARE(loadError(file), QStringLiteral("x.tsm: the weights section: %1 is F64, not I64").arg(QString::fromStdString(n)));
                break;
            }
    }

    void nothingWritesFormatOne()
    {
        ModelFile old = m_file;
        old.metadata.formatVersion = 1;
        const std::string path = m_dir.filePath("old.tsm").toStdString();
        const auto s = saveModelFile(path, old);
        QVERIFY(!s.ok());
        QCOMPARE(QString::fromStdString(s.error().describe()),
                 QString::fromStdString(path) + ": a model of format 1 is not written any more (convert it to format 2 first: "
                                                "timbrescope models --convert)");
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        // A container whose metadata names another format than its header is damaged.
        std::string bytes = encodeModelFile(old);
        bytes[8] = 2;  // the header says 2, the JSON 1; the checksum is made right again
        bytes.resize(bytes.size() - 8);
        ts::Fnv1a hash;
        hash.add(bytes.data(), bytes.size());
        const std::uint64_t sum = hash.value();
        bytes.append(reinterpret_cast<const char*>(&sum), sizeof sum);
        const auto r = decodeModelFile(bytes, "x.tsm");
        QVERIFY(!r.ok());
        QCOMPARE(QString::fromStdString(r.error().describe()),
                 QStringLiteral("x.tsm: model metadata says format_version 1 in a file of format 2"));
    }

    void formatOneLoadsAndPredictsAsItsConversion()
    {
        auto old = loadModelFile(fixturePath());
        QVERIFY2(old.ok(), old.ok() ? "" : describe(old.error()).c_str());
        QCOMPARE(old->metadata.formatVersion, 1u);
        QVERIFY(!old->resumeState.empty());
        auto converted = convertModelFile(old.value(), fixturePath());
        QVERIFY2(converted.ok(), converted.ok() ? "" : describe(converted.error()).c_str());
        QCOMPARE(converted->metadata.formatVersion, 2u);
        // The metadata is the same but for its format version.
        auto a = nlohmann::json::parse(metadataToJson(old->metadata));
        auto b = nlohmann::json::parse(metadataToJson(converted->metadata));
        QCOMPARE(b.at("format_version").get<int>(), 2);
        a.erase("format_version");
        b.erase("format_version");
        QCOMPARE(QString::fromStdString(a.dump()), QString::fromStdString(b.dump()));
        // Saved and read back, it predicts exactly what the format-1 file predicts.
        const std::string path = m_dir.filePath("converted.tsm").toStdString();
        QVERIFY(saveModelFile(path, converted.value()).ok());
        auto before = TrainedModel::fromModelFile(old.value(), fixturePath());
        auto after = TrainedModel::load(path);
        QVERIFY2(before.ok(), before.ok() ? "" : describe(before.error()).c_str());
        QVERIFY2(after.ok(), after.ok() ? "" : describe(after.error()).c_str());
        const auto set = makeToySet(*findArchitecture("timbre-net"), 6);
        const auto x = before->score(set.features.data(), set.features.rows());
        const auto y = after->score(set.features.data(), set.features.rows());
        QVERIFY(x.ok() && y.ok());
        QCOMPARE(y->family.size(), std::size_t(18));
        QCOMPARE(y->family, x->family);
        QCOMPARE(y->source, x->source);
        // The checkpoint's resume state came along in format 2.
        QVERIFY(archiveOf(converted->resumeState).tensors.count("adam.lr"));
        // A current file converts to itself, byte for byte, without LibTorch.
        auto again = convertModelFile(converted.value(), path);
        QVERIFY(again.ok());
        QCOMPARE(encodeModelFile(again.value()), encodeModelFile(converted.value()));
    }

    void calibratingAFormatOneFileWritesFormatTwo()
    {
        auto old = loadModelFile(fixturePath());
        QVERIFY(old.ok());
        const auto set = makeToySet(*findArchitecture("timbre-net"), 6);
        auto calibrated = calibrateModelFile(old.value(), set, fixturePath());
        QVERIFY2(calibrated.ok(), calibrated.ok() ? "" : describe(calibrated.error()).c_str());
        QCOMPARE(calibrated->metadata.formatVersion, 2u);
        QVERIFY(saveModelFile(m_dir.filePath("calibrated.tsm").toStdString(), calibrated.value()).ok());
        QCOMPARE(calibrated->weights, convertModelFile(old.value(), fixturePath())->weights);
    }

private:
    QTemporaryDir m_dir;
    TrainingSet m_set;
    ModelFile m_file;
    ModelFile m_checkpoint;
};

QTEST_GUILESS_MAIN(tst_ModelFormat)
#include "tst_ModelFormat.moc"
