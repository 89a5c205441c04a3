// core/ml's fast layers give what LibTorch's own ops give: max-pool + ReLU in value and gradient
// (ties and odd sizes included), dropout in distribution, repeatable and thread-count independent;
// seed-cnn2d (channels-last, fused layers) computes Keras' Conv2D(relu) + MaxPool chain exactly.
#include <QtTest>

#include <torch/torch.h>

#include "ml/detail/FastLayers.h"
#include "ml/detail/Network.h"

using namespace ts::ml;

namespace {

// Values from {-2, -1, 0, 1, 2} make ties and non-positive windows common.
torch::Tensor tiedValues(std::vector<std::int64_t> shape)
{
    return torch::randint(-2, 3, shape, torch::kFloat32);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

} // namespace

class tst_FastLayers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::manual_seed(7); }

    void maxPoolRelu2dMatchesLibTorch_data()
    {
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("channelsLast");
        QTest::addColumn<bool>("ties");
        QTest::newRow("even, NCHW") << 8 << 6 << false << false;
        QTest::newRow("odd, NCHW") << 9 << 7 << false << false;
        QTest::newRow("odd, channels-last") << 9 << 7 << true << false;
        QTest::newRow("odd, channels-last, ties") << 11 << 5 << true << true;
        QTest::newRow("even, NCHW, ties") << 6 << 4 << false << true;
    }
    void maxPoolRelu2dMatchesLibTorch()
    {
        QFETCH(int, height);
        QFETCH(int, width);
        QFETCH(bool, channelsLast);
        QFETCH(bool, ties);
        auto base = ties ? tiedValues({3, 5, height, width}) : torch::randn({3, 5, height, width});
        if (channelsLast)
            base = base.contiguous(torch::MemoryFormat::ChannelsLast);
        auto x = base.clone().requires_grad_(true);
        auto reference = base.clone().requires_grad_(true);
        auto y = maxPoolRelu2d(x);
        auto expected = torch::max_pool2d(torch::relu(reference), 2);  // Keras' order: ReLU, then pool
        QCOMPARE(y.sizes().vec(), expected.sizes().vec());
        QCOMPARE(maxAbsDiff(y, expected), 0.0);
        auto upstream = torch::randn(y.sizes());
        y.backward(upstream);
        torch::relu(torch::max_pool2d(reference, 2)).backward(upstream);  // LibTorch's gradient routing
        QCOMPARE(maxAbsDiff(x.grad(), reference.grad()), 0.0);
        // The row and column no window covers get no gradient.
        QCOMPARE(x.grad().narrow(2, height - height % 2, height % 2).abs().sum().item<double>(), 0.0);
    }

    void maxPoolRelu1dMatchesLibTorch_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<bool>("ties");
        QTest::newRow("even") << 64 << false;
        QTest::newRow("odd") << 31 << false;
        QTest::newRow("odd, ties") << 33 << true;
    }
    void maxPoolRelu1dMatchesLibTorch()
    {
        QFETCH(int, length);
        QFETCH(bool, ties);
        auto base = ties ? tiedValues({4, 3, length}) : torch::randn({4, 3, length});
        auto x = base.clone().requires_grad_(true);
        auto reference = base.clone().requires_grad_(true);
        auto y = maxPoolRelu1d(x);
        auto expected = torch::relu(torch::max_pool1d(reference, 2));
        QCOMPARE(maxAbsDiff(y, expected), 0.0);
        auto upstream = torch::randn(y.sizes());
        y.backward(upstream);
        expected.backward(upstream);
        QCOMPARE(maxAbsDiff(x.grad(), reference.grad()), 0.0);
    }

    void dropoutKeepsTheRateAndScale()
    {
        const auto x = torch::ones({1000, 1000});
        for (double p : {0.25, 0.625}) {
            const auto y = fastDropout(x, p, true);
            const double dropped = y.eq(0).to(torch::kFloat64).mean().item<double>();
            // 1e6 Bernoulli draws: the standard deviation of the rate is below 5e-4.
            QVERIFY2(std::abs(dropped - p) < 0.003, qPrintable(QString("rate %1 for p %2").arg(dropped).arg(p)));
            const auto kept = y.masked_select(y.ne(0));
            QCOMPARE(kept.min().item<float>(), float(1.0 / (1.0 - p)));
            QCOMPARE(kept.max().item<float>(), float(1.0 / (1.0 - p)));
        }
        QVERIFY(fastDropout(x, 0.5, false).equal(x));
        QCOMPARE(chainedDropoutRate(0.25, 0.5), 0.625);
    }

    void dropoutIsRepeatableAndThreadIndependent()
    {
        const auto x = torch::randn({64, 5000});
        const int threads = torch::get_num_threads();
        torch::manual_seed(3);
        torch::set_num_threads(1);
        const auto one = fastDropout(x, 0.5, true);
        torch::manual_seed(3);
        torch::set_num_threads(2);
        const auto two = fastDropout(x, 0.5, true);
        const auto next = fastDropout(x, 0.5, true);
        torch::set_num_threads(threads);
        QVERIFY(one.equal(two));
        QVERIFY(!two.equal(next));  // each call draws a new mask
        // Gradient flows through the kept elements only, scaled as the values.
        auto v = torch::ones({8, 100}, torch::requires_grad());
        auto y = fastDropout(v, 0.5, true);
        y.sum().backward();
        QVERIFY(v.grad().equal(y.detach()));
    }

    void seedCnn2dIsKerasConvReluPoolChain()
    {
        auto net = makeNetwork("seed-cnn2d");
        net->eval();
        torch::NoGradGuard noGrad;
        const auto x = torch::rand({2, 499, 129}) * 10.0;
        const auto params = net->named_parameters();
        auto h = x.view({2, 1, 499, 129});
        for (const char* conv : {"conv1", "conv2", "conv3"}) {
            const auto w = params[std::string(conv) + ".weight"].contiguous();  // plain NCHW, no oneDNN layout tricks
            h = torch::max_pool2d(torch::relu(torch::conv2d(h, w, params[std::string(conv) + ".bias"])), 2);
        }
        const auto expected = torch::linear(h.flatten(1), params["dense.weight"], params["dense.bias"]);
        const auto logits = net->forward(x)[0];
        QVERIFY2(maxAbsDiff(logits, expected) < 1e-4 * (1.0 + expected.abs().max().item<double>()),
                 qPrintable(QString("max diff %1").arg(maxAbsDiff(logits, expected))));
    }
};

QTEST_GUILESS_MAIN(tst_FastLayers)
#include "tst_FastLayers.moc"
