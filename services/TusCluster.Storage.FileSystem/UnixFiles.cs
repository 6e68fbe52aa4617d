using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TusCluster.Storage.FileSystem;

/// <summary>The few POSIX calls the store needs that .NET does not offer: flock, statx identity and block size, access.</summary>
internal static partial class UnixFiles
{
    public const int NoSpace = 28; // ENOSPC
    public const int QuotaExceeded = 122; // EDQUOT
    private const int WouldBlock = 11; // EWOULDBLOCK (EAGAIN)
    private const int LockExclusive = 2; // LOCK_EX
    private const int LockNonBlocking = 4; // LOCK_NB
    private const int WriteAndSearch = 2 | 1; // W_OK | X_OK
    private const int CurrentDirectory = -100; // AT_FDCWD
    private const int EmptyPath = 0x1000; // AT_EMPTY_PATH: statx of the descriptor itself
    private const uint InodeMask = 0x100; // STATX_INO
    private const int StatxSize = 256;

    /// <summary>A full disk or an exhausted quota: .NET reports the errno as the IOException's HResult on Unix.</summary>
    public static bool IsOutOfSpace(Exception exception) =>
        exception is IOException { HResult: NoSpace or QuotaExceeded } || (exception.InnerException is { } inner && IsOutOfSpace(inner));

    /// <summary>Another process or handle holds a lock on the file (a sharing violation when .NET opened it).</summary>
    public static bool IsLockedByOther(IOException exception) => exception.HResult == WouldBlock;

    /// <summary>flock(LOCK_EX | LOCK_NB): false when another open file description holds a lock on the file.</summary>
    public static bool TryLockExclusive(SafeFileHandle handle)
    {
        if (Flock((int)handle.DangerousGetHandle(), LockExclusive | LockNonBlocking) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno == WouldBlock
            ? false
            : throw new IOException($"flock failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>Both paths name the same file (device and inode), e.g. a chunk hard-linked as the data file. False when either is missing.</summary>
    public static bool AreSameFile(string first, string second) =>
        Identity(first) is { } a && Identity(second) is { } b && a == b;

    /// <summary>access(W_OK | X_OK): files can be created in the directory (not read-only, permitted); creates nothing.</summary>
    public static bool CanCreateFilesIn(string directory) => Access(directory, WriteAndSearch) == 0;

    /// <summary>
    /// The file's preferred I/O block size (st_blksize): on XFS and btrfs a multiple of the block size that
    /// FICLONERANGE needs offsets aligned to, so aligning to it is always enough; 0 when unknown.
    /// </summary>
    public static long PreferredBlockSize(SafeFileHandle handle)
    {
        // stx_blksize (at 4) is filled whatever the mask asks for.
        var buffer = new byte[StatxSize];
        return Statx((int)handle.DangerousGetHandle(), string.Empty, EmptyPath, 0, buffer) == 0
            ? MemoryMarshal.Read<uint>(buffer.AsSpan(4))
            : 0;
    }

    private static (uint DevMajor, uint DevMinor, ulong Inode)? Identity(string path)
    {
        // struct statx has the same layout on every architecture (unlike struct stat): stx_ino at 32, stx_dev_major/minor at 136/140.
        var buffer = new byte[StatxSize];
        if (Statx(CurrentDirectory, path, 0, InodeMask, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == 2 ? null : throw new IOException($"statx('{path}') failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return (MemoryMarshal.Read<uint>(buffer.AsSpan(136)), MemoryMarshal.Read<uint>(buffer.AsSpan(140)), MemoryMarshal.Read<ulong>(buffer.AsSpan(32)));
    }

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
