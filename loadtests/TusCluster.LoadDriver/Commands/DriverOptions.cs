using System.CommandLine;
using System.CommandLine.Parsing;
using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Commands;

/// <summary>
/// The knobs of `run` and `compare`, and turning a parse into <see cref="RunSettings"/>. Values that
/// cannot be read at all are parse errors; combinations that make no sense are <see cref="UsageException"/>s.
/// Both end in exit code 2.
/// </summary>
internal sealed class DriverOptions
{
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    private readonly Option<string> _scenario = new Option<string>("--scenario", "-s")
    {
        Description = "Workload to run: " + string.Join(", ", ScenarioNames.All),
        Required = true,
    }.AcceptOnlyFromAmong(ScenarioNames.All);

    private readonly Option<string[]> _url = new("--url", "-u")
    {
        Description = "tus creation endpoint, e.g. http://127.0.0.1:8080/files/ (repeat for several replicas)",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string[]> _peerUrl = new("--peer-url")
    {
        Description = "Endpoint(s) of the server to compare with (B)",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<bool> _randomEndpoint = new("--random-endpoint")
    {
        Description = "Send every request to a random --url (a non-sticky balancer); upload URLs are re-based onto it",
    };

    private readonly Option<int?> _vus = new("--vus") { Description = "Concurrent virtual users (default depends on the scenario)" };

    private readonly Option<TimeSpan?> _duration = new("--duration", "-d")
    {
        Description = "Stop starting uploads after this long, e.g. 30s, 2m, 00:01:00 (default 10s unless --iterations)",
        CustomParser = r => ParseDuration(r),
    };

    private readonly Option<long?> _iterations = new("--iterations", "-n") { Description = "Total uploads across all VUs" };

    private readonly Option<long?> _size = new("--size")
    {
        Description = "Upload size, e.g. 1KiB, 4MiB, 10MB (default depends on the scenario)",
        CustomParser = r => ParseSize(r),
    };

    private readonly Option<SizeRange?> _sizeDistribution = new("--size-distribution")
    {
        Description = "Uniformly random sizes \"min-max\", e.g. 1KiB-8MiB (wins over --size)",
        CustomParser = r => ParseRange(r),
    };

    private readonly Option<long?> _chunkSize = new("--chunk-size")
    {
        Description = "Bytes per PATCH (default depends on the scenario)",
        CustomParser = r => ParseSize(r),
    };

    private readonly Option<int> _parts = new("--parts")
    {
        Description = "Partial uploads per final upload (concatenation)",
        DefaultValueFactory = _ => 4,
    };

    private readonly Option<TimeSpan> _timeout = new("--timeout")
    {
        Description = "Limit for each request, including its body",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(60),
        CustomParser = r => ParseDuration(r) ?? TimeSpan.Zero,
    };

    private readonly Option<IReadOnlyList<TimeSpan>> _retryDelays = new("--retry-delays")
    {
        Description = "Milliseconds to wait before each retry of a failed request, as tus-js-client's retryDelays; \"none\" for no retries",
        DefaultValueFactory = _ => RetryPolicy.TusJsClientDelays,
        CustomParser = r => ParseDelays(r),
    };

    private readonly Option<TimeSpan> _maxRetryAfter = new("--max-retry-after")
    {
        Description = "Honour a server's Retry-After up to this long, e.g. 30s",
        DefaultValueFactory = _ => RetryPolicy.DefaultMaxRetryAfter,
        CustomParser = r => ParseDuration(r) ?? TimeSpan.Zero,
    };

    private readonly Option<string?> _json = new("--json") { Description = "Also write the summary as JSON to this file" };

    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No progress line every second" };

    private readonly Option<bool> _keep = new("--keep") { Description = "Do not terminate (DELETE) uploads after verifying them" };

    private readonly Option<ulong?> _seed = new("--seed") { Description = "Seed for sizes and content (default random), to replay a run" };

    private readonly Option<double?> _maxErrorRate = new("--max-error-rate") { Description = "Fail (exit 1) when failed requests / requests exceeds this, e.g. 0.01" };

    private readonly Option<double?> _maxP95Patch = new("--max-p95-patch-ms") { Description = "Fail (exit 1) when the PATCH p95 latency exceeds this" };

    private readonly Option<double?> _maxP95Create = new("--max-p95-create-ms") { Description = "Fail (exit 1) when the POST p95 latency exceeds this" };

    private readonly bool _withPeer;

    public DriverOptions(bool withPeer)
    {
        _withPeer = withPeer;
    }

    public void AddTo(Command command)
    {
        command.Add(_scenario);
        command.Add(_url);
        if (_withPeer)
        {
            command.Add(_peerUrl);
        }

        foreach (Option option in new Option[] { _randomEndpoint, _vus, _duration, _iterations, _size, _sizeDistribution, _chunkSize, _parts, _timeout, _retryDelays, _maxRetryAfter, _json, _quiet, _keep, _seed, _maxErrorRate, _maxP95Patch, _maxP95Create })
        {
            command.Add(option);
        }
    }

    /// <summary>Settings for the --url endpoints (A).</summary>
    public RunSettings Read(ParseResult parse) => Read(parse, parse.GetValue(_url) ?? []);

    /// <summary>The same settings against the --peer-url endpoints (B).</summary>
    public RunSettings ReadPeer(ParseResult parse) => Read(parse, parse.GetValue(_peerUrl) ?? []);

    private static long? ParseSize(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (ByteSize.TryParse(text, out var bytes))
        {
            return bytes;
        }

        result.AddError($"'{text}' is not a size (examples: 1024, 64KiB, 1MiB, 10MB) for {(result.Parent as OptionResult)?.Option.Name ?? "a size option"}");
        return null;
    }

    private static SizeRange? ParseRange(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var bounds = text.Split('-');
        if (bounds.Length == 2 && ByteSize.TryParse(bounds[0], out var min) && ByteSize.TryParse(bounds[1], out var max))
        {
            return new SizeRange(min, max);
        }

        result.AddError($"'{text}' is not a size range \"min-max\" (example: 1KiB-8MiB) for --size-distribution");
        return null;
    }

    private static IReadOnlyList<TimeSpan> ParseDelays(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (text == "none")
        {
            return [];
        }

        var delays = new List<TimeSpan>();
        foreach (var part in text.Split(','))
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms) || ms > 600_000 || delays.Count == RetryPolicy.MaxRetries)
            {
                result.AddError($"'{text}' is not a list of at most {RetryPolicy.MaxRetries} retry delays in milliseconds, each at most 600000 (example: 0,1000,3000,5000; or none)");
                return [];
            }

            delays.Add(TimeSpan.FromMilliseconds(ms));
        }

