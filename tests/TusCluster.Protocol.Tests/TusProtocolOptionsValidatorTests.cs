namespace TusCluster.Protocol.Tests;

public sealed class TusProtocolOptionsValidatorTests
{
    private static readonly TusProtocolOptionsValidator Validator = new();

    private static string SingleFailure(Action<TusProtocolOptions> configure)
    {
        var options = new TusProtocolOptions();
        configure(options);

        var result = Validator.Validate(null, options);

        Assert.True(result.Failed, "expected the options to be rejected");
        return Assert.Single(result.Failures!);
    }

    private static void AssertValid(Action<TusProtocolOptions> configure)
    {
        var options = new TusProtocolOptions();
        configure(options);

        var result = Validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void The_defaults_pass()
    {
        var result = Validator.Validate(null, new TusProtocolOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.False(result.Failed);
    }

    [Theory]
    [InlineData("files/")]
    [InlineData("/files")]
    [InlineData("")]
    [InlineData("//")]
    [InlineData("/a//b/")]
    [InlineData("/files?x/")]
    [InlineData("/files#x/")]
    [InlineData("/fi%2Fles/")]
    [InlineData("/my files/")]
    [InlineData("/files\\x/")]
    public void A_bad_BasePath_is_named(string basePath)
    {
        var failure = SingleFailure(o => o.BasePath = basePath);

        Assert.Contains("Tus:BasePath", failure, StringComparison.Ordinal);
        Assert.Contains($"'{basePath}'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/files/")]
    [InlineData("/api/v1/uploads/")]
    public void A_plain_BasePath_passes(string basePath) => AssertValid(o => o.BasePath = basePath);

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_bad_MaxUploadSize_is_named(long size) =>
        Assert.Contains("Tus:MaxUploadSize", SingleFailure(o => o.MaxUploadSize = size), StringComparison.Ordinal);

    [Theory]
    [InlineData(63)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(65537)]
    public void A_bad_MaxMetadataSize_is_named(int size) =>
        Assert.Contains("Tus:MaxMetadataSize", SingleFailure(o => o.MaxMetadataSize = size), StringComparison.Ordinal);

    [Theory]
    [InlineData(64)]
    [InlineData(65536)]
    public void MaxMetadataSize_bounds_pass(int size) => AssertValid(o => o.MaxMetadataSize = size);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void A_bad_MaxConcatParts_is_named(int parts) =>
        Assert.Contains("Tus:MaxConcatParts", SingleFailure(o => o.MaxConcatParts = parts), StringComparison.Ordinal);

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void MaxConcatParts_bounds_pass(int parts) => AssertValid(o => o.MaxConcatParts = parts);

    [Fact]
    public void MaxConcatParts_defaults_to_100() => Assert.Equal(100, new TusProtocolOptions().MaxConcatParts);

    [Fact]
    public void A_negative_Expiration_is_named() =>
        Assert.Contains("Tus:Expiration", SingleFailure(o => o.Expiration = TimeSpan.FromSeconds(-1)), StringComparison.Ordinal);

    [Fact]
    public void A_zero_Expiration_passes() => AssertValid(o => o.Expiration = TimeSpan.Zero);

    [Fact]
    public void A_negative_TombstoneRetention_is_named() =>
        Assert.Contains("Tus:TombstoneRetention", SingleFailure(o => o.TombstoneRetention = TimeSpan.FromTicks(-1)), StringComparison.Ordinal);

    [Fact]
    public void A_zero_TombstoneRetention_passes() => AssertValid(o => o.TombstoneRetention = TimeSpan.Zero);

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(300.001)]
    [InlineData(3600.0)]
    public void A_bad_LockAcquireTimeout_is_named(double seconds) =>
        Assert.Contains(
            "Tus:LockAcquireTimeout",
            SingleFailure(o => o.LockAcquireTimeout = TimeSpan.FromSeconds(seconds)),
            StringComparison.Ordinal);

    [Fact]
    public void A_LockAcquireTimeout_of_five_minutes_passes() => AssertValid(o => o.LockAcquireTimeout = TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.999)]
    [InlineData(-1.0)]
    public void A_bad_RetryAfter_is_named(double seconds) =>
        Assert.Contains("Tus:RetryAfter", SingleFailure(o => o.RetryAfter = TimeSpan.FromSeconds(seconds)), StringComparison.Ordinal);

    [Fact]
    public void An_unknown_checksum_algorithm_is_named()
    {
        var failure = SingleFailure(o => o.ChecksumAlgorithms = ["sha1", "crc32"]);

        Assert.Contains("Tus:ChecksumAlgorithms", failure, StringComparison.Ordinal);
        Assert.Contains("'crc32'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_checksum_algorithms_pass_in_any_case() => AssertValid(o => o.ChecksumAlgorithms = ["SHA1", "md5", "Sha256"]);

    [Theory]
    [InlineData("uploads.example.com")]
    [InlineData("/relative")]
    [InlineData("ftp://uploads.example.com")]
    [InlineData("https://uploads.example.com/files")]
    [InlineData("https://uploads.example.com/?x=1")]
    [InlineData("https://uploads.example.com#fragment")]
    public void A_bad_PublicBaseUrl_is_named(string url)
    {
        var failure = SingleFailure(o => o.PublicBaseUrl = url);

        Assert.Contains("Tus:PublicBaseUrl", failure, StringComparison.Ordinal);
        Assert.Contains($"'{url}'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://uploads.example.com")]
    [InlineData("https://uploads.example.com/")]
    [InlineData("http://localhost:8080")]
    public void A_plain_PublicBaseUrl_passes(string url) => AssertValid(o => o.PublicBaseUrl = url);

    [Theory]
    [InlineData("proxy.internal")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("")]
    public void A_bad_TrustedProxies_entry_is_named(string proxy)
    {
        var failure = SingleFailure(o => o.TrustedProxies = ["10.0.0.1", proxy]);

        Assert.Contains("Tus:TrustedProxies", failure, StringComparison.Ordinal);
        Assert.Contains($"'{proxy}'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Ip_addresses_and_cidr_networks_pass_as_TrustedProxies() =>
        AssertValid(o => o.TrustedProxies = ["10.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"]);

    [Fact]
    public void Every_bad_value_gets_its_own_message()
    {
        var options = new TusProtocolOptions
        {
            BasePath = "files",
            MaxUploadSize = 0,
            MaxMetadataSize = 1,
            MaxConcatParts = 0,
            Expiration = TimeSpan.FromSeconds(-1),
            TombstoneRetention = TimeSpan.FromSeconds(-1),
            LockAcquireTimeout = TimeSpan.Zero,
            RetryAfter = TimeSpan.Zero,
            ChecksumAlgorithms = ["crc32"],
            PublicBaseUrl = "nope",
            TrustedProxies = ["nope"],
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        string[] settings =
        [
            "Tus:BasePath", "Tus:MaxUploadSize", "Tus:MaxConcatParts", "Tus:MaxMetadataSize", "Tus:Expiration", "Tus:TombstoneRetention",
            "Tus:LockAcquireTimeout", "Tus:RetryAfter", "Tus:ChecksumAlgorithms", "Tus:PublicBaseUrl", "Tus:TrustedProxies",
        ];
        Assert.Equal(settings.Length, failures.Count);
        foreach (var setting in settings)
        {
            Assert.Single(failures, f => f.Contains(setting, StringComparison.Ordinal));
        }
    }
}
