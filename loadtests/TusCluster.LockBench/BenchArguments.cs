using Microsoft.Extensions.Configuration;

namespace TusCluster.LockBench;

/// <summary>
/// The bench's own switches (<c>--iterations 2000</c>) plus every <c>--Tus:...=value</c> argument, which
/// configures the coordination backend exactly as it configures the upload service.
/// </summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _switches;

    private BenchArguments(Dictionary<string, string> switches, IConfiguration configuration)
    {
        _switches = switches;
        Configuration = configuration;
    }

    public IConfiguration Configuration { get; }

    public static BenchArguments Parse(string[] args)
    {
        var switches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--Tus:", StringComparison.OrdinalIgnoreCase))
            {
                configuration.Add(args[i]);
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                switches[args[i][2..]] = args[++i];
            }
            else
            {
                throw new BenchArgumentException($"unexpected argument '{args[i]}'");
            }
        }

        return new BenchArguments(switches, new ConfigurationBuilder().AddCommandLine([.. configuration]).Build());
    }

    public string Text(string name) =>
        _switches.TryGetValue(name, out var value) ? value : throw new BenchArgumentException($"--{name} is required");

    public int Number(string name, int fallback)
    {
        if (!_switches.TryGetValue(name, out var value))
        {
            return fallback;
        }

        return int.TryParse(value, out var number) && number > 0
            ? number
            : throw new BenchArgumentException($"--{name} must be a positive whole number, not '{value}'");
    }
}
