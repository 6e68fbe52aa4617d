using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Http;

/// <summary>
/// Builds the absolute URL of an upload for Location headers. Forwarded and X-Forwarded-* headers are
/// believed only when the connection comes from a configured trusted proxy; otherwise a client could
/// make the server hand out URLs that point anywhere.
/// </summary>
internal sealed class PublicUrlResolver
{
    private readonly string? _fixedBase;
    private readonly string _basePath;
    private readonly IPNetwork[] _trusted;

    public PublicUrlResolver(IOptions<TusProtocolOptions> options)
    {
        var value = options.Value;
        _fixedBase = value.PublicBaseUrl?.TrimEnd('/');
        _basePath = value.BasePath;
        _trusted = [.. (value.TrustedProxies ?? []).Select(ParseNetwork)];
    }

    public string UploadUrl(HttpContext context, string uploadId)
    {
        var (origin, prefix) = Origin(context);
        return $"{origin}{prefix}{_basePath}{uploadId}";
    }

    /// <summary>
    /// The hosts and paths under which a client of this request may name uploads (Upload-Concat): the
    /// request's own, and the public ones that Location headers give it.
    /// </summary>
    public UploadUrlScope Scope(HttpContext context)
    {
        var (origin, prefix) = Origin(context);
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        AddHost(hosts, origin);
        if (RequestHost(context.Request) is { } own)
        {
            AddHost(hosts, $"{context.Request.Scheme}://{own}");
        }

        return new UploadUrlScope(hosts, prefix.Length == 0 ? [_basePath] : [_basePath, prefix + _basePath]);
    }

    private static void AddHost(HashSet<string> hosts, string origin)
    {
        if (UploadUrlScope.TryGetHost(origin + "/", out var host))
        {
            hosts.Add(host);
        }
    }

    /// <summary>
    /// The Host header exactly as sent (Kestrel has checked it is a valid, ASCII host), or null. Not
    /// <see cref="HttpRequest.Host"/>: that decodes an IDNA name (xn--...) to Unicode, which no header
    /// value may carry, and throws on one that only looks like IDNA (e.g. xn--zz-.com).
    /// </summary>
    private static string? RequestHost(HttpRequest request) =>
        request.Headers.Host.ToString() is { Length: > 0 } host ? host : null;

    private (string Origin, string Prefix) Origin(HttpContext context)
    {
        var prefix = string.Empty;
        if (_fixedBase is not null)
        {
            return (_fixedBase, prefix);
        }

        var request = context.Request;
        var scheme = request.Scheme;
        var host = RequestHost(request) ?? "localhost";
        if (IsTrusted(context.Connection.RemoteIpAddress))
        {
            var (forwardedProto, forwardedHost) = ForwardedHeader.Parse(request.Headers["Forwarded"].ToString());
            forwardedProto ??= FirstValue(request.Headers["X-Forwarded-Proto"].ToString())?.ToLowerInvariant();
            forwardedHost ??= FirstValue(request.Headers["X-Forwarded-Host"].ToString());
            if (forwardedProto is "http" or "https")
            {
                scheme = forwardedProto;
            }

            if (forwardedHost is not null && ForwardedHeader.IsValidHost(forwardedHost))
            {
                host = forwardedHost;
            }

            var forwardedPrefix = FirstValue(request.Headers["X-Forwarded-Prefix"].ToString())?.TrimEnd('/');
            if (forwardedPrefix is not null && ForwardedHeader.IsValidPathPrefix(forwardedPrefix))
            {
                prefix = forwardedPrefix;
            }
        }

        return ($"{scheme}://{host}", prefix);
    }

    private bool IsTrusted(IPAddress? remote)
    {
        if (remote is null || _trusted.Length == 0)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        foreach (var network in _trusted)
        {
            if (network.Contains(remote))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstValue(string header)
    {
        var first = header.Split(',')[0].Trim();
        return first.Length == 0 ? null : first;
    }

    private static IPNetwork ParseNetwork(string value)
    {
        if (!IPAddress.TryParse(value, out var address))
        {
            return IPNetwork.Parse(value);
        }

        // Remote addresses are compared in IPv4 form, so trusted entries written as ::ffff:a.b.c.d must be too.
        address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
