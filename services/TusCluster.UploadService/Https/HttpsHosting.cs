using Microsoft.Extensions.Options;
using TusCluster.Observability;

namespace TusCluster.UploadService.Https;

/// <summary>HTTPS from PEM files (Tus:Server:Https), on Kestrel's https:// addresses.</summary>
internal static class HttpsHosting
{
    /// <summary>Call after the listen addresses are set: an https port is added to them.</summary>
    public static void AddPemHttps(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var https = configuration.GetSection(HttpsOptions.SectionName).Get<HttpsOptions>() ?? new HttpsOptions();
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) ?? string.Empty;
        var httpsAddresses = urls.Contains("https://", StringComparison.OrdinalIgnoreCase);

        services.AddOptions<HttpsOptions>().Bind(configuration.GetSection(HttpsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpsOptions>>(
            new HttpsOptionsValidator(httpsAddresses, configuration.GetSection("Kestrel:Certificates:Default").Exists()));
        if (!https.IsEnabled)
        {
            return;
        }

        services.AddSingleton<CertificateReloader>();
        services.AddHostedService(provider => provider.GetRequiredService<CertificateReloader>());
        if (https.Port is { } port and >= 1 and <= 65535)
        {
            ExtraListener.Add(builder.WebHost, "https", port);
        }

        // Every https:// address (from Tus:Server:Urls, --urls or the port above) gets these defaults.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(options =>
        {
            var reloader = kestrel.ApplicationServices.GetRequiredService<CertificateReloader>();

            // Kestrel requires a certificate or a selector on an https endpoint; OnAuthenticate then
            // replaces the selector by the full chain of the current pair (see CertificateReloader.Apply).
            options.ServerCertificateSelector = (_, _) => reloader.Current.Certificate;
            options.OnAuthenticate = (_, ssl) => reloader.Apply(ssl);
        }));
    }
}
