using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Engine.Handlers;

namespace TusCluster.Protocol;

public static class TusApplicationBuilderExtensions
{
    /// <summary>Serves the tus protocol under the configured base path.</summary>
    public static IApplicationBuilder UseTus(this IApplicationBuilder app)
    {
        var basePath = app.ApplicationServices.GetRequiredService<IOptions<TusProtocolOptions>>().Value.BasePath.TrimEnd('/');
        var dispatcher = app.ApplicationServices.GetRequiredService<TusRequestDispatcher>();
        if (basePath.Length == 0)
        {
            app.Run(dispatcher.HandleAsync);
            return app;
        }

        return app.Map(basePath, branch => branch.Run(dispatcher.HandleAsync));
    }
}
