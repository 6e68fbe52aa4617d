namespace TusCluster.LoadDriver.Scenarios;

/// <summary>The common end of every scenario: count the upload finished, read it back, then terminate it.</summary>
internal static class UploadFinisher
{
    public static async Task VerifyAndCleanUpAsync(IterationContext context, Uri upload, byte[] expectedHash, long length, IReadOnlyList<Uri> alsoDelete, CancellationToken cancellationToken)
    {
        context.Client.Metrics.UploadFinished();
        context.MarkFinished();
        await context.Client.VerifyAsync(upload, expectedHash, length, cancellationToken);
        if (context.Settings.Delete)
        {
            await context.Client.DeleteAsync(upload, cancellationToken);
            foreach (var other in alsoDelete)
            {
                await context.Client.DeleteAsync(other, cancellationToken);
            }
        }
    }
}
