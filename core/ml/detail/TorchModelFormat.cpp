#include "ml/detail/TorchModelFormat.h"

#include <cmath>
#include <cstring>
#include <set>
#include <sstream>

#include "ml/Safetensors.h"
#include "ml/detail/Network.h"

namespace ts::ml {

namespace {

constexpr const char* kWeightsSection = "the weights section";
constexpr const char* kResumeSection = "the resume state section";

torch::Dtype torchTypeOf(TensorType type)
{
    switch (type) {
    case TensorType::F32: return torch::kFloat32;
    case TensorType::F64: return torch::kFloat64;
    case TensorType::I64: return torch::kInt64;
    }
    return torch::kFloat32;
}

// The layout's name of a torch dtype; false for one a model file cannot hold.
bool storedTypeOf(torch::ScalarType type, TensorType& stored)
{
    if (type == torch::kFloat32)
        stored = TensorType::F32;
    else if (type == torch::kFloat64)
        stored = TensorType::F64;
    else if (type == torch::kInt64)
        stored = TensorType::I64;
    else
        return false;
    return true;
}

// A CPU copy of the tensor, contiguous (row-major) whatever its memory format, as the layout stores it.
StoredTensor toStored(const torch::Tensor& tensor)
{
    const auto t = tensor.detach().to(torch::kCPU).contiguous();
    StoredTensor stored;
    TORCH_CHECK(storedTypeOf(t.scalar_type(), stored.type), "a model file cannot hold a tensor of type ", t.scalar_type());
    stored.shape.assign(t.sizes().begin(), t.sizes().end());
    stored.bytes.assign(static_cast<const char*>(t.data_ptr()), t.nbytes());
    return stored;
}

// A tensor of its own built from the parsed bytes (a copy: the archive's buffers may go away, and
// need not be aligned for the type).
torch::Tensor fromStored(const StoredTensor& stored)
{
    auto t = torch::empty(stored.shape, torch::TensorOptions().dtype(torchTypeOf(stored.type)));
    if (!stored.bytes.empty())
        std::memcpy(t.data_ptr(), stored.bytes.data(), stored.bytes.size());
    return t;
}

std::string shapeText(c10::IntArrayRef shape)
{
    std::ostringstream text;
    text << shape;
    return text.str();
}

// The tensor `name` of `archive`, checked against `like`'s shape and dtype.
Result<torch::Tensor> tensorFor(const TensorArchive& archive, const std::string& name, const torch::Tensor& like,
                                const std::string& section, const std::string& path)
{
    const auto it = archive.tensors.find(name);
    if (it == archive.tensors.end())
        return makeError(ErrorCode::BadFormat, section + " lacks " + name, path);
    auto t = fromStored(it->second);
    if (t.sizes() != like.sizes())
        return makeError(ErrorCode::BadFormat, section + ": " + name + " has the wrong shape (" + shapeText(t.sizes()) +
                             ", the network's is " + shapeText(like.sizes()) + ")", path);
    TensorType wanted = TensorType::F32;
    if (!storedTypeOf(like.scalar_type(), wanted) || wanted != it->second.type)
        return makeError(ErrorCode::BadFormat, section + ": " + name + " is " + tensorTypeName(it->second.type) + ", not " +
                             tensorTypeName(wanted), path);
    return t;
}

TensorArchive moduleTensors(torch::nn::Module& module)
{
    TensorArchive archive;
    for (const auto& p : module.named_parameters())
        archive.tensors["param." + p.key()] = toStored(p.value());
    for (const auto& b : module.named_buffers())
        archive.tensors["buffer." + b.key()] = toStored(b.value());
    return archive;
}

// Copies the archive's param./buffer. tensors into the module; `used` collects their names.
Status copyIntoModule(torch::nn::Module& module, const TensorArchive& archive, const std::string& section,
                      const std::string& path, std::set<std::string>& used)
{
    torch::NoGradGuard noGrad;
    auto copy = [&](const std::string& name, torch::Tensor target) -> Status {
        auto value = tensorFor(archive, name, target, section, path);
        if (!value)
            return value.error();
        target.copy_(value.value());
        used.insert(name);
        return {};
    };
    for (auto& p : module.named_parameters())
        if (auto s = copy("param." + p.key(), p.value()); !s)
            return s;
    for (auto& b : module.named_buffers())
        if (auto s = copy("buffer." + b.key(), b.value()); !s)
            return s;
    return {};
}

// A tensor the reader does not know is refused: it would be a file for another network, or damage.
Status refuseUnknown(const TensorArchive& archive, const std::set<std::string>& used, const std::string& section,
                     const std::string& path)
{
    for (const auto& entry : archive.tensors)
        if (!used.count(entry.first))
            return makeError(ErrorCode::BadFormat, section + " holds " + entry.first + ", which this network does not have", path);
    return {};
}

std::string encoded(const TensorArchive& archive)
{
    auto bytes = encodeSafetensors(archive);
    // Every tensor came from toStored, so its bytes always match its shape and type.
    TORCH_CHECK(bytes.ok(), bytes.ok() ? "" : bytes.error().message);
    return std::move(bytes).value();
}

// Format 1: LibTorch's archive, read for files written before format 2 (and only for those).
Status loadLegacyModuleBytes(torch::nn::Module& module, const std::string& bytes, const std::string& path)
{
    try {
        std::istringstream in(bytes);
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        torch::NoGradGuard noGrad;
        auto copyInto = [&](const std::string& key, torch::Tensor target) -> Status {
            torch::Tensor value;
            if (!archive.try_read(key, value))
                return makeError(ErrorCode::BadFormat, "model weights lack " + key, path);
            if (value.sizes() != target.sizes())
                return makeError(ErrorCode::BadFormat, "model weights " + key + " have the wrong shape", path);
            target.copy_(value);
            return {};
        };
        for (auto& p : module.named_parameters())
            if (auto s = copyInto("param." + p.key(), p.value()); !s)
                return s;
        for (auto& b : module.named_buffers())
            if (auto s = copyInto("buffer." + b.key(), b.value()); !s)
                return s;
        return {};
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::BadFormat, std::string("model weights cannot be read: ") + e.what_without_backtrace(), path);
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadFormat, std::string("model weights cannot be read: ") + e.what(), path);
    }
}

