using TusCluster.Storage.Contract;

namespace TusCluster.Storage.S3.Tests.Contract;

public sealed class S3ChunkingTests(S3TestServer rgw) : ChunkingContract(new S3StoreUnderTest(rgw));

public sealed class S3FencingContractTests(S3TestServer rgw) : FencingContract(new S3StoreUnderTest(rgw));

public sealed class S3RangeReadTests(S3TestServer rgw) : RangeReadContract(new S3StoreUnderTest(rgw));

public sealed class S3ConcatenationContractTests(S3TestServer rgw) : ConcatenationContract(new S3StoreUnderTest(rgw));

public sealed class S3DeletionContractTests(S3TestServer rgw) : DeletionContract(new S3StoreUnderTest(rgw));

public sealed class S3DescribeTests(S3TestServer rgw) : DescribeContract(new S3StoreUnderTest(rgw));
