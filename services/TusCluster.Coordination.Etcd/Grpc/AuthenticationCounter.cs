namespace TusCluster.Coordination.Etcd.Grpc;

/// <summary>Counts the Authenticate calls that dotnet-etcd makes for its tokens (tests check token renewal with it).</summary>
internal sealed class AuthenticationCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath == "/etcdserverpb.Auth/Authenticate")
        {
            Interlocked.Increment(ref _count);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
