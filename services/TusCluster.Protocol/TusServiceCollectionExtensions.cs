using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Drafts;
using TusCluster.Protocol.Engine;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Engine.Handlers;
using TusCluster.Protocol.Engine.Writing;
using TusCluster.Protocol.Http;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol;

public static class TusServiceCollectionExtensions
{
    /// <summary>
    /// Adds the protocol engine, bound to the <c>Tus</c> configuration section and validated at start.
    /// A store (<see cref="Storage.IUploadStore"/>) and a coordination backend
    /// (<see cref="Coordination.IUploadCoordination"/>) must be registered as well.
    /// </summary>
    public static IServiceCollection AddTusProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TusProtocolOptions>()
            .Bind(configuration.GetSection(TusProtocolOptions.SectionName))
            .PostConfigure(o => o.FinishedRetention = FinishedRetention(configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TusProtocolOptions>, TusProtocolOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DrainState>();
        services.AddSingleton<UploadClock>();
        services.AddHttpContextAccessor();
        services.TryAddSingleton<IUploadHooks, NoUploadHooks>();
        services.AddSingleton<UploadEventFactory>();
        services.AddSingleton<RequestLeases>();
        services.AddSingleton<PublicUrlResolver>();
        services.AddSingleton<UploadFinisher>();
        services.AddSingleton<IStrandedUploadFinisher>(provider => provider.GetRequiredService<UploadFinisher>());
        services.AddSingleton<ChunkWriter>();
        services.AddSingleton<FinalUploadAssembler>();
        services.AddSingleton<OptionsHandler>();
        services.AddSingleton<CreationHandler>();
        services.AddSingleton<HeadHandler>();
        services.AddSingleton<PatchHandler>();
        services.AddSingleton<DeleteHandler>();
        services.AddSingleton<DownloadHandler>();
        services.AddSingleton<UploadLimitHeader>();
        services.AddSingleton<DraftRequestTranslator>();
        services.AddSingleton<DraftResponses>();
        services.AddSingleton<TusRequestDispatcher>();
        return services;
    }

    /// <summary>A value that does not parse is left to the sweeper's validation to report; here it means none.</summary>
    private static TimeSpan? FinishedRetention(IConfiguration configuration) =>
        TimeSpan.TryParse(configuration["Tus:Sweeper:FinishedRetention"], System.Globalization.CultureInfo.InvariantCulture, out var retention) && retention > TimeSpan.Zero
            ? retention
            : null;
}
