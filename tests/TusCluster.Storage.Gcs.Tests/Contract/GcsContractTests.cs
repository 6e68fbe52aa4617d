using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Gcs.Tests.Contract;

public sealed class GcsChunkingTests(GcsTestServer fake) : ChunkingContract(new GcsStoreUnderTest(fake));

public sealed class GcsFencingContractTests(GcsTestServer fake) : FencingContract(new GcsStoreUnderTest(fake));

public sealed class GcsRangeReadTests(GcsTestServer fake) : RangeReadContract(new GcsStoreUnderTest(fake));

public sealed class GcsConcatenationContractTests(GcsTestServer fake) : ConcatenationContract(new GcsStoreUnderTest(fake));

public sealed class GcsDeletionContractTests(GcsTestServer fake) : DeletionContract(new GcsStoreUnderTest(fake));

public sealed class GcsDescribeTests(GcsTestServer fake) : DescribeContract(new GcsStoreUnderTest(fake));
