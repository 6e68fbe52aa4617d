namespace TusCluster.LoadDriver.Scenarios;

/// <summary>One request per upload: POST with Upload-Length and the whole body (creation-with-upload).</summary>
internal sealed class SmallFilesScenario : IScenario
{
    public async Task RunIterationAsync(IterationContext context, CancellationToken cancellationToken)
    {
        var size = context.Settings.Sizes.Next(context.Random);
        using var source = new UploadSource(context.Seed, 0, size);
        context.Client.Metrics.UploadStarted();
        var (upload, offset) = await context.Client.CreateAsync(context.Vu, size, source, null, cancellationToken);

        // A server may take only part of a creation body; the rest goes by PATCH as any tus client would.
        await context.Client.UploadFromAsync(upload, source, offset, context.Settings.ChunkSize, tolerateConflict: false, cancellationToken);
        await UploadFinisher.VerifyAndCleanUpAsync(context, upload, source.FinishHash(), size, [], cancellationToken);
    }
}
