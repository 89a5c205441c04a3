#include "util/MappedTempFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/mman.h>
#include <unistd.h>

namespace ts {

namespace {

Error failure(const std::string& what, int err, const std::string& path)
{
    return makeError(ErrorCode::WriteFailed, what + " (" + std::strerror(err) + ")", path);
}

} // namespace

Result<MappedTempFile> MappedTempFile::create(const std::string& targetPath, std::size_t bytes)
{
    if (bytes == 0)
        return makeError(ErrorCode::InvalidArgument, "cannot map an empty file", targetPath);
    std::error_code ec;
    const auto parent = std::filesystem::path(targetPath).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%08x", int(::getpid()), unsigned(std::random_device{}()));
    MappedTempFile file;
    file.m_target = targetPath;
    file.m_temp = targetPath + suffix;
    file.m_size = bytes;
    file.m_fd = ::open(file.m_temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (file.m_fd < 0)
        return failure("cannot create file", errno, targetPath);
    // posix_fallocate, not ftruncate: writing through a mapping of a sparse file on a full disk
    // would kill the process with SIGBUS instead of returning an error.
    if (const int err = ::posix_fallocate(file.m_fd, 0, off_t(bytes)); err != 0) {
        file.discard();
        return failure("cannot reserve " + std::to_string(bytes) + " bytes", err, targetPath);
    }
    void* base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, file.m_fd, 0);
    if (base == MAP_FAILED) {
        const int err = errno;
        file.discard();
        return failure("cannot map file", err, targetPath);
    }
    file.m_mapping = std::shared_ptr<char>(static_cast<char*>(base), [bytes](char* p) { ::munmap(p, bytes); });
    return file;
}

MappedTempFile::MappedTempFile(MappedTempFile&& other) noexcept
    : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)), m_fd(other.m_fd), m_size(other.m_size),
      m_mapping(std::move(other.m_mapping))
{
    other.m_fd = -1;
}

MappedTempFile& MappedTempFile::operator=(MappedTempFile&& other) noexcept
{
    if (this != &other) {
        discard();
        m_target = std::move(other.m_target);
        m_temp = std::move(other.m_temp);
        m_fd = other.m_fd;
        m_size = other.m_size;
        m_mapping = std::move(other.m_mapping);
        other.m_fd = -1;
    }
    return *this;
}

MappedTempFile::~MappedTempFile()
{
    discard();
}

void MappedTempFile::discard()
{
    if (m_fd < 0)
        return;
    ::close(m_fd);
    ::unlink(m_temp.c_str());
    m_fd = -1;
}

Status MappedTempFile::commit()
{
    if (m_fd < 0)
        return makeError(ErrorCode::Internal, "file already committed or discarded", m_target);
    if (::msync(m_mapping.get(), m_size, MS_SYNC) != 0 || ::fsync(m_fd) != 0) {
        const int err = errno;
        discard();
        return failure("cannot flush file", err, m_target);
    }
    // Readers get the finished file only: nothing writes through the mapping after this.
    ::mprotect(m_mapping.get(), m_size, PROT_READ);
    const int fd = m_fd;
    m_fd = -1;
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(m_temp.c_str());
        return failure("cannot close file", err, m_target);
    }
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        const int err = errno;
        ::unlink(m_temp.c_str());
        return failure("cannot rename file into place", err, m_target);
    }
    return {};
}

} // namespace ts
