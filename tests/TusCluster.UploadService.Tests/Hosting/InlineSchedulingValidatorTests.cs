using Microsoft.Extensions.Configuration;
using TusCluster.UploadService.Hosting;

namespace TusCluster.UploadService.Tests.Hosting;

/// <summary>Which configurations may run request code on the socket threads (the refusals end to end: StartupValidationTests).</summary>
public sealed class InlineSchedulingValidatorTests
{
    [Theory]
    [InlineData(true, "Tus:Coordination:Embedded:Fsync=true")]
    [InlineData(true, "Tus:Storage:FileSystem:Fsync=true")]
    [InlineData(true, "Tus:Storage:Provider=Gcs")]
    [InlineData(false, "Tus:Coordination:Provider=Redis", "Tus:Coordination:Embedded:Fsync=true")]
    [InlineData(false, "Tus:Storage:Provider=filesystem")]
    [InlineData(false)]
    public void Refused_only_where_a_socket_thread_could_wait(bool refused, params string[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => s.Split('=')).Select(kv => new KeyValuePair<string, string?>(kv[0], kv[1])))
            .Build();

        var result = new InlineSchedulingValidator(configuration).Validate(null, new ServerOptions { InlineScheduling = true });

        Assert.Equal(refused, result.Failed);
    }

    [Fact]
    public void Nothing_is_checked_while_the_option_is_off()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Tus:Storage:Provider", "S3")]).Build();

        Assert.False(new InlineSchedulingValidator(configuration).Validate(null, new ServerOptions()).Failed);
    }
}
