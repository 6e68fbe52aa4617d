namespace TusCluster.FakeGcs;

/// <summary>An error answer in GCS's JSON error format: HTTP status, reason (e.g. conditionNotMet) and message.</summary>
internal sealed class FakeGcsException(int status, string reason, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Reason { get; } = reason;

    public static FakeGcsException NoSuchObject(string bucket, string name) => new(404, "notFound", $"No such object: {bucket}/{name}");

    public static FakeGcsException NoSuchBucket(string bucket) => new(404, "notFound", $"The specified bucket does not exist: {bucket}");

    public static FakeGcsException BadRequest(string message) => new(400, "invalid", message);
}
