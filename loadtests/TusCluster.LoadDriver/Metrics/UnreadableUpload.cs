namespace TusCluster.LoadDriver.Metrics;

/// <summary>
/// A finished upload that could not be read back through all of its retries, with what it should hold, so
/// that a script can read it again once nothing is being killed any more (loadtests/chaos.sh does): a read
/// that failed while replicas and the backend were restarting is not by itself a lost upload.
/// </summary>
internal sealed record UnreadableUpload(string Url, string Sha256, long Length);
