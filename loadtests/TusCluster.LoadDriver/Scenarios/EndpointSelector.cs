namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// Chooses which replica a request goes to. Sticky by default (virtual user i always talks to URL
/// i mod n, like a balancer with session affinity); with random selection every request picks any
/// URL, and an upload URL from Location is re-based onto it, like a non-sticky balancer would route.
/// </summary>
internal sealed class EndpointSelector
{
    private readonly IReadOnlyList<Uri> _endpoints;
    private readonly bool _random;

    public EndpointSelector(IReadOnlyList<Uri> endpoints, bool random)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one endpoint is needed.", nameof(endpoints));
        }

        _endpoints = endpoints;
        _random = random;
    }

    /// <summary>The creation endpoint for the next POST of virtual user <paramref name="vu"/>.</summary>
    public Uri CreationUrl(int vu) => _random ? _endpoints[Random.Shared.Next(_endpoints.Count)] : _endpoints[vu % _endpoints.Count];

    /// <summary>Where the next request for <paramref name="upload"/> goes.</summary>
    public Uri UploadUrl(Uri upload)
    {
        if (!_random)
        {
            return upload;
        }

        var endpoint = _endpoints[Random.Shared.Next(_endpoints.Count)];
        return Rebase(upload, endpoint);
    }

    /// <summary>Keeps the path and query of <paramref name="upload"/>, takes scheme, host and port from <paramref name="endpoint"/>.</summary>
    public static Uri Rebase(Uri upload, Uri endpoint) =>
        new UriBuilder(upload) { Scheme = endpoint.Scheme, Host = endpoint.Host, Port = endpoint.Port }.Uri;
}
