// Splits: exact sizes of the seed policy in file order, disjoint parts covering every usable note,
// family stratification, instruments never on two sides, seeds that reproduce and differ, and an
// error for sets too small to split.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/NsynthFixture.h"
#include "dataset/Split.h"

using namespace ts;
using namespace ts::dataset;
namespace fx = nsynthfixture;

namespace {

std::vector<std::size_t> range(std::size_t from, std::size_t to)
{
    std::vector<std::size_t> v;
    for (std::size_t i = from; i < to; ++i)
        v.push_back(i);
    return v;
}

std::set<int> instrumentsOf(const Dataset& ds, const std::vector<std::size_t>& part)
{
    std::set<int> s;
    for (std::size_t i : part)
        s.insert(ds.notes()[i].instrument);
    return s;
}

std::map<int, std::size_t> familyCounts(const Dataset& ds, const std::vector<std::size_t>& part)
{
    std::map<int, std::size_t> m;
    for (std::size_t i : part)
        ++m[ds.notes()[i].family];
    return m;
}

} // namespace

class tst_Split : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    Dataset m_big;  // 6 families × 8 instruments × 10 notes = 480 notes; bass has 16 instruments

    Dataset load(const std::string& name, const std::vector<fx::Note>& notes, const std::set<std::string>& without = {})
    {
        const std::string folder = m_tmp.path().toStdString() + "/" + name;
        if (!fx::write(folder, notes, 16, without))
            qFatal("cannot write fixture");
        auto ds = Dataset::load(folder);
        if (!ds)
            qFatal("%s", ds.error().describe().c_str());
        return std::move(ds).value();
    }

    // Every usable note in exactly one part; parts sorted (file order).
    void checkPartition(const Dataset& ds, const Split& s)
    {
        std::vector<std::size_t> all;
        for (const auto* part : {&s.train, &s.validation, &s.test}) {
            QVERIFY(!part->empty());
            QVERIFY(std::is_sorted(part->begin(), part->end()));
            all.insert(all.end(), part->begin(), part->end());
        }
        std::sort(all.begin(), all.end());
        QCOMPARE(all, ds.usableIndices());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        auto notes = fx::grid({0, 0, 3, 4, 8, 10}, 8, {40, 50, 60, 70, 80}, {50, 100});
        m_big = load("big", notes);
        QCOMPARE(m_big.size(), std::size_t(480));
    }

    void policyNames()
    {
        QCOMPARE(splitPolicyName(SplitPolicy::Seed), std::string("seed"));
        QCOMPARE(splitPolicyName(SplitPolicy::Random), std::string("random"));
        QCOMPARE(splitPolicyName(SplitPolicy::Instrument), std::string("instrument"));
        QCOMPARE(*parseSplitPolicy("random"), SplitPolicy::Random);
        QVERIFY(!parseSplitPolicy("Random").has_value());
        QVERIFY(!parseSplitPolicy("").has_value());
    }

    void seedIsFirstThreeQuartersInFileOrder()
    {
        // 4,096 notes as in nsynth-test: 3,072 / 1,024, validation the last 15 % (460) of training.
        auto notes = fx::grid({0, 3, 4, 8}, 22, {30, 40, 50, 60, 70, 80, 90, 100}, {25, 50, 75, 100, 126, 127});
        notes.resize(4096);
        const Dataset ds = load("seed4096", notes);
        SplitOptions o;
        o.policy = SplitPolicy::Seed;
        auto s = makeSplit(ds, o);
        QVERIFY(s.ok());
        QCOMPARE(s->train, range(0, 2612));
        QCOMPARE(s->validation, range(2612, 3072));
        QCOMPARE(s->test, range(3072, 4096));
        // The seed policy ignores the seed.
        o.seed = 99;
        QCOMPARE(makeSplit(ds, o)->test, range(3072, 4096));
    }

    void seedSkipsMissingWavs()
    {
        auto notes = fx::grid({3}, 1, {40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50}, {100});  // 11 notes
        const Dataset ds = load("seedmissing", notes, {notes[0].noteStr(), notes[9].noteStr()});
        SplitOptions o;
        o.policy = SplitPolicy::Seed;
        auto s = makeSplit(ds, o);
        QVERIFY(s.ok());
        // 9 usable: int(9 × 0.75) = 6 training side, max(1, int(6 × 0.15)) = 1 validation.
        QCOMPARE(s->train, (std::vector<std::size_t>{1, 2, 3, 4, 5}));
        QCOMPARE(s->validation, (std::vector<std::size_t>{6}));
        QCOMPARE(s->test, (std::vector<std::size_t>{7, 8, 10}));
    }

    void randomIsStratifiedAndSeeded()
    {
        SplitOptions o;
        o.policy = SplitPolicy::Random;
        o.seed = 7;
        auto s = makeSplit(m_big, o);
        QVERIFY(s.ok());
        checkPartition(m_big, *s);
        QCOMPARE(s->test.size(), std::size_t(120));
        QCOMPARE(s->validation.size(), std::size_t(54));  // round(360 × 0.15)
        // Each family's share of the test set is its share of the data: bass 160 → 40, others 80 → 20.
        const auto test = familyCounts(m_big, s->test);
        QCOMPARE(test.at(0), std::size_t(40));
        for (int f : {3, 4, 8, 10})
            QCOMPARE(test.at(f), std::size_t(20));
        const auto val = familyCounts(m_big, s->validation);
        for (const auto& [f, count] : val)
            QVERIFY(std::fabs(double(count) - 54.0 * (f == 0 ? 2.0 : 1.0) / 6.0) <= 1.0);

        auto again = makeSplit(m_big, o);
        QCOMPARE(again->train, s->train);
        QCOMPARE(again->validation, s->validation);
        QCOMPARE(again->test, s->test);
        o.seed = 8;
        auto other = makeSplit(m_big, o);
        QVERIFY(other->test != s->test);
        QCOMPARE(other->test.size(), s->test.size());
        // Random, not positional: the test part is spread over the file.
        QVERIFY(s->test.front() < 60);
        QVERIFY(s->test.back() > 420);
    }

    void instrumentKeepsInstrumentsApart()
    {
        SplitOptions o;
        o.policy = SplitPolicy::Instrument;
        o.seed = 3;
        auto s = makeSplit(m_big, o);
        QVERIFY(s.ok());
        checkPartition(m_big, *s);
        const auto tr = instrumentsOf(m_big, s->train);
        const auto va = instrumentsOf(m_big, s->validation);
        const auto te = instrumentsOf(m_big, s->test);
        for (const auto& [a, b] : {std::pair{&tr, &va}, std::pair{&tr, &te}, std::pair{&va, &te}}) {
            std::vector<int> common;
            std::set_intersection(a->begin(), a->end(), b->begin(), b->end(), std::back_inserter(common));
            QVERIFY(common.empty());
        }
        // Whole instruments of 10 notes: every family gets its 25 % (bass 4 of 16 instruments, the
        // others 2 of 8), exactly, because the shares are multiples of 10.
        QCOMPARE(s->test.size(), std::size_t(120));
        const auto test = familyCounts(m_big, s->test);
        QCOMPARE(test.at(0), std::size_t(40));
        for (int f : {3, 4, 8, 10})
            QCOMPARE(test.at(f), std::size_t(20));
        // Validation: 15 % of the 360 left = 54 notes, in whole instruments per family.
        QVERIFY(s->validation.size() >= 40 && s->validation.size() <= 70);
        QVERIFY(familyCounts(m_big, s->validation).size() >= 4);

        auto again = makeSplit(m_big, o);
        QCOMPARE(again->test, s->test);
        QCOMPARE(again->validation, s->validation);
        o.seed = 4;
        QVERIFY(makeSplit(m_big, o)->test != s->test);
    }

    void finalTrainsEveryInstrumentButValidation()
    {
        QCOMPARE(*parseSplitPolicy("final"), SplitPolicy::Final);
        QCOMPARE(splitPolicyName(SplitPolicy::Final), std::string("final"));
        SplitOptions o;
        o.policy = SplitPolicy::Final;
        auto s = makeSplit(m_big, o);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().describe().c_str());
        std::vector<std::size_t> all = s->train;
        all.insert(all.end(), s->validation.begin(), s->validation.end());
        std::sort(all.begin(), all.end());
        QCOMPARE(all, m_big.usableIndices());
        // No test part: 480 notes, 15 % of them (72) for validation in whole instruments of 10.
        QVERIFY(s->test.empty());
        QCOMPARE(s->train.size() + s->validation.size(), std::size_t(480));
        QVERIFY(s->validation.size() >= 60 && s->validation.size() <= 90);
        std::vector<int> common;
        const auto tr = instrumentsOf(m_big, s->train);
        const auto va = instrumentsOf(m_big, s->validation);
        std::set_intersection(tr.begin(), tr.end(), va.begin(), va.end(), std::back_inserter(common));
        QVERIFY(common.empty());
        // The shipped-model split trains on more instruments than the instrument split does.
        o.policy = SplitPolicy::Instrument;
        QVERIFY(makeSplit(m_big, o)->train.size() < s->train.size());
    }

    void instrumentWithOneInstrumentPerFamily()
    {
        // Stratification cannot work (each family is one instrument); the split still holds
        // instruments apart and gives every part at least one instrument.
        auto notes = fx::grid({0, 1, 2, 3, 4}, 1, {40, 50, 60, 70}, {100});
        const Dataset ds = load("onePerFamily", notes);
        SplitOptions o;
        o.policy = SplitPolicy::Instrument;
        auto s = makeSplit(ds, o);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().describe().c_str());
        checkPartition(ds, *s);
        QCOMPARE(instrumentsOf(ds, s->test).size() + instrumentsOf(ds, s->validation).size()
                     + instrumentsOf(ds, s->train).size(),
                 std::size_t(5));
    }

    void tooSmall()
    {
        auto notes = fx::grid({3}, 2, {40}, {100});  // 2 notes, 2 instruments
        const Dataset ds = load("tiny", notes);
        for (SplitPolicy p : {SplitPolicy::Seed, SplitPolicy::Random, SplitPolicy::Instrument}) {
            SplitOptions o;
            o.policy = p;
            auto s = makeSplit(ds, o);
            QVERIFY(!s.ok());
            QCOMPARE(int(s.error().code), int(ErrorCode::Unsupported));
            QVERIFY(QString::fromStdString(s.error().describe()).contains("too small to split"));
        }
        // Many notes but two instruments: only the instrument policy refuses.
        const Dataset two = load("twoInstruments", fx::grid({3}, 2, {40, 41, 42, 43, 44, 45}, {100}));
        SplitOptions o;
        o.policy = SplitPolicy::Instrument;
        auto s = makeSplit(two, o);
        QVERIFY(!s.ok());
        QVERIFY(QString::fromStdString(s.error().message).contains("2 instruments"));
        o.policy = SplitPolicy::Random;
        QVERIFY(makeSplit(two, o).ok());
    }

    void badFractions()
    {
        SplitOptions o;
        o.testFraction = 0.0;
        QVERIFY(!makeSplit(m_big, o).ok());
        o.testFraction = 1.0;
        QVERIFY(!makeSplit(m_big, o).ok());
        o.testFraction = 0.25;
        o.validationFraction = -0.1;
        QVERIFY(!makeSplit(m_big, o).ok());
        o.validationFraction = 0.0;
        auto s = makeSplit(m_big, o);
        QVERIFY(s.ok());
        QVERIFY(s->validation.empty());
    }
};

QTEST_GUILESS_MAIN(tst_Split)
#include "tst_Split.moc"
