#pragma once
// Where the plot area sits inside the waveform and spectrogram views, in pixels. Both views use
// the same left and right margins, so that stacked one above the other a moment in time is at the
// same x in both (the right margin holds the spectrogram's colour bar and its dB labels).
namespace ts::ui::PlotMargins {

inline constexpr int kLeft = 62;
inline constexpr int kRight = 78;
inline constexpr int kTop = 16;
inline constexpr int kBottom = 38;

} // namespace ts::ui::PlotMargins