// Format 1's resume state: u64 length, the module's LibTorch archive, then Adam's own archive.
Status loadLegacyResumeState(torch::nn::Module& module, torch::optim::Adam& optimizer, const std::string& state,
                             const std::string& path)
{
    std::uint64_t size = 0;
    std::memcpy(&size, state.data(), sizeof size);
    if (size > state.size() - sizeof size)
        return makeError(ErrorCode::BadFormat, "checkpoint resume state is damaged", path);
    if (auto s = loadLegacyModuleBytes(module, state.substr(sizeof size, size), path); !s)
        return s;
    try {
        std::istringstream in(state.substr(sizeof size + size));
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        optimizer.load(archive);
    } catch (const c10::Error& e) {
        return makeError(ErrorCode::BadFormat, std::string("checkpoint optimizer state cannot be read: ") +
                             e.what_without_backtrace(), path);
    }
    return {};
}

std::string stateKey(const torch::Tensor& parameter)
{
    // The key LibTorch's optimizers file a parameter's state under.
    return c10::guts::to_string(parameter.unsafeGetTensorImpl());
}

// Adam's state for one parameter from the archive, or null when the archive has none for it (a
// parameter that has not had a step yet). Its moments keep the parameter's memory format, as Adam's
// own first step would have made them.
Result<std::unique_ptr<torch::optim::AdamParamState>> adamStateFor(const TensorArchive& archive, const std::string& name,
                                                                   const torch::Tensor& parameter, const std::string& path,
                                                                   std::set<std::string>& used)
{
    const std::string step = "adam.step." + name, mean = "adam.exp_avg." + name, square = "adam.exp_avg_sq." + name,
                      maxSquare = "adam.max_exp_avg_sq." + name;
    if (!archive.tensors.count(step) && !archive.tensors.count(mean) && !archive.tensors.count(square))
        return std::unique_ptr<torch::optim::AdamParamState>();
    auto stepValue = tensorFor(archive, step, torch::zeros({}, torch::kInt64), kResumeSection, path);
    if (!stepValue)
        return stepValue.error();
    const auto steps = stepValue->item<std::int64_t>();
    if (steps < 0)
        return makeError(ErrorCode::BadFormat, std::string(kResumeSection) + ": " + step + " is negative", path);
    auto state = std::make_unique<torch::optim::AdamParamState>();
    state->step(steps);
    used.insert(step);
    auto moment = [&](const std::string& key) -> Result<torch::Tensor> {
        auto value = tensorFor(archive, key, parameter, kResumeSection, path);
        if (!value)
            return value.error();
        used.insert(key);
        return torch::empty_like(parameter, torch::MemoryFormat::Preserve).copy_(value.value());
    };
    auto m = moment(mean);
    auto v = moment(square);
    if (!m)
        return m.error();
    if (!v)
        return v.error();
    state->exp_avg(m.value());
    state->exp_avg_sq(v.value());
    if (archive.tensors.count(maxSquare)) {
        auto w = moment(maxSquare);
        if (!w)
            return w.error();
        state->max_exp_avg_sq(w.value());
    }
    return state;
}

} // namespace

std::string saveModuleBytes(torch::nn::Module& module)
{
    return encoded(moduleTensors(module));
}

