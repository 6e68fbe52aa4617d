using TusCluster.Observability.ErrorReporting;

namespace TusCluster.Observability.Tests.ErrorReporting;

public sealed class ErrorReportingOptionsValidatorTests
{
    [Theory]
    [InlineData("https://publickey@o0.ingest.sentry.io/123", true)]
    [InlineData("http://publickey@127.0.0.1:9000/1", true)]
    [InlineData("https://publickey:secret@sentry.example/prefix/42/", true)]
    [InlineData("https://o0.ingest.sentry.io/123", false)]
    [InlineData("https://publickey@o0.ingest.sentry.io/", false)]
    [InlineData("ftp://publickey@sentry.example/1", false)]
    [InlineData("publickey@sentry.example/1", false)]
    public void A_DSN_needs_an_http_address_a_key_and_a_project(string dsn, bool valid)
    {
        var result = new ErrorReportingOptionsValidator().Validate(null, new ErrorReportingOptions { Dsn = dsn });

        Assert.Equal(valid, result.Succeeded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void No_DSN_is_off_and_valid(string? dsn)
    {
        var options = new ErrorReportingOptions { Dsn = dsn };

        Assert.True(new ErrorReportingOptionsValidator().Validate(null, options).Succeeded);
        Assert.False(options.IsEnabled);
    }
}
