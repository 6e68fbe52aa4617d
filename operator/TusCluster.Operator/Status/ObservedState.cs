using k8s.Models;

namespace TusCluster.Operator.Status;

/// <summary>What a reconcile saw: the upload Deployment as the API returned it, and why applying failed, if it did.</summary>
internal sealed record ObservedState(V1Deployment? UploadDeployment, string? ApplyError);
