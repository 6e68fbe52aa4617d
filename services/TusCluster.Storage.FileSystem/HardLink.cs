using System.Runtime.InteropServices;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// link(2): makes a second name for a file, failing if the name exists. Unlike rename it can never
/// replace a data file another replica already built, which is what keeps a stale writer harmless.
/// </summary>
internal static partial class HardLink
{
    private const int AlreadyExists = 17; // EEXIST
    private const int NotFound = 2; // ENOENT

    public enum Result
    {
        Created,
        TargetExists,
        SourceMissing,
    }

    public static Result TryCreate(string existing, string link)
    {
        if (Link(existing, link) == 0)
        {
            return Result.Created;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            AlreadyExists => Result.TargetExists,
            NotFound when !File.Exists(existing) => Result.SourceMissing,
            _ => throw new IOException($"link('{existing}', '{link}') failed: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);
}
