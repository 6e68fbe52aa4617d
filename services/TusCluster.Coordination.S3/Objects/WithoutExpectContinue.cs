using Amazon.Runtime;

namespace TusCluster.Coordination.S3;

/// <summary>
/// HTTP clients that never send <c>Expect: 100-continue</c>, which AWSSDK.S3 puts on every PutObject. Ceph RGW
/// answers a failed <c>If-Match</c> at once, without 100 Continue, keeps the connection open and reads the next
/// bytes as the refused request's body: the client, which then skips the body, and the server fall out of step
/// on that connection (seen as "invalid status line" or a request hanging). Our bodies are small, so sending
/// them right away costs nothing.
/// </summary>
internal sealed class WithoutExpectContinue : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new BodyFirstHandler(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }));

    private sealed class BodyFirstHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ExpectContinue = false;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
