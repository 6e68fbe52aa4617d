using Microsoft.Win32.SafeHandles;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// The file a final upload is built in, partial after partial. Where the filesystem can share extents
/// (<see cref="FileRangeClone"/>) a partial's whole blocks are referenced rather than copied, so a final
/// of many or repeated partials costs neither the disk's bandwidth nor its free space; the rest is copied.
/// </summary>
/// <remarks>
/// FICLONERANGE needs the source and target offsets aligned to the block size, so only a partial that
/// starts on a block boundary of the final can be referenced: its whole blocks are, and its last partial
/// block is copied. Once a partial's length is not a multiple of the block size every later partial starts
/// unaligned and is copied whole, exactly as before there was cloning.
/// </remarks>
internal sealed class ConcatenatedFile(SafeFileHandle target)
{
    // statx and FICLONERANGE are Linux's; 0 (unknown) copies everything.
    private readonly long _blockSize = OperatingSystem.IsLinux() ? UnixFiles.PreferredBlockSize(target) : 0;

    // One refusal says this filesystem (or this pair of them) cannot clone: the remaining partials are
    // copied without asking again.
    private bool _cloning = true;

    public long Length { get; private set; }

    public void Append(SafeFileHandle partial)
    {
        long referenced = 0;
        if (_cloning && _blockSize > 0 && Length % _blockSize == 0)
        {
            var length = RandomAccess.GetLength(partial);
            var wholeBlocks = length - (length % _blockSize);
            if (wholeBlocks > 0)
            {
                _cloning = FileRangeClone.TryClone(partial, 0, wholeBlocks, target, Length);
                referenced = _cloning ? wholeBlocks : 0;
            }
        }

        // Also what a refused clone may have left half-done is overwritten here with the partial's bytes.
        Length += referenced + ChunkFiles.CopyInto(partial, referenced, target, Length + referenced);
    }
}
