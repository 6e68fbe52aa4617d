namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// A token file re-read at most once per interval: projected service-account tokens are rotated by the
/// kubelet (about hourly), and a cached token would start failing with 401.
/// </summary>
internal sealed class RotatingTokenFile(string path, TimeSpan refreshInterval)
{
    private readonly Lock _gate = new();
    private string? _token;
    private DateTime _readAt = DateTime.MinValue;

    public string? Read()
    {
        lock (_gate)
        {
            if (_token is null || DateTime.UtcNow - _readAt >= refreshInterval)
            {
                _token = File.ReadAllText(path).Trim();
                _readAt = DateTime.UtcNow;
            }

            return _token;
        }
    }
}
