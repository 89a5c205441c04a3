#include "dsp/FftwPlannerLock.h"

namespace ts::dsp {

std::mutex& fftwPlannerMutex()
{
    static std::mutex mutex;
    return mutex;
}

} // namespace ts::dsp
