using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace TusCluster.UploadService.Hosting;

/// <summary>
/// Tus:Server:InlineScheduling. By default a received block of a request body passes three threads: the
/// socket engine's, which learns that data is there; a thread-pool thread, which receives it into the
/// connection's pipe; and another, which runs the request and writes the bytes to the store. Each hand-off
/// wakes a thread; measured on 2 cores, the hand-offs cost about as much CPU per GiB as receiving and writing
/// the bytes (docs/benchmarks.md, "One thread per received block"). Inline, one thread receives and writes. Two switches are needed: Kestrel's
/// (the pipe's continuations) and the runtime's (the socket's completions), the latter an environment
/// variable that the runtime reads once, when the first socket operation starts; the host is built before
/// any socket is used, so setting it here is in time.
/// </summary>
internal static class InlineSocketScheduling
{
    public const string RuntimeVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable(IServiceCollection services)
    {
        Environment.SetEnvironmentVariable(RuntimeVariable, "1");
        services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
    }
}
