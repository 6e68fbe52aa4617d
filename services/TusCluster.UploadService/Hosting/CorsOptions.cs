namespace TusCluster.UploadService.Hosting;

/// <summary>Browser access, bound from <c>Tus:Cors</c>. No origins: CORS is off.</summary>
public sealed class CorsOptions
{
    public const string SectionName = "Tus:Cors";

    /// <summary>Origins allowed to upload from a browser, e.g. https://app.example.com; "*" allows any.</summary>
    public string[]? AllowedOrigins { get; set; }

    public bool AllowCredentials { get; set; }

    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromHours(1);
}
