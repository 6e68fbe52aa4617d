using Microsoft.Extensions.Options;
using TusCluster.Hooks.Payload;

namespace TusCluster.Hooks.File;

/// <summary>Start-up validation of <see cref="FileHookOptions"/>: every problem, each naming its setting.</summary>
internal sealed class FileHookOptionsValidator : IValidateOptions<FileHookOptions>
{
    private const string Section = FileHookOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, FileHookOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory) || !Path.IsPathFullyQualified(options.Directory))
        {
            problems.Add($"{Section}:Directory: '{options.Directory}' is not an absolute path.");
        }
        else if (!System.IO.Directory.Exists(options.Directory))
        {
            problems.Add($"{Section}:Directory: '{options.Directory}' does not exist or is not a directory.");
        }

        HookEventsSetting.Validate(Section, options.Events, problems);
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            problems.Add($"{Section}:Timeout must be positive and at most 01:00:00.");
        }

        if (options.MaxOutputBytes is < 1 or > 16 * 1024 * 1024)
        {
            problems.Add($"{Section}:MaxOutputBytes must be between 1 and 16777216.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
