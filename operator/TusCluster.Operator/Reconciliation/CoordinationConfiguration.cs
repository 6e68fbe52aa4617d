using TusCluster.Operator.Resources;
using static TusCluster.Operator.Reconciliation.EnvironmentValues;

namespace TusCluster.Operator.Reconciliation;

/// <summary>The Tus:Coordination keys of a TusServer's coordination section (passwords excepted: see <see cref="SecretEnvironment"/>).</summary>
internal static class CoordinationConfiguration
{
    public static void Add(SortedDictionary<string, string> env, CoordinationSpec? c, StorageSpec? storage)
    {
        Set(env, "TUS__COORDINATION__PROVIDER", c?.Provider);
        switch (c?.Provider)
        {
            case "Embedded":
                env["TUS__COORDINATION__EMBEDDED__DIRECTORY"] = OperatorDefaults.RecordsDirectory;
                Set(env, "TUS__COORDINATION__EMBEDDED__FSYNC", c.Embedded?.Fsync);
                break;
            case "Redis" when c.Redis is { } r:
                const string rp = "TUS__COORDINATION__REDIS__";
                Set(env, rp + "ENDPOINT", r.Endpoint);
                Set(env, rp + "USER", r.User);
                Set(env, rp + "DATABASE", r.Database);
                Set(env, rp + "USETLS", r.UseTls);
                Set(env, rp + "KEYPREFIX", r.KeyPrefix);
                Set(env, rp + "LEASETTL", r.LeaseTtl);
                Set(env, rp + "CONNECTTIMEOUT", r.ConnectTimeout);
                Set(env, rp + "COMMANDTIMEOUT", r.CommandTimeout);
                Set(env, rp + "WAITFORREPLICAS", r.WaitForReplicas);
                Set(env, rp + "WAITTIMEOUT", r.WaitTimeout);
                break;
            case "Etcd" when c.Etcd is { } e:
                const string ep = "TUS__COORDINATION__ETCD__";
                SetList(env, ep + "ENDPOINTS", e.Endpoints);
                Set(env, ep + "USERNAME", e.Username);
                Set(env, ep + "KEYPREFIX", e.KeyPrefix);
                Set(env, ep + "LEASETTL", e.LeaseTtl);
                Set(env, ep + "REQUESTTIMEOUT", e.RequestTimeout);
                break;
            case "DynamoDb":
                const string dp = "TUS__COORDINATION__DYNAMODB__";
                var d = c.DynamoDb;
                Set(env, dp + "SERVICEURL", d?.ServiceUrl);
                Set(env, dp + "REGION", d?.Region);
                Set(env, dp + "TABLENAME", d?.TableName);
                Set(env, dp + "CREATETABLE", d?.CreateTable);
                Set(env, dp + "LEASETTL", d?.LeaseTtl);
                Set(env, dp + "HANDOVERPOLLINTERVAL", d?.HandOverPollInterval);
                Set(env, dp + "REQUESTTIMEOUT", d?.RequestTimeout);
                break;
            case "PostgreSql":
                const string pp = "TUS__COORDINATION__POSTGRESQL__";
                var p = c.PostgreSql;
                Set(env, pp + "SCHEMA", p?.Schema);
                Set(env, pp + "CREATESCHEMA", p?.CreateSchema);
                Set(env, pp + "LEASETTL", p?.LeaseTtl);
                Set(env, pp + "REQUESTTIMEOUT", p?.RequestTimeout);
                break;
            case "S3":
                // The connection is the S3 store's (same endpoint, region and credentials); the validator requires S3 storage.
                const string sp = "TUS__COORDINATION__S3__";
                var s3 = c.S3;
                var store = storage?.S3;
                Set(env, sp + "BUCKET", s3?.Bucket ?? store?.Bucket);
                Set(env, sp + "KEYPREFIX", s3?.KeyPrefix);
                Set(env, sp + "CREATEBUCKET", s3?.CreateBucket);
                Set(env, sp + "LEASETTL", s3?.LeaseTtl);
                Set(env, sp + "POLLINTERVAL", s3?.PollInterval);
                Set(env, sp + "REQUESTTIMEOUT", s3?.RequestTimeout);
                Set(env, sp + "SERVICEURL", store?.ServiceUrl);
                Set(env, sp + "REGION", store?.Region);
                Set(env, sp + "FORCEPATHSTYLE", store?.ForcePathStyle);
                Set(env, sp + "CHECKSUMCALCULATION", store?.ChecksumCalculation);
                Set(env, sp + "CACERTIFICATEFILE", S3CaCertificate.FileOf(storage));
                break;
        }
    }
}
