namespace TusCluster.Coordination.Redis;

/// <summary>
/// Nothing needs to be known of a Redis holder: the hand-over request goes to the upload's channel, whichever
/// replica holds it, and its release is announced on another.
/// </summary>
internal readonly record struct RedisLockHolder;
