#pragma once
// FFTW's planner (fftwf_plan_*, fftwf_destroy_plan) is not thread-safe, while executing a plan is.
// Every class in core/dsp that makes or destroys a plan holds this one process-wide lock, so that two
// classes planning at the same time from different threads cannot corrupt FFTW's shared state.
#include <mutex>

namespace ts::dsp {

std::mutex& fftwPlannerMutex();

} // namespace ts::dsp
