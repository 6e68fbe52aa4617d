using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;
using Grpc.Net.Client;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Grpc;

/// <summary>
/// The dotnet-etcd client for one replica: one gRPC channel balanced round-robin over every configured
/// member (a member that refuses connections is skipped), with <see cref="EtcdServiceConfig"/> instead of
/// the library's retry policy, and the library's username/password tokens (renewed by it when etcd
/// says a token expired). Every call here is bounded by the request timeout and fails as
/// <see cref="CoordinationUnavailableException"/>, with the <see cref="RpcException"/> inside.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private AuthenticationCounter? _authentications;

    public EtcdConnection(IReadOnlyList<string> endpoints, string? username, string? password, TimeSpan requestTimeout)
    {
        RequestTimeout = requestTimeout;
        var connectionString = string.Join(',', endpoints.Select(e => e.TrimEnd('/')));
        Client = endpoints.Any(e => e.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            ? new EtcdClient(connectionString, configureSslOptions: _ => { }, configureChannelOptions: Configure)
            : new EtcdClient(connectionString, configureChannelOptions: Configure);
        if (!string.IsNullOrEmpty(username))
        {
            Client.SetCredentials(username, password ?? "");
        }
    }

    /// <summary>
    /// The largest answer the channel takes (gRPC's default is 4 MiB): a page of outbox entries of the
    /// largest size, see <see cref="Keys.OutboxIndex.ReadPageSize"/>.
    /// </summary>
    internal const int MaxReceiveMessageBytes = 16 * 1024 * 1024;

    public EtcdClient Client { get; }

    public TimeSpan RequestTimeout { get; }

    /// <summary>How many tokens the library obtained (tests).</summary>
    public int Authentications => _authentications?.Count ?? 0;

    public Task<RangeResponse> RangeAsync(RangeRequest request, CancellationToken cancellationToken) =>
        CallAsync("read", d => Client.GetAsync(request, deadline: d, cancellationToken: cancellationToken), RequestTimeout, cancellationToken);

    public Task<TxnResponse> TxnAsync(TxnRequest request, CancellationToken cancellationToken) =>
        CallAsync("transaction", d => Client.TransactionAsync(request, deadline: d, cancellationToken: cancellationToken), RequestTimeout, cancellationToken);

    public Task<PutResponse> PutAsync(PutRequest request, CancellationToken cancellationToken) =>
        CallAsync("write", d => Client.PutAsync(request, deadline: d, cancellationToken: cancellationToken), RequestTimeout, cancellationToken);

    public Task<LeaseGrantResponse> LeaseGrantAsync(long ttlSeconds, CancellationToken cancellationToken) =>
        CallAsync("lease grant", d => Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = ttlSeconds }, deadline: d, cancellationToken: cancellationToken), RequestTimeout, cancellationToken);

    public Task<LeaseRevokeResponse> LeaseRevokeAsync(long leaseId, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync("lease revoke", d => Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = leaseId }, deadline: d, cancellationToken: cancellationToken), timeout, cancellationToken);

    public Task<LeaseTimeToLiveResponse> LeaseTimeToLiveAsync(long leaseId, TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync("lease lookup", d => Client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = leaseId }, deadline: d, cancellationToken: cancellationToken), timeout, cancellationToken);

    public Task<StatusResponse> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        CallAsync("status", d => Client.StatusAsync(new StatusRequest(), deadline: d, cancellationToken: cancellationToken), timeout, cancellationToken);

    public void Dispose() => Client.Dispose();

    private void Configure(GrpcChannelOptions options)
    {
        options.ServiceConfig = EtcdServiceConfig.Create();
        options.MaxReceiveMessageSize = MaxReceiveMessageBytes;
        if (options.HttpHandler is { } inner)
        {
            _authentications = new AuthenticationCounter(inner);
            options.HttpHandler = _authentications;
        }
    }

    private static async Task<T> CallAsync<T>(string what, Func<DateTime, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await call(DateTime.UtcNow + timeout);
        }
        catch (RpcException e)
        {
            throw EtcdFailure.Unavailable(what, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"etcd did not answer the {what} within {timeout}.", e);
        }
    }
}
