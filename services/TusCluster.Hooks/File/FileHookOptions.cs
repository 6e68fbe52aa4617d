namespace TusCluster.Hooks.File;

/// <summary>Bound from <c>Tus:Hooks:File</c>; the sink exists only when <see cref="Directory"/> is set (tusd's -hooks-dir).</summary>
public sealed class FileHookOptions
{
    public const string SectionName = "Tus:Hooks:File";

    /// <summary>Directory holding one executable per event, named like the event (e.g. <c>pre-create</c>).</summary>
    public string? Directory { get; set; }

    /// <summary>tusd event names; empty means tusd's default set.</summary>
    public IList<string> Events { get; } = [];

    /// <summary>Limit of one run; the executable and every process it started are killed after it (tusd has none).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest standard output read; more is a failed invocation.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;
}
