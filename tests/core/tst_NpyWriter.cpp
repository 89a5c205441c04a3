// The .npy bytes, checked field by field against NumPy's format 1.0 description.
#include <QtTest>

#include <cstring>
#include <string>
#include <vector>

#include "util/AtomicFile.h"
#include "util/NpyWriter.h"

class tst_NpyWriter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void twoByThree()
    {
        const std::vector<float> v = {1.0f, -2.0f, 0.5f, 3.25f, 0.0f, 1e-3f};
        const std::string b = ts::encodeNpyFloat32(v.data(), {2, 3});
        QCOMPARE(b.substr(0, 6), std::string("\x93NUMPY", 6));
        QCOMPARE(int(std::uint8_t(b[6])), 1);
        QCOMPARE(int(std::uint8_t(b[7])), 0);
        const std::size_t headerLen = std::size_t(std::uint8_t(b[8])) | std::size_t(std::uint8_t(b[9])) << 8;
        QCOMPARE((10 + headerLen) % 64, std::size_t(0));
        const std::string header = b.substr(10, headerLen);
        QCOMPARE(header.back(), '\n');
        QCOMPARE(header.substr(0, header.find('}') + 1),
                 std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"));
        QCOMPARE(b.size(), 10 + headerLen + 6 * 4);
        // 1.0f is 0x3f800000, stored little-endian; -2.0f is 0xc0000000.
        QCOMPARE(b.substr(10 + headerLen, 8), std::string("\x00\x00\x80\x3f\x00\x00\x00\xc0", 8));
        std::vector<float> back(6);
        std::memcpy(back.data(), b.data() + 10 + headerLen, 24);
        QCOMPARE(back, v);
    }

    void shapesArePythonTuples()
    {
        const float x[3] = {1, 2, 3};
        QVERIFY(ts::encodeNpyFloat32(x, {3}).find("'shape': (3,), }") != std::string::npos);
        QVERIFY(ts::encodeNpyFloat32(x, {1, 1, 3}).find("'shape': (1, 1, 3), }") != std::string::npos);
        const std::string empty = ts::encodeNpyFloat32(x, {0, 129});
        QVERIFY(empty.find("'shape': (0, 129), }") != std::string::npos);
        QCOMPARE(empty.size() % 64, std::size_t(0));  // header only, no data
    }

    void writesTheFile()
    {
        QTemporaryDir dir;
        const std::string path = (dir.path() + "/f.npy").toStdString();
        const float x[4] = {1, 2, 3, 4};
        QVERIFY(ts::writeNpyFloat32(path, x, {2, 2}).ok());
        auto bytes = ts::readWholeFile(path);
        QVERIFY(bytes.ok());
        QCOMPARE(*bytes, ts::encodeNpyFloat32(x, {2, 2}));
        QVERIFY(!ts::writeNpyFloat32((dir.path() + "/no/such/dir/f.npy").toStdString(), x, {2, 2}).ok());
    }
};

QTEST_GUILESS_MAIN(tst_NpyWriter)
#include "tst_NpyWriter.moc"
