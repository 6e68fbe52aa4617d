namespace TusCluster.Hooks.Amqp;

/// <summary>Bound from <c>Tus:Hooks:Amqp:Celery</c>: post-* events become Celery (message protocol v2) task messages.</summary>
public sealed class CeleryOptions
{
    /// <summary>The registered task name the worker runs (e.g. <c>uploads.tasks.upload_finished</c>); set to turn Celery messages on.</summary>
    public string? Task { get; set; }

    /// <summary>Queue the worker consumes; published through the default exchange with the queue name as routing key.</summary>
    public string Queue { get; set; } = "celery";

    /// <summary>
    /// When set, the hook request is passed as this keyword argument (kwargs) instead of the first positional
    /// argument (args), e.g. <c>hook</c> for <c>def upload_finished(hook)</c> called as <c>upload_finished(hook=...)</c>.
    /// </summary>
    public string? Keyword { get; set; }
}
