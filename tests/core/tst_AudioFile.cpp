// Decoding: every format the issue names, channel mixing, resampling, and a clear error for each
// kind of bad file. Fixtures are written here: good files through libsndfile (the formats need a
// real encoder), broken ones byte by byte.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <sndfile.h>
#include <sys/resource.h>
#include <unistd.h>

#include "audio/AudioFile.h"

using namespace ts;
using namespace ts::audio;

namespace {

std::vector<float> tone(double hz, double amplitude, int rate, std::size_t frames)
{
    std::vector<float> s(frames);
    for (std::size_t i = 0; i < frames; ++i)
        s[i] = float(amplitude * std::sin(2.0 * M_PI * hz * double(i) / rate));
    return s;
}

// Writes interleaved frames with libsndfile; returns false if the format cannot be written.
bool writeWithSndfile(const std::string& path, int format, int rate, int channels, const std::vector<float>& interleaved)
{
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!f)
        return false;
    const sf_count_t frames = sf_count_t(interleaved.size() / std::size_t(channels));
    const sf_count_t written = sf_writef_float(f, interleaved.data(), frames);
    sf_close(f);
    return written == frames;
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Magnitude of the DFT of s at frequency hz, normalised so a sine of amplitude a reads a.
double amplitudeAt(const std::vector<float>& s, double hz, int rate)
{
    double re = 0.0, im = 0.0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double ph = 2.0 * M_PI * hz * double(i) / rate;
        re += s[i] * std::cos(ph);
        im -= s[i] * std::sin(ph);
    }
    return 2.0 * std::hypot(re, im) / double(s.size());
}

std::uint32_t le32(const std::string& b, std::size_t at)
{
    return std::uint32_t(std::uint8_t(b[at])) | std::uint32_t(std::uint8_t(b[at + 1])) << 8 |
           std::uint32_t(std::uint8_t(b[at + 2])) << 16 | std::uint32_t(std::uint8_t(b[at + 3])) << 24;
}

} // namespace

