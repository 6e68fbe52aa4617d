using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.LeaderElection;
using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Hosting;

/// <summary>Builds the operator process: Kubernetes connection, controller, leader election, /healthz and /readyz.</summary>
internal static class OperatorHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection("Operator").Get<OperatorOptions>() ?? new OperatorOptions();
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

        var configuration = ClusterConfiguration.Load(options);
        var leaseNamespace = options.LeaseNamespace ?? configuration.Namespace ?? "default";
        var identity = options.Identity ?? Environment.GetEnvironmentVariable("HOSTNAME") ?? Environment.MachineName;
        identity += "_" + Guid.NewGuid().ToString("N")[..8];

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IKubernetes>(new k8s.Kubernetes(configuration));
        builder.Services.AddSingleton<ClusterApi>();
        builder.Services.AddSingleton<ReferenceIndex>();
        builder.Services.AddSingleton<TusServerReconciler>();
        builder.Services.AddSingleton<TusServerController>();
        builder.Services.AddSingleton<OperatorReadiness>();
        builder.Services.AddSingleton(sp => new OperatorLeaderElection(
            sp.GetRequiredService<IKubernetes>(), options, leaseNamespace, identity, sp.GetRequiredService<ILogger<OperatorLeaderElection>>()));
        builder.Services.AddHostedService<OperatorService>();

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (OperatorReadiness readiness) => readiness.Started ? Results.Text("ok") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/leader", (OperatorLeaderElection elector) => Results.Text(elector.IsLeader || !options.LeaderElection ? "leader" : "standby"));
        return app;
    }
}
