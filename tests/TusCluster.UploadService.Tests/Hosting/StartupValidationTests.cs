
namespace TusCluster.UploadService.Tests.Hosting;

public sealed class StartupValidationTests
{
    [Fact]
    public async Task Every_bad_value_is_named_and_the_service_exits_with_2()
    {
        using var data = new TemporaryDirectory();
        await using var service = ServiceProcess.Start(data.Path,
            "--Tus:MaxUploadSize=-5", "--Tus:BasePath=files", "--Tus:ChecksumAlgorithms:0=crc32",
            "--Tus:Cors:AllowedOrigins:0=not-a-url", "--Tus:TrustedProxies:0=10.0.0.0/99");

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        foreach (var setting in new[] { "Tus:MaxUploadSize", "Tus:BasePath", "Tus:ChecksumAlgorithms", "Tus:TrustedProxies" })
        {
            Assert.Contains(setting, service.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--Tus:MaxUploadSize=lots", "Tus:MaxUploadSize")]
    [InlineData("--Tus:Storage:Provider=Floppy", "Tus:Storage:Provider")]
    [InlineData("--Tus:Coordination:Provider=Zookeeper", "Tus:Coordination:Provider")]
    [InlineData("--Tus:Server:DrainPeriod=-00:00:01", "Tus:Server:DrainPeriod")]
    [InlineData("--Tus:Server:MinRequestBodyDataRateGracePeriod=00:00:01", "Tus:Server:MinRequestBodyDataRateGracePeriod")]
    [InlineData("--Tus:Server:KeepAliveTimeout=-00:00:01", "Tus:Server:KeepAliveTimeout")]
    [InlineData("--Tus:Server:ReceiveBlockSize=1024", "Tus:Server:ReceiveBlockSize")]
    [InlineData("--Tus:Cors:AllowedOrigins:0=app.example", "Tus:Cors:AllowedOrigins")]
    public async Task A_single_bad_value_is_named(string argument, string setting)
    {
        using var data = new TemporaryDirectory();
        await using var service = ServiceProcess.Start(data.Path, argument);

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Invalid configuration", service.Output, StringComparison.Ordinal);
        Assert.Contains(setting, service.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Tus:Storage:Provider=S3", "Tus:Storage:Provider=FileSystem")]
    [InlineData("--Tus:Storage:FileSystem:Fsync=true", "Tus:Storage:FileSystem:Fsync=true")]
    [InlineData("--Tus:Coordination:Embedded:Fsync=true", "Tus:Coordination:Embedded:Fsync=true")]
    public async Task Inline_scheduling_is_refused_where_a_socket_thread_could_block(string argument, string named)
    {
        using var data = new TemporaryDirectory();
        await using var service = ServiceProcess.Start(data.Path, "--Tus:Server:InlineScheduling=true", argument);

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Tus:Server:InlineScheduling", service.Output, StringComparison.Ordinal);
        Assert.Contains(named, service.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_plainly_with_exit_code_2()
    {
        using var occupant = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((System.Net.IPEndPoint)occupant.LocalEndpoint).Port;
        using var data = new TemporaryDirectory();

        // The last --urls on the command line wins over the one ServiceProcess picks.
        await using var service = ServiceProcess.Start(data.Path, $"--urls=http://127.0.0.1:{port}");

        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Cannot listen", service.Output, StringComparison.Ordinal);
    }
}
