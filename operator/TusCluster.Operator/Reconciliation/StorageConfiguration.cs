using TusCluster.Operator.Resources;
using static TusCluster.Operator.Reconciliation.EnvironmentValues;

namespace TusCluster.Operator.Reconciliation;

/// <summary>The Tus:Storage keys of a TusServer's storage section (credentials excepted: see <see cref="SecretEnvironment"/>).</summary>
internal static class StorageConfiguration
{
    public static void Add(SortedDictionary<string, string> env, StorageSpec? storage)
    {
        Set(env, "TUS__STORAGE__PROVIDER", storage?.Provider);
        if (storage?.Provider == "FileSystem" && storage.FileSystem is { } fs)
        {
            env["TUS__STORAGE__FILESYSTEM__ROOT"] = OperatorDefaults.UploadsDirectory;
            Set(env, "TUS__STORAGE__FILESYSTEM__DATEPARTITIONED", fs.DatePartitioned);
            Set(env, "TUS__STORAGE__FILESYSTEM__FSYNC", fs.Fsync);
        }
        else if (storage?.Provider == "S3" && storage.S3 is { } s3)
        {
            const string p = "TUS__STORAGE__S3__";
            Set(env, p + "BUCKET", s3.Bucket);
            Set(env, p + "SERVICEURL", s3.ServiceUrl);
            Set(env, p + "REGION", s3.Region);
            Set(env, p + "KEYPREFIX", s3.KeyPrefix);
            Set(env, p + "DATEPARTITIONED", s3.DatePartitioned);
            Set(env, p + "FORCEPATHSTYLE", s3.ForcePathStyle);
            Set(env, p + "CHECKSUMCALCULATION", s3.ChecksumCalculation);
            Set(env, p + "PARTSIZE", s3.PartSize);
            Set(env, p + "MAXCONCURRENTPARTUPLOADS", s3.MaxConcurrentPartUploads);
            Set(env, p + "CREATEBUCKET", s3.CreateBucket);
            // The CA bundle is a mounted volume (PodTemplateFactory); only its path is configuration.
            Set(env, p + "CACERTIFICATEFILE", S3CaCertificate.FileOf(storage));
        }
        else if (storage?.Provider == "Azure" && storage.Azure is { } azure)
        {
            // The connection string is a secret: see SecretEnvironment.
            const string p = "TUS__STORAGE__AZURE__";
            Set(env, p + "CONTAINER", azure.Container);
            Set(env, p + "ACCOUNTURL", azure.AccountUrl);
            Set(env, p + "BLOBPREFIX", azure.BlobPrefix);
            Set(env, p + "DATEPARTITIONED", azure.DatePartitioned);
            Set(env, p + "BLOCKSIZE", azure.BlockSize);
            Set(env, p + "STAGEBLOCKSFROMURL", azure.StageBlocksFromUrl);
            Set(env, p + "CREATECONTAINER", azure.CreateContainer);
        }
        else if (storage?.Provider == "Gcs" && storage.Gcs is { } gcs)
        {
            const string p = "TUS__STORAGE__GCS__";
            Set(env, p + "BUCKET", gcs.Bucket);
            Set(env, p + "OBJECTPREFIX", gcs.ObjectPrefix);
            Set(env, p + "DATEPARTITIONED", gcs.DatePartitioned);
            Set(env, p + "PROJECTID", gcs.ProjectId);
            Set(env, p + "ENDPOINT", gcs.Endpoint);
            Set(env, p + "UPLOADCHUNKSIZE", gcs.UploadChunkSize);
            Set(env, p + "COMPONENTSIZE", gcs.ComponentSize);
            Set(env, p + "CREATEBUCKET", gcs.CreateBucket);
            if (gcs.CredentialsSecretRef is { Name.Length: > 0 } key)
            {
                // The key file is a mounted Secret volume (PodTemplateFactory); only its path is configuration.
                Set(env, p + "CREDENTIALSFILE", $"{OperatorDefaults.GcsCredentialsMountPath}/{key.Key ?? OperatorDefaults.GcsCredentialsKey}");
            }
        }
    }
}