Status loadModuleBytes(torch::nn::Module& module, const std::string& bytes, std::uint32_t formatVersion, const std::string& path)
{
    if (formatVersion == 1)
        return loadLegacyModuleBytes(module, bytes, path);
    auto archive = decodeSafetensors(bytes, path, kWeightsSection);
    if (!archive)
        return archive.error();
    std::set<std::string> used;
    if (auto s = copyIntoModule(module, archive.value(), kWeightsSection, path, used); !s)
        return s;
    return refuseUnknown(archive.value(), used, kWeightsSection, path);
}

std::string saveResumeState(torch::nn::Module& module, torch::optim::Adam& optimizer)
{
    TensorArchive archive = moduleTensors(module);
    const auto& states = optimizer.state();
    for (const auto& p : module.named_parameters()) {
        const auto it = states.find(stateKey(p.value()));
        if (it == states.end())
            continue;
        const auto& state = static_cast<const torch::optim::AdamParamState&>(*it->second);
        archive.tensors["adam.step." + p.key()] = toStored(torch::tensor(state.step(), torch::kInt64).reshape({}));
        archive.tensors["adam.exp_avg." + p.key()] = toStored(state.exp_avg());
        archive.tensors["adam.exp_avg_sq." + p.key()] = toStored(state.exp_avg_sq());
        if (state.max_exp_avg_sq().defined())
            archive.tensors["adam.max_exp_avg_sq." + p.key()] = toStored(state.max_exp_avg_sq());
    }
    // One parameter group: the trainer gives Adam the network's parameters together.
    archive.tensors["adam.lr"] = toStored(torch::tensor(optimizer.param_groups().at(0).options().get_lr(), torch::kFloat64).reshape({}));
    return encoded(archive);
}

Status loadResumeState(torch::nn::Module& module, torch::optim::Adam& optimizer, const std::string& state,
                       std::uint32_t formatVersion, const std::string& path)
{
    if (state.size() < sizeof(std::uint64_t))
        return makeError(ErrorCode::BadFormat, "not a checkpoint (it holds no resume state)", path);
    if (formatVersion == 1)
        return loadLegacyResumeState(module, optimizer, state, path);
    auto archive = decodeSafetensors(state, path, kResumeSection);
    if (!archive)
        return archive.error();
    std::set<std::string> used;
    if (auto s = copyIntoModule(module, archive.value(), kResumeSection, path, used); !s)
        return s;
    torch::NoGradGuard noGrad;
    auto lr = tensorFor(archive.value(), "adam.lr", torch::zeros({}, torch::kFloat64), kResumeSection, path);
    if (!lr)
        return lr.error();
    const double rate = lr->item<double>();
    if (!(rate > 0.0) || !std::isfinite(rate))
        return makeError(ErrorCode::BadFormat, std::string(kResumeSection) + ": adam.lr is not a positive number", path);
    used.insert("adam.lr");
    std::vector<std::pair<std::string, std::unique_ptr<torch::optim::AdamParamState>>> states;
    for (auto& p : module.named_parameters()) {
        auto s = adamStateFor(archive.value(), p.key(), p.value(), path, used);
        if (!s)
            return s.error();
        if (s.value())
            states.emplace_back(stateKey(p.value()), std::move(s).value());
    }
    if (auto s = refuseUnknown(archive.value(), used, kResumeSection, path); !s)
        return s;
    // Nothing of the optimizer changes until the whole state has been read and checked.
    optimizer.state().clear();
    for (auto& [key, s] : states)
        optimizer.state()[key] = std::move(s);
    for (auto& group : optimizer.param_groups())
        group.options().set_lr(rate);
    return {};
}

Result<ModelFile> convertToCurrentFormat(const ModelFile& file, const Architecture& architecture, const std::string& path)
{
    if (file.metadata.formatVersion == kModelFormatVersion)
        return file;
    auto network = makeNetwork(architecture);
    if (!network)
        return makeError(ErrorCode::Unsupported, "unknown model architecture '" + architecture.id + "'", path);
    ModelFile converted = file;
    converted.metadata.formatVersion = kModelFormatVersion;
    if (auto s = loadModuleBytes(*network, file.weights, file.metadata.formatVersion, path); !s)
        return s.error();
    converted.weights = saveModuleBytes(*network);
    if (!file.resumeState.empty()) {
        auto current = makeNetwork(architecture);
        torch::optim::Adam optimizer(current->parameters(), torch::optim::AdamOptions(file.metadata.learningRate));
        if (auto s = loadResumeState(*current, optimizer, file.resumeState, file.metadata.formatVersion, path); !s)
            return s.error();
        converted.resumeState = saveResumeState(*current, optimizer);
    }
    return converted;
}

} // namespace ts::ml
