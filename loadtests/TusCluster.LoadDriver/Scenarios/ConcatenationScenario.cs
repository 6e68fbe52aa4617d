namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// Parallel uploads of one file (as tus-js-client's parallelUploads does): --parts partial uploads
/// sent at the same time, then a final POST with Upload-Concat naming them in order. The final upload
/// is what is verified; partials are deleted with it.
/// </summary>
internal sealed class ConcatenationScenario : IScenario
{
    public async Task RunIterationAsync(IterationContext context, CancellationToken cancellationToken)
    {
        var size = context.Settings.Sizes.Next(context.Random);
        var parts = (int)Math.Clamp(size, 1, context.Settings.Parts);
        context.Client.Metrics.UploadStarted();

        // The partials are consecutive slices of one seeded stream, so the final upload's hash is that
        // stream's hash over [0, size), computed without keeping any bytes.
        var partials = await Task.WhenAll(Enumerable.Range(0, parts).Select(i =>
        {
            var start = size * i / parts;
            return UploadPartialAsync(context, start, (size * (i + 1) / parts) - start, cancellationToken);
        }));

        var concat = "final;" + string.Join(' ', partials.Select(p => p.AbsolutePath));
        var (final, _) = await context.Client.CreateAsync(context.Vu, -1, null, concat, cancellationToken);
        var offset = await context.Client.HeadAsync(final, cancellationToken);
        if (offset != size)
        {
            context.Client.Metrics.Error("HEAD final offset mismatch");
            throw new TusRequestException($"final upload reports offset {offset} of {size}");
        }

        using var whole = new UploadSource(context.Seed, 0, size);
        await UploadFinisher.VerifyAndCleanUpAsync(context, final, whole.FinishHash(), size, partials, cancellationToken);
    }

    private static async Task<Uri> UploadPartialAsync(IterationContext context, long start, long length, CancellationToken cancellationToken)
    {
        using var source = new UploadSource(context.Seed, start, length);
        var (upload, _) = await context.Client.CreateAsync(context.Vu, length, null, "partial", cancellationToken);
        await context.Client.UploadFromAsync(upload, source, 0, context.Settings.ChunkSize, tolerateConflict: false, cancellationToken);
        return upload;
    }
}
