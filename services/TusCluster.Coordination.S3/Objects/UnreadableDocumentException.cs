namespace TusCluster.Coordination.S3;

/// <summary>
/// The cause of the 503 for a document that is not one (a manual edit, a version skew): carries its text, so that the
/// outbox, which must not stop at it, can keep a copy for an operator (<c>outbox-unreadable/</c>).
/// </summary>
internal sealed class UnreadableDocumentException(string text, Exception innerException)
    : Exception("The stored object is not an upload document.", innerException)
{
    public string Text { get; } = text;
}