        return delays;
    }

    private static TimeSpan? ParseDuration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DurationText.TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration (examples: 500ms, 30s, 2m, 00:01:00)");
        return null;
    }

    private RunSettings Read(ParseResult parse, string[] urls)
    {
        var scenario = parse.GetRequiredValue(_scenario);
        var defaults = ScenarioDefaults.For(scenario);

        var endpoints = urls.Select(text =>
            Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new UsageException($"'{text}' is not an absolute http(s) URL")).ToList();

        var vus = parse.GetValue(_vus) ?? defaults.Vus;
        Require(vus >= 1, "--vus must be at least 1");

        var iterations = parse.GetValue(_iterations);
        Require(iterations is null or >= 1, "--iterations must be at least 1");
        var duration = parse.GetValue(_duration);
        Require(duration is null || duration > TimeSpan.Zero, "--duration must be positive");
        if (duration is null && iterations is null)
        {
            duration = DefaultDuration;
        }

        var sizes = parse.GetValue(_sizeDistribution) ?? new SizeRange(parse.GetValue(_size) ?? defaults.Size, parse.GetValue(_size) ?? defaults.Size);
        Require(sizes.Min >= 1, "upload sizes must be at least 1 byte");
        Require(sizes.Min <= sizes.Max, $"--size-distribution: minimum {sizes.Min} is above maximum {sizes.Max}");

        var chunk = parse.GetValue(_chunkSize) ?? defaults.ChunkSize;
        Require(chunk is >= 1 and <= int.MaxValue, "--chunk-size must be between 1 byte and 2 GiB");

        var parts = parse.GetValue(_parts);
        Require(parts is >= 1 and <= 1000, "--parts must be between 1 and 1000");

        var timeout = parse.GetValue(_timeout);
        Require(timeout > TimeSpan.Zero, "--timeout must be positive");

        var maxRetryAfter = parse.GetValue(_maxRetryAfter);
        Require(maxRetryAfter >= TimeSpan.Zero && maxRetryAfter <= TimeSpan.FromMinutes(10), "--max-retry-after must be between 0 and 10m");

        var maxErrorRate = parse.GetValue(_maxErrorRate);
        Require(maxErrorRate is null or (>= 0 and <= 1), "--max-error-rate must be between 0 and 1");
        var maxP95Patch = parse.GetValue(_maxP95Patch);
        Require(maxP95Patch is null or > 0, "--max-p95-patch-ms must be positive");
        var maxP95Create = parse.GetValue(_maxP95Create);
        Require(maxP95Create is null or > 0, "--max-p95-create-ms must be positive");

        return new RunSettings
        {
            Scenario = scenario,
            Urls = endpoints,
            RandomEndpoint = parse.GetValue(_randomEndpoint),
            Vus = vus,
            Duration = duration,
            Iterations = iterations,
            Sizes = sizes,
            ChunkSize = chunk,
            Parts = parts,
            Timeout = timeout,
            Retry = new RetryPolicy { Delays = parse.GetValue(_retryDelays) ?? RetryPolicy.TusJsClientDelays, MaxRetryAfter = maxRetryAfter },
            JsonPath = parse.GetValue(_json),
            Quiet = parse.GetValue(_quiet),
            Delete = !parse.GetValue(_keep),
            Seed = parse.GetValue(_seed) ?? (ulong)Random.Shared.NextInt64(),
            MaxErrorRate = maxErrorRate,
            MaxP95PatchMs = maxP95Patch,
            MaxP95CreateMs = maxP95Create,
        };
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UsageException(message);
        }
    }
}
