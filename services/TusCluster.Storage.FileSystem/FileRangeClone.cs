using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// ioctl(FICLONERANGE): makes a range of one file share the extents of a range of another (XFS with
/// reflink, btrfs, bcachefs, NFS 4.2 and SMB where the server can), so a concatenation writes no data
/// and needs no free space for it. Where the filesystem cannot, the caller copies; the copy is always
/// correct, so anything but a full disk is a reason to copy rather than to fail.
/// </summary>
internal static partial class FileRangeClone
{
    // _IOW(0x94, 13, struct file_clone_range) in the generic encoding (x86-64, arm64, riscv); where the
    // encoding differs (powerpc, mips, sparc) the kernel answers ENOTTY and the caller copies.
    private const nuint CloneRange = 0x4020940D;
    private const int Interrupted = 4; // EINTR

    /// <summary>
    /// Clones <paramref name="length"/> bytes of <paramref name="source"/> from <paramref name="sourceOffset"/> to
    /// <paramref name="targetOffset"/> of <paramref name="target"/>. Offsets and length must be multiples of the
    /// filesystem's block size. False when the filesystem refused (not supported, another filesystem, unaligned,
    /// not Linux): the range may then hold anything and must be copied.
    /// </summary>
    /// <exception cref="IOException">Out of space or quota for the new extent references; its HResult is the errno.</exception>
    public static bool TryClone(SafeFileHandle source, long sourceOffset, long length, SafeFileHandle target, long targetOffset)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var range = new Range
        {
            SourceDescriptor = (long)source.DangerousGetHandle(),
            SourceOffset = (ulong)sourceOffset,
            Length = (ulong)length,
            TargetOffset = (ulong)targetOffset,
        };
        while (Ioctl((int)target.DangerousGetHandle(), CloneRange, ref range) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            switch (errno)
            {
                case Interrupted:
                    continue;
                case UnixFiles.NoSpace or UnixFiles.QuotaExceeded:
                    // A copy would need far more room than the references did: answer 507, as a copy that ran out would.
                    throw new IOException($"FICLONERANGE failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                default:
                    // EOPNOTSUPP, EXDEV, EINVAL, ENOTTY, EBADF, EPERM, ETXTBSY, EIO...: a real fault shows again in the copy.
                    return false;
            }
        }

        return true;
    }

    /// <summary>struct file_clone_range from linux/fs.h: s64 src_fd, then u64 src_offset, src_length, dest_offset.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Range
    {
        public long SourceDescriptor;
        public ulong SourceOffset;
        public ulong Length;
        public ulong TargetOffset;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int descriptor, nuint request, ref Range range);
}
