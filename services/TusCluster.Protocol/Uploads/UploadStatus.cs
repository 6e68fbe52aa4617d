namespace TusCluster.Protocol.Uploads;

public enum UploadStatus
{
    /// <summary>Accepting bytes (or, for a final upload, waiting for its partials).</summary>
    Active,

    /// <summary>Every byte is committed and the store has finished the object: downloadable.</summary>
    Finished,

    /// <summary>Deleted by the client; the record is a tombstone so later requests get 410.</summary>
    Terminated,

    /// <summary>Reclaimed by the sweeper; the record is a tombstone so later requests get 410.</summary>
    Expired,
}
