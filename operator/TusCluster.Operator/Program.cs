using TusCluster.Operator.Hosting;

try
{
    await OperatorHost.Build(args).RunAsync().ConfigureAwait(false);
    return 0;
}
catch (Exception e) when (e is IOException or NotSupportedException or InvalidOperationException or FormatException
    or YamlDotNet.Core.YamlException or k8s.Exceptions.KubeConfigException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
{
    // Configuration problems (no cluster to talk to, a bad kubeconfig) are reported briefly, like the services do.
    await Console.Error.WriteLineAsync($"Cannot start the operator: {e.Message}").ConfigureAwait(false);
    return 2;
}
