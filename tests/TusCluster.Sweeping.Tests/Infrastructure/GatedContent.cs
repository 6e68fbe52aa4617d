using System.Net;
using System.Net.Http.Headers;

namespace TusCluster.Sweeping.Tests;

/// <summary>A request body that sends its first part, then waits for the test to open the gate before the rest.</summary>
internal sealed class GatedContent : HttpContent
{
    private readonly byte[] _data;
    private readonly int _firstPart;
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GatedContent(byte[] data, int firstPart)
    {
        _data = data;
        _firstPart = firstPart;
        Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        Headers.ContentLength = data.Length;
    }

    public void Open() => _gate.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(_data.AsMemory(0, _firstPart));
        await stream.FlushAsync();
        await _gate.Task;
        await stream.WriteAsync(_data.AsMemory(_firstPart));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _data.Length;
        return true;
    }
}