class tst_AudioFile : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string file(const char* name) const { return (m_dir.path() + "/" + name).toStdString(); }

    // The error must name the file and contain the reason.
    void expectError(const std::string& path, ErrorCode code, const char* reason)
    {
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(!r.ok(), path.c_str());
        const std::string line = r.error().describe();
        QCOMPARE(int(r.error().code), int(code));
        QVERIFY2(line.rfind(path + ": ", 0) == 0, line.c_str());
        QVERIFY2(line.find(reason) != std::string::npos, line.c_str());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writeWav16HasTheNsynthHeaderAndRoundTrips()
    {
        const std::string path = file("w16.wav");
        std::vector<float> s = {0.0f, 0.5f, -0.5f, 1.0f, -1.0f, 2.0f, -3.0f, 1.0f / 32768.0f};
        QVERIFY(writeWav16(path, s, 16000).ok());
        const std::string b = readBytes(path);
        QCOMPARE(b.size(), std::size_t(44 + 2 * s.size()));
        QCOMPARE(b.substr(0, 4), std::string("RIFF"));
        QCOMPARE(le32(b, 4), std::uint32_t(36 + 2 * s.size()));
        QCOMPARE(b.substr(8, 8), std::string("WAVEfmt "));
        QCOMPARE(le32(b, 16), 16u);
        QCOMPARE(le32(b, 24), 16000u);
        QCOMPARE(le32(b, 28), 32000u);
        QCOMPARE(b.substr(36, 4), std::string("data"));
        QCOMPARE(le32(b, 40), std::uint32_t(2 * s.size()));

        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        const std::vector<float> expected = {0.0f, 0.5f, -0.5f, 32767.0f / 32768.0f, -1.0f, 32767.0f / 32768.0f,
                                             -1.0f, 1.0f / 32768.0f};
        QCOMPARE(r->samples, expected);
        QCOMPARE(r->source.container, std::string("WAV"));
        QCOMPARE(r->source.encoding, std::string("PCM 16-bit"));
        QCOMPARE(r->source.channels, 1);
        QCOMPARE(r->source.frames, std::int64_t(s.size()));
        QVERIFY(!writeWav16(file("bad.wav"), s, 0).ok());
    }

    void probeReadsTheHeader()
    {
        const std::string path = file("probe24.wav");
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 2, std::vector<float>(2 * 44100, 0.1f)));
        Result<SourceFormat> f = probeAudio(path);
        QVERIFY(f.ok());
        QCOMPARE(f->container, std::string("WAV"));
        QCOMPARE(f->encoding, std::string("PCM 24-bit"));
        QCOMPARE(f->sampleRate, 44100);
        QCOMPARE(f->channels, 2);
        QCOMPARE(f->frames, std::int64_t(44100));
        QCOMPARE(f->durationSeconds(), 1.0);
        QCOMPARE(f->fileBytes, std::uint64_t(readBytes(path).size()));
    }

    void stereoIsTheMeanOfTheChannels()
    {
        const std::string path = file("stereo.wav");
        std::vector<float> inter;
        for (int i = 0; i < 1000; ++i) {
            inter.push_back(0.5f);
            inter.push_back(-0.25f);
        }
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 2, inter));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY(r.ok());
        QCOMPARE(r->samples, std::vector<float>(1000, 0.125f));
    }

    void eightChannelsAreMixed()
    {
        const std::string path = file("eight.wav");
        std::vector<float> inter;
        for (int i = 0; i < 500; ++i)
            for (int c = 0; c < 8; ++c)
                inter.push_back(float(c) / 16.0f);
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, 16000, 8, inter));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->source.channels, 8);
        QCOMPARE(r->samples, std::vector<float>(500, 28.0f / 128.0f));  // (0+1+...+7)/16/8
    }

    void otherEncodingsDecodeToTheSameSignal_data()
    {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("tolerance");
        QTest::addColumn<QString>("encoding");
        QTest::newRow("pcm8") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_U8) << "p8.wav" << 1.0 / 128 << "PCM 8-bit unsigned";
        QTest::newRow("pcm24") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_24) << "p24.wav" << 1e-6 << "PCM 24-bit";
        QTest::newRow("pcm32") << int(SF_FORMAT_WAV | SF_FORMAT_PCM_32) << "p32.wav" << 1e-6 << "PCM 32-bit";
        QTest::newRow("float") << int(SF_FORMAT_WAV | SF_FORMAT_FLOAT) << "f32.wav" << 0.0 << "float 32-bit";
        QTest::newRow("flac") << int(SF_FORMAT_FLAC | SF_FORMAT_PCM_16) << "f.flac" << 1.0 / 32768 << "PCM 16-bit";
        QTest::newRow("aiff") << int(SF_FORMAT_AIFF | SF_FORMAT_PCM_16) << "a.aiff" << 1.0 / 32768 << "PCM 16-bit";
    }

    void otherEncodingsDecodeToTheSameSignal()
    {
        QFETCH(int, format);
        QFETCH(QString, name);
        QFETCH(double, tolerance);
        QFETCH(QString, encoding);
        const std::string path = file(name.toUtf8().constData());
        const std::vector<float> s = tone(440.0, 0.5, 16000, 8000);
        QVERIFY(writeWithSndfile(path, format, 16000, 1, s));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(QString::fromStdString(r->source.encoding), encoding);
        QCOMPARE(r->samples.size(), s.size());
        double worst = 0.0;
        for (std::size_t i = 0; i < s.size(); ++i)
            worst = std::max(worst, std::fabs(double(r->samples[i]) - s[i]));
        QVERIFY2(worst <= tolerance, qPrintable(QString::number(worst)));
    }

    void oggVorbisKeepsTheTone()
    {
        const std::string path = file("v.ogg");
        QVERIFY(writeWithSndfile(path, SF_FORMAT_OGG | SF_FORMAT_VORBIS, 16000, 1, tone(440.0, 0.5, 16000, 16000)));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->source.container, std::string("OGG"));
        QCOMPARE(r->samples.size(), std::size_t(16000));
        QVERIFY(std::fabs(amplitudeAt(r->samples, 440.0, 16000) - 0.5) < 0.02);
    }

    void mp3DecodesAndLeavesStderrAlone()
    {
        // libsndfile writes MP3 through LAME and reads it through libmpg123; the capture of
        // libmpg123's chatter must not stop a good file from decoding.
        const std::string path = file("tone.mp3");
        QVERIFY(writeWithSndfile(path, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 1, tone(440.0, 0.5, 16000, 16000)));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->source.container, std::string("MPEG"));
        QVERIFY(r->samples.size() >= 16000);
        QVERIFY(std::fabs(amplitudeAt(std::vector<float>(r->samples.begin() + 2000, r->samples.begin() + 14000), 440.0, 16000) - 0.5) < 0.05);
        std::fprintf(stderr, "still here\n");  // stderr is the terminal's again
    }

    void otherRatesAreResampledNotRefused_data()
    {
        QTest::addColumn<int>("rate");
        QTest::newRow("8 kHz") << 8000;
        QTest::newRow("44.1 kHz") << 44100;
        QTest::newRow("96 kHz") << 96000;
    }

    void otherRatesAreResampledNotRefused()
    {
        QFETCH(int, rate);
        const std::string path = file(("rate" + std::to_string(rate) + ".wav").c_str());
        // 1.5 s of a 1 kHz tone: 24,000 samples at 16 kHz whatever the source rate.
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, rate, 1, tone(1000.0, 0.5, rate, std::size_t(rate) * 3 / 2)));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->source.sampleRate, rate);
        QCOMPARE(r->samples.size(), std::size_t(24000));
        // Away from the filter's edges the tone is still 1 kHz at amplitude 0.5, and nothing else.
        const std::vector<float> middle(r->samples.begin() + 4000, r->samples.begin() + 20000);
        QVERIFY(std::fabs(amplitudeAt(middle, 1000.0, 16000) - 0.5) < 0.005);
        QVERIFY(amplitudeAt(middle, 990.0, 16000) < 0.005);
        QVERIFY(amplitudeAt(middle, 2000.0, 16000) < 0.005);
        QVERIFY(amplitudeAt(middle, 500.0, 16000) < 0.005);
    }

    void nonFiniteFloatSamplesBecomeZeroAndAreCounted()
    {
        // Chosen policy: sanitise, not refuse. A few bad samples in an otherwise good file should
        // not lose the note; the count tells the caller (info prints it) that it happened.
        const std::string path = file("nan.wav");
        std::vector<float> s(100, 0.25f);
        s[3] = std::numeric_limits<float>::quiet_NaN();
        s[10] = std::numeric_limits<float>::infinity();
        s[11] = -std::numeric_limits<float>::infinity();
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, s));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY(r.ok());
        QCOMPARE(r->nonFiniteSamples, std::size_t(3));
        QCOMPARE(r->samples[3], 0.0f);
        QCOMPARE(r->samples[10], 0.0f);
        QCOMPARE(r->samples[11], 0.0f);
        QCOMPARE(r->samples[4], 0.25f);
        for (float v : r->samples)
            QVERIFY(std::isfinite(v));
    }

    void hugeFloatSamplesAreDamagedAndBecomeZero()
    {
        // A stereo 48 kHz float file of 0.25 with one sample near FLT_MAX on each channel: summed by
        // the resampler they overflowed to Inf, which spread through the features. They are damaged
        // data like NaN: replaced by 0 and counted, and the rest of the file reads as it is.
        const std::string path = file("huge.wav");
        std::vector<float> s(2 * 4800, 0.25f);
        s[2 * 1000] = 3.0e38f;
        s[2 * 3000 + 1] = -2.0e7f;
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, s));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->nonFiniteSamples, std::size_t(2));
        QCOMPARE(r->samples.size(), std::size_t(1600));
        float peak = 0.0f;
        for (float v : r->samples)
            peak = std::max(peak, std::fabs(v));
        QVERIFY2(peak < 0.3f, std::to_string(peak).c_str());
        // A loud but real float sample (+60 dBFS) is kept.
        std::vector<float> loud(1600, 0.0f);
        loud[800] = 1000.0f;
        QVERIFY(writeWithSndfile(file("loud.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, loud));
        Result<DecodedAudio> l = loadAudio(file("loud.wav"));
        QVERIFY(l.ok());
        QCOMPARE(l->nonFiniteSamples, std::size_t(0));
        QCOMPARE(l->samples[800], 1000.0f);
    }

    void shorterThanOneSampleAt16kHzIsRefused()
    {
        // One frame at 48 kHz is a third of a 16 kHz sample: it loaded as an empty signal (0 samples,
        // a peak of -200 dBFS for a file whose sample is at -6 dBFS). Two frames make one sample.
        const std::string one = file("one-frame.wav");
        QVERIFY(writeWithSndfile(one, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 1, {0.5f}));
        QCOMPARE(probeAudio(one)->frames, std::int64_t(1));
        expectError(one, ErrorCode::BadFormat, "too short: 1 frame(s) at 48000 Hz is less than one sample at 16 kHz");
        const std::string two = file("two-frames.wav");
        QVERIFY(writeWithSndfile(two, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 1, {0.5f, 0.5f}));
        Result<DecodedAudio> r = loadAudio(two);
        QVERIFY(r.ok());
        QCOMPARE(r->samples.size(), std::size_t(1));
    }

    void missingFile() { expectError(file("nope.wav"), ErrorCode::NotFound, "no such file"); }

    void emptyFile()
    {
        writeBytes(file("empty.wav"), "");
        expectError(file("empty.wav"), ErrorCode::BadFormat, "empty file");
        QVERIFY(!probeAudio(file("empty.wav")).ok());
    }

    void truncatedHeader()
    {
        QVERIFY(writeWav16(file("full.wav"), tone(440.0, 0.5, 16000, 1000), 16000).ok());
        writeBytes(file("trunc.wav"), readBytes(file("full.wav")).substr(0, 20));
        expectError(file("trunc.wav"), ErrorCode::BadFormat, "not a sound file (libsndfile: ");
    }

    void textFileNamedWav()
    {
        writeBytes(file("text.wav"), "This is not audio at all, just a few words of plain text.\n");
        expectError(file("text.wav"), ErrorCode::BadFormat, "not a sound file (libsndfile: ");
    }

    void wavWithZeroFrames()
    {
        QVERIFY(writeWav16(file("zero.wav"), {}, 16000).ok());
        QCOMPARE(readBytes(file("zero.wav")).size(), std::size_t(44));
        expectError(file("zero.wav"), ErrorCode::BadFormat, "0 frames");
        QVERIFY(!probeAudio(file("zero.wav")).ok());
    }

    void folderIsNotASoundFile() { expectError(m_dir.path().toStdString(), ErrorCode::BadFormat, "folder"); }

    void tooLongIsRefusedBeforeDecoding()
    {
        // 8 kHz 16-bit mono, 10 min 1 s: a real file of 9.6 MB whose data is a sparse hole.
        const std::string path = file("long.wav");
        const std::size_t frames = 8000u * 601u;
        QVERIFY(writeWav16(path, {}, 8000).ok());
        std::string header = readBytes(path);
        auto put32 = [&](std::size_t at, std::uint32_t v) {
            for (int i = 0; i < 4; ++i)
                header[at + std::size_t(i)] = char((v >> (8 * i)) & 0xff);
        };
        put32(4, std::uint32_t(36 + 2 * frames));
        put32(40, std::uint32_t(2 * frames));
        writeBytes(path, header);
        QCOMPARE(::truncate(path.c_str(), off_t(44 + 2 * frames)), 0);
        Result<SourceFormat> probed = probeAudio(path);
        QVERIFY(probed.ok());  // describing a long file is fine; loading it is not
        QCOMPARE(probed->frames, std::int64_t(frames));
        expectError(path, ErrorCode::Unsupported, "too long (10 min 1 s; the limit is 10 minutes)");
    }

    void aHeaderClaimingTenMinutesCostsOnlyWhatTheFileHolds()
    {
        // A FLAC of 800 frames whose STREAMINFO claims 768 kHz x 600 s (460,800,000 frames): memory
        // must follow the 800 frames really there, not the claim (which once cost ~1 GB).
        const std::string path = file("liar.flac");
        QVERIFY(writeWithSndfile(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1, tone(440.0, 0.5, 16000, 800)));
        std::string bytes = readBytes(path);
        QCOMPARE(bytes.substr(0, 4), std::string("fLaC"));
        QCOMPARE(int(bytes[4]) & 0x7f, 0);  // the first metadata block is STREAMINFO
        // Bytes 18..25: sample rate (20 bits), channels - 1 (3), bits - 1 (5), total frames (36).
        std::uint64_t packed = 0;
        for (int i = 0; i < 8; ++i)
            packed = packed << 8 | std::uint8_t(bytes[std::size_t(18 + i)]);
        const std::uint64_t claimed = 768000ull * 600ull;
        packed = (packed & (0xffull << 36)) | claimed;                              // keep channels and bits
        packed = (packed & ~(0xfffffull << 44)) | (std::uint64_t(768000) << 44);  // the rate
        for (int i = 7; i >= 0; --i, packed >>= 8)
            bytes[std::size_t(18 + i)] = char(packed & 0xff);
        writeBytes(path, bytes);

        rusage before{};
        getrusage(RUSAGE_SELF, &before);
        Result<DecodedAudio> r = loadAudio(path);
        rusage after{};
        getrusage(RUSAGE_SELF, &after);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().describe().c_str());
        QCOMPARE(r->source.sampleRate, 768000);
        QCOMPARE(r->source.frames, std::int64_t(claimed));
        QCOMPARE(r->decodedFrames, std::int64_t(800));
        QCOMPARE(r->samples.size(), std::size_t(17));  // round(800 * 16000 / 768000)
        const long grownKiB = after.ru_maxrss - before.ru_maxrss;
        QVERIFY2(grownKiB < 64 * 1024, qPrintable(QString::number(grownKiB) + " KiB"));
    }

    void decodedFramesMatchTheHeaderOfAnHonestFile()
    {
        const std::string path = file("honest.wav");
        QVERIFY(writeWithSndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2, std::vector<float>(2 * 44100, 0.25f)));
        Result<DecodedAudio> r = loadAudio(path);
        QVERIFY(r.ok());
        QCOMPARE(r->decodedFrames, std::int64_t(44100));
        QCOMPARE(r->source.frames, std::int64_t(44100));
        QCOMPARE(r->samples.size(), std::size_t(16000));
    }

    void tooLargeIsRefusedBeforeOpening()
    {
        const std::string path = file("huge.wav");
        writeBytes(path, "RIFF");
        QCOMPARE(::truncate(path.c_str(), off_t(kMaxFileBytes + 1)), 0);
        expectError(path, ErrorCode::Unsupported, "file too large");
        ::unlink(path.c_str());
    }

    void absurdSampleRateIsRefused()
    {
        QVERIFY(writeWav16(file("rate.wav"), std::vector<float>(1000, 0.1f), 2000000).ok());
        Result<SourceFormat> probed = probeAudio(file("rate.wav"));
        QVERIFY(probed.ok());
        QCOMPARE(probed->sampleRate, 2000000);
        expectError(file("rate.wav"), ErrorCode::Unsupported, "sample rate 2000000 Hz");
    }

    void modelViewCropsOrPads()
    {
        std::vector<float> shortSignal(1000, 0.5f);
        std::vector<float> v = modelView(shortSignal);
        QCOMPARE(v.size(), kModelFrames);
        QCOMPARE(v[999], 0.5f);
        QCOMPARE(v[1000], 0.0f);
        QCOMPARE(v.back(), 0.0f);
        std::vector<float> longSignal(100000);
        for (std::size_t i = 0; i < longSignal.size(); ++i)
            longSignal[i] = float(i);
        v = modelView(longSignal);
        QCOMPARE(v.size(), kModelFrames);
        QCOMPARE(v.front(), 0.0f);
        QCOMPARE(v.back(), float(kModelFrames - 1));
    }

    void levels()
    {
        const Level l = measureLevel(tone(1000.0, 0.5, 16000, 16000));
        QVERIFY(std::fabs(l.peakDb - 20.0 * std::log10(0.5)) < 1e-3);
        QVERIFY(std::fabs(l.rmsDb - 20.0 * std::log10(0.5 / std::sqrt(2.0))) < 1e-3);
        const Level silent = measureLevel(std::vector<float>(100, 0.0f));
        QCOMPARE(silent.peakDb, -200.0);
        QCOMPARE(silent.rmsDb, -200.0);
        QCOMPARE(measureLevel({}).peakDb, -200.0);
    }
};

QTEST_GUILESS_MAIN(tst_AudioFile)
#include "tst_AudioFile.moc"
