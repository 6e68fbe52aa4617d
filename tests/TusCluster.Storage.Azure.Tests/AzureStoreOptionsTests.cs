using Microsoft.Extensions.Options;
using TusCluster.Protocol;

namespace TusCluster.Storage.Azure.Tests;

public sealed class AzureStoreOptionsTests
{
    private static AzureStoreOptions Valid() => new() { ConnectionString = "UseDevelopmentStorage=true", Container = "uploads" };

    [Theory]
    [InlineData(null, null, "must be set, not both")]
    [InlineData("UseDevelopmentStorage=true", "https://a.blob.core.windows.net", "must be set, not both")]
    [InlineData(null, "not a url", "AccountUrl must be an absolute http(s) URL")]
    public void Exactly_one_way_to_the_account_is_required(string? connectionString, string? accountUrl, string problem)
    {
        var options = Valid();
        options.ConnectionString = connectionString;
        options.AccountUrl = accountUrl;

        Assert.Contains(problem, Validate(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("Uploads")]
    [InlineData("up--loads")]
    [InlineData("-uploads")]
    [InlineData("up_loads")]
    public void Container_names_follow_azure_rules(string container)
    {
        var options = Valid();
        options.Container = container;

        Assert.Contains("Tus:Storage:Azure:Container", Validate(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65535)]
    [InlineData(268435457)]
    public void Block_sizes_outside_the_bounds_are_refused(int blockSize)
    {
        var options = Valid();
        options.BlockSize = blockSize;

        Assert.Contains("Tus:Storage:Azure:BlockSize", Validate(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("6.00:00:01")]
    public void Uploads_must_expire_before_azure_drops_uncommitted_blocks(string expiration)
    {
        Assert.Contains("Tus:Expiration", Validate(Valid(), new TusProtocolOptions { Expiration = TimeSpan.Parse(expiration, System.Globalization.CultureInfo.InvariantCulture) }), StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_pass()
    {
        Assert.Equal(string.Empty, Validate(Valid()));
    }

    [Theory]
    [InlineData(8 * 1024 * 1024, 10L * 1024 * 1024 * 1024, 8 * 1024 * 1024)]
    [InlineData(8 * 1024 * 1024, 1024L * 1024 * 1024 * 1024, 21 * 1024 * 1024)]
    [InlineData(65536, 1024L * 1024 * 1024, 65536)]
    public void The_block_size_grows_until_fifty_thousand_blocks_cover_the_largest_upload(int configured, long maxUploadSize, int expected)
    {
        var size = AzureContainer.EffectiveBlockSize(configured, maxUploadSize);

        Assert.Equal(expected, size);
        Assert.True((long)size * AzureStoreOptions.MaxBlocks >= maxUploadSize);
    }

    private static string Validate(AzureStoreOptions options, TusProtocolOptions? protocol = null)
    {
        var result = new AzureStoreOptionsValidator(Options.Create(protocol ?? new TusProtocolOptions())).Validate(null, options);
        return result.Succeeded ? string.Empty : string.Join(" | ", result.Failures!);
    }
}
