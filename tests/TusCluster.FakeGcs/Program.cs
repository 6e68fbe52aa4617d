using System.Globalization;
using TusCluster.FakeGcs;

// Usage: TusCluster.FakeGcs --port <port> --root <directory>
// Prints FAKE_GCS_LISTENING once it accepts requests.
var port = 0;
string? root = null;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port":
            port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--root":
            root = args[i + 1];
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

if (port <= 0 || root is null)
{
    Console.Error.WriteLine("usage: TusCluster.FakeGcs --port <port> --root <directory>");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(System.Net.IPAddress.Loopback, port);
    kestrel.Limits.MaxRequestBodySize = null;
});
builder.Services.AddSingleton(new FakeGcsBuckets(root));

// The client library gzips JSON request bodies (Content-Encoding: gzip), as GCS accepts.
builder.Services.AddRequestDecompression();
var app = builder.Build();
app.UseRequestDecompression();
app.Run(context => FakeGcsServer.HandleAsync(context, context.RequestServices.GetRequiredService<FakeGcsBuckets>()));
await app.StartAsync();
Console.WriteLine("FAKE_GCS_LISTENING");
await app.WaitForShutdownAsync();
return 0;
