using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using TusCluster.Protocol;

namespace TusCluster.UploadService.Demo;

/// <summary>
/// Serves the demo page (Uppy, bundled at build time into demo-ui/ next to the binary) at <c>/</c>, and
/// <c>/demo/config.json</c>, which tells the page where to upload.
/// </summary>
internal static class DemoPage
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "demo-ui");

    public static void AddDemoPage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>();
    }

    public static void UseDemoPage(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<DemoOptions>>().Value.Enabled)
        {
            return;
        }

        var files = new PhysicalFileProvider(Directory);
        var endpoint = app.Services.GetRequiredService<IOptions<TusProtocolOptions>>().Value.BasePath;
        app.MapGet("/demo/config.json", () => Results.Json(new DemoConfig(endpoint), DemoJsonContext.Default.DemoConfig));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = new FileExtensionContentTypeProvider() });
    }
}
