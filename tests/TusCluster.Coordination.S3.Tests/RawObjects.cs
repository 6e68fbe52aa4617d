using System.Net;
using Amazon.S3;
using TusCluster.S3Client;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>Reads an object behind the coordination's back, as an operator would.</summary>
internal static class RawObjects
{
    /// <summary>The object's text, or null when there is no such object.</summary>
    public static async Task<string?> ReadTextAsync(S3UploadCoordination coordination, string key)
    {
        using var client = S3ClientFactory.Create(coordination.Options);
        try
        {
            using var response = await client.GetObjectAsync(CephServer.Bucket, key, TestContext.Current.CancellationToken);
            using var reader = new StreamReader(response.ResponseStream);
            return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
