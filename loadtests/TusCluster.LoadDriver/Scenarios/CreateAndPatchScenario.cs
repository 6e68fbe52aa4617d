namespace TusCluster.LoadDriver.Scenarios;

/// <summary>The core tus flow: POST without a body, then PATCHes of --chunk-size from offset 0 to the end.</summary>
internal sealed class CreateAndPatchScenario : IScenario
{
    public async Task RunIterationAsync(IterationContext context, CancellationToken cancellationToken)
    {
        var size = context.Settings.Sizes.Next(context.Random);
        using var source = new UploadSource(context.Seed, 0, size);
        context.Client.Metrics.UploadStarted();
        var (upload, _) = await context.Client.CreateAsync(context.Vu, size, null, null, cancellationToken);
        await context.Client.UploadFromAsync(upload, source, 0, context.Settings.ChunkSize, tolerateConflict: false, cancellationToken);
        await UploadFinisher.VerifyAndCleanUpAsync(context, upload, source.FinishHash(), size, [], cancellationToken);
    }
}
