#pragma once
// Where the plot area sits inside the waveform and spectrogram views, in pixels. Both views use
// the same left and right margins, so that stacked one above the other a moment in time is at the
// same x in both (the right margin holds the spectrogram's colour bar and its dB labels).
#include <QRect>
#include <QSize>

#include <algorithm>

namespace ts::ui::PlotMargins {

inline constexpr int kLeft = 62;
inline constexpr int kRight = 78;
inline constexpr int kTop = 16;
inline constexpr int kBottom = 38;

// The plot area of a view of `size` (never narrower or lower than one pixel).
inline QRect plotRect(QSize size)
{
    return QRect(kLeft, kTop, std::max(1, size.width() - kLeft - kRight), std::max(1, size.height() - kTop - kBottom));
}

} // namespace ts::ui::PlotMargins
