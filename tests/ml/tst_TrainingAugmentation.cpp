// timbre-net's training augmentation: frequency MixStyle trades exactly the per-band statistics
// (mean and spread over time) between notes and keeps each note's normalised shape; the whole
// augmentation keeps the batch's shape and the silence floor, and a share of 0 never mixes.
#include <QtTest>

#include <torch/torch.h>

#include "ml/detail/TrainingAugmentation.h"

using namespace ts::ml;

namespace {

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

// Two notes of 40 frames x 6 bands with different per-band levels and spreads.
torch::Tensor twoNotes()
{
    auto t = torch::linspace(0.0, 1.0, 40).view({1, 40, 1});
    auto a = -60.0 + 20.0 * torch::sin(6.0 * t + torch::arange(6).view({1, 1, 6}));
    auto b = -30.0 + 5.0 * torch::cos(11.0 * t) - 3.0 * torch::arange(6).view({1, 1, 6});
    return torch::cat({a, b}, 0).to(torch::kFloat32);
}

torch::Tensor normalisedPerBand(const torch::Tensor& x)
{
    return (x - x.mean(1, true)) / (x.var(1, false, true) + 1e-3).sqrt();
}

} // namespace

class tst_TrainingAugmentation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(3); }

    void weightOneKeepsEachNote()
    {
        const auto x = twoNotes();
        const auto y = mixBandStatistics(x, torch::ones({2}), torch::tensor({1, 0}));
        QVERIFY(maxAbsDiff(x, y) < 1e-4);
    }

    void weightZeroTakesTheOtherNotesBandStatistics()
    {
        const auto x = twoNotes();
        const auto y = mixBandStatistics(x, torch::zeros({2}), torch::tensor({1, 0}));
        // Note 0 now has note 1's per-band mean and spread, note 1 note 0's ...
        QVERIFY(maxAbsDiff(y[0].mean(0), x[1].mean(0)) < 1e-3);
        QVERIFY(maxAbsDiff(y[1].mean(0), x[0].mean(0)) < 1e-3);
        QVERIFY(maxAbsDiff(y[0].std(0, false), x[1].std(0, false)) < 1e-3);
        QVERIFY(maxAbsDiff(y[1].std(0, false), x[0].std(0, false)) < 1e-3);
        // ... and each keeps its own shape in time.
        QVERIFY(maxAbsDiff(normalisedPerBand(y), normalisedPerBand(x)) < 1e-3);
    }

    void halfWeightMixesHalfway()
    {
        const auto x = twoNotes();
        const auto y = mixBandStatistics(x, torch::full({2}, 0.5), torch::tensor({1, 0}));
        const auto halfway = 0.5 * (x[0].mean(0) + x[1].mean(0));
        QVERIFY(maxAbsDiff(y[0].mean(0), halfway) < 1e-3);
        QVERIFY(maxAbsDiff(y[1].mean(0), halfway) < 1e-3);
    }

    void augmentationKeepsShapeAndFloor()
    {
        auto x = torch::full({8, 251, 64}, -100.0);
        x.narrow(1, 20, 150).copy_(-40.0 + 10.0 * torch::rand({8, 150, 64}));
        for (double share : {0.0, 1.0}) {
            const auto y = augmentLogMel(x, share);
            QCOMPARE(y.sizes().vec(), x.sizes().vec());
            QVERIFY(y.min().item<double>() >= -100.0);
            QVERIFY(torch::isfinite(y).all().item<bool>());
        }
    }
};

QTEST_APPLESS_MAIN(tst_TrainingAugmentation)
#include "tst_TrainingAugmentation.moc"
