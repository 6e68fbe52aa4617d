using System.Security.Cryptography;

namespace TusCluster.FakeGcs;

/// <summary>
/// Bytes received for an object that does not exist yet, in a temporary file with their size and hashes,
/// streamed there piece by piece (uploads of hundreds of MiB never sit in memory).
/// </summary>
internal sealed class ReceivedBytes : IDisposable
{
    private readonly FileStream _file;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly Crc32C _crc = new();

    public ReceivedBytes(string path)
    {
        Path = path;
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
    }

    public string Path { get; }

    public long Size { get; private set; }

    public async Task AppendAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        while (limit > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit)), cancellationToken);
            if (read == 0)
            {
                return;
            }

            await _file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            _md5.AppendData(buffer, 0, read);
            _crc.Append(buffer.AsSpan(0, read));
            Size += read;
            limit -= read;
        }
    }

    /// <summary>Closes the file; returns base64 MD5 and CRC32C of everything appended.</summary>
    public async Task<(string Md5, string Crc32c)> FinishAsync()
    {
        await _file.FlushAsync();
        await _file.DisposeAsync();
        return (Convert.ToBase64String(_md5.GetHashAndReset()), _crc.ToBase64());
    }

    public void Dispose()
    {
        _file.Dispose();
        _md5.Dispose();
        File.Delete(Path);
    }
}
