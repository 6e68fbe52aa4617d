using System.Security.Cryptography;
using System.Text;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>A Lua script run by its SHA1 digest (EVALSHA), sent in full only when Redis does not know it yet.</summary>
internal sealed class RedisScript(string source)
{
    public string Source { get; } = source;

#pragma warning disable CA5350 // SHA1 is what Redis names scripts by; it protects nothing here.
    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(source)));
#pragma warning restore CA5350
}
