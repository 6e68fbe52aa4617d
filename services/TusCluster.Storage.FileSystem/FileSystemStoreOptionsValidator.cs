using Microsoft.Extensions.Options;

namespace TusCluster.Storage.FileSystem;

/// <summary>Start-up validation of <see cref="FileSystemStoreOptions"/>.</summary>
internal sealed class FileSystemStoreOptionsValidator : IValidateOptions<FileSystemStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, FileSystemStoreOptions options) =>
        string.IsNullOrWhiteSpace(options.Root)
            ? ValidateOptionsResult.Fail($"{FileSystemStoreOptions.SectionName}:Root must name a directory.")
            : ValidateOptionsResult.Success;
}
