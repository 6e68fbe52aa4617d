using System.Net.Sockets;
using System.Text;

namespace TusCluster.Testing;

/// <summary>
/// A hand-driven HTTP/1.1 connection, for what HttpClient cannot do: send request trailers, stop a
/// body half-way and vanish, or hold a body open while another request runs.
/// </summary>
public sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawHttpConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawHttpConnection> OpenAsync(Uri server)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server.Host, server.Port);
        return new RawHttpConnection(tcp);
    }

    /// <summary>Sends the request line and headers (each "Name: value").</summary>
    public Task SendHeadAsync(string method, Uri url, params string[] headers) =>
        SendHeadAsync(method, url.PathAndQuery, url.Authority, headers);

    /// <summary>Sends a request line with the target exactly as given (no normalisation of dots or escapes).</summary>
    public Task SendHeadAsync(string method, string target, string authority, params string[] headers)
    {
        var head = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(authority).Append("\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        return SendAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public Task SendChunkAsync(ReadOnlyMemory<byte> bytes) =>
        SendAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n").Concat(bytes.ToArray()).Concat("\r\n"u8.ToArray()).ToArray());

    /// <summary>Ends a chunked body with the given trailers ("Name: value").</summary>
    public Task SendLastChunkAsync(params string[] trailers) =>
        SendAsync(Encoding.ASCII.GetBytes("0\r\n" + string.Concat(trailers.Select(t => t + "\r\n")) + "\r\n"));

    /// <summary>Reads the status line and headers of the response (the body is left unread).</summary>
    public async Task<RawResponse> ReadResponseHeadAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var received = new List<byte>();
        var buffer = new byte[1];
        while (!EndsWithBlankLine(received))
        {
            if (await _stream.ReadAsync(buffer, cancel.Token) == 0)
            {
                throw new IOException("Connection closed before the response head was complete.");
            }

            received.Add(buffer[0]);
        }

        return RawResponse.Parse(Encoding.ASCII.GetString([.. received]));
    }

    /// <summary>Drops the connection at once (RST), like a client that lost its network.</summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}
