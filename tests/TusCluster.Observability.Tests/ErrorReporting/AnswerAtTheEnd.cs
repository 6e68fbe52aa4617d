using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Observability.Tests.ErrorReporting;

/// <summary>
/// Adds, after the whole pipeline of the host, a path that answers a fixed status without throwing: the way a
/// handler that writes 500 itself looks to the middlewares before it (the engine writes none today).
/// </summary>
internal sealed class AnswerAtTheEnd(PathString path, int status) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Map(path, branch => branch.Run(context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }));
    };
}
