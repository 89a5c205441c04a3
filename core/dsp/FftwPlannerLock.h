#pragma once
// FFTW's planner (fftwf_plan_*, fftwf_destroy_plan) is not thread-safe, while executing a plan is.
// Every class in core/dsp that makes or destroys a plan holds this one process-wide lock, so that two
// classes planning at the same time from different threads cannot corrupt FFTW's shared state.
//
// The seed STFT and the log-mel are planned with FFTW_MEASURE, which times candidate algorithms and
// so may pick another plan in another process; plans differ in the last bits of their results, so
// the same note gave features that were not byte-identical across runs (a resumed training was
// not a replay). FFTW_ESTIMATE is deterministic but made the seed STFT 27 % slower. Instead, the
// plans chosen are kept as FFTW wisdom in the cache folder: every later process imports them and
// makes the same plans, so the same input gives the same bytes.
#include <mutex>

namespace ts::dsp {

std::mutex& fftwPlannerMutex();

// Call with fftwPlannerMutex() held. Before planning: imports the saved wisdom once per process.
void importFftwWisdomOnce();
// After planning: saves the wisdom (atomically) when planning added to what was imported.
void saveFftwWisdomIfNew();

} // namespace ts::dsp
