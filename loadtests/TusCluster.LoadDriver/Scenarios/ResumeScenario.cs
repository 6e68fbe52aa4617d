namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// What a client on a bad network does: create, send chunks, lose the connection in the middle of the
/// chunk that contains the upload's midpoint, then HEAD and continue from the offset the server
/// reports. A 409 right after the interruption is expected (the server may commit the abandoned
/// bytes after the HEAD answered) and is counted as an offset conflict, not an error.
/// </summary>
internal sealed class ResumeScenario : IScenario
{
    public async Task RunIterationAsync(IterationContext context, CancellationToken cancellationToken)
    {
        var size = Math.Max(2, context.Settings.Sizes.Next(context.Random));
        var chunk = context.Settings.ChunkSize;
        using var source = new UploadSource(context.Seed, 0, size);
        context.Client.Metrics.UploadStarted();
        var (upload, _) = await context.Client.CreateAsync(context.Vu, size, null, null, cancellationToken);

        var midpoint = size / 2;
        long offset = 0;
        while (offset + chunk <= midpoint)
        {
            offset = await context.Client.PatchAsync(upload, source, offset, chunk, null, tolerateConflict: false, cancellationToken);
        }

        var count = Math.Min(chunk, size - offset);
        var interruptAfter = Math.Clamp(midpoint - offset, 1, Math.Max(1, count - 1));
        try
        {
            offset = await context.Client.PatchAsync(upload, source, offset, count, interruptAfter, tolerateConflict: false, cancellationToken);
        }
        catch (UploadInterruptedException)
        {
            context.Client.Metrics.Interrupted();
        }

        var resumeFrom = await context.Client.HeadAsync(upload, cancellationToken);

        // Bytes of the abandoned PATCH the server kept are acknowledged only by this HEAD.
        context.Client.Metrics.BytesAcknowledged(Math.Max(0, resumeFrom - offset));
        offset = resumeFrom;
        await context.Client.UploadFromAsync(upload, source, offset, chunk, tolerateConflict: true, cancellationToken);
        await UploadFinisher.VerifyAndCleanUpAsync(context, upload, source.FinishHash(), size, [], cancellationToken);
    }
}
